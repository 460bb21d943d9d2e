#!/usr/bin/env bash
# Peak memory of `newsmill merge` and of an incremental (nightly) run, against a single run
# of the same pipeline (docs/merge-memory.md). Checks that the outputs are byte-identical.
#
#   Benchmarks/merge-memory.sh [BINARY] [CORPUS] [WORK]
#
# BINARY   newsmill to measure (default .build/release/newsmill)
# CORPUS   a benchmark corpus with articles/ and shards/ (default Benchmarks/corpus/100MB)
# WORK     scratch folder, emptied first (default /tmp/newsmill-merge-memory); it needs
#          about 15 times the corpus's compressed size on 100MB (aggregates of every term).
#
# Steps: the single run; 4 shards (--shard I/4) and `newsmill merge`; an incremental run over
# the articles and the shards but the last three, then a second one after adding them.
# Peak RSS is GNU time's "Maximum resident set size".
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-.build/release/newsmill}")
CORPUS=$(realpath "${2:-Benchmarks/corpus/100MB}")
WORK=${3:-/tmp/newsmill-merge-memory}
PIPELINE=$(realpath Benchmarks/pipelines/all-terms.yaml)
WORKERS=${WORKERS:-2}

rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(realpath "$WORK")
peak() {  # peak LABEL COMMAND...: runs it, prints the peak RSS (MB) and wall time
    local label=$1; shift
    /usr/bin/time -f "%M %e" -o "$WORK/time.txt" "$@" > /dev/null
    read -r kb secs < "$WORK/time.txt"
    awk -v l="$label" -v kb="$kb" -v s="$secs" 'BEGIN { printf "%-28s %8.1f MB %8.1f s\n", l, kb / 1024, s }'
}
same() {  # same A B: byte-identical files, or fail
    cmp -s "$1" "$2" || { echo "DIFFERENT: $1 $2" >&2; exit 1; }
}

peak "single run" "$BIN" run "$PIPELINE" --input "$CORPUS" --output "$WORK/single" --workers "$WORKERS" --quiet
for i in 0 1 2 3; do
    peak "shard $i/4" "$BIN" run "$PIPELINE" --input "$CORPUS" --shard "$i/4" --output "$WORK/s$i" \
        --workers "$WORKERS" --quiet
done
peak "merge of 4 shards" "$BIN" merge --output "$WORK/merged" "$WORK"/s0 "$WORK"/s1 "$WORK"/s2 "$WORK"/s3
for f in aggregates.jsonl aggregates.partial.json errors.jsonl; do same "$WORK/merged/$f" "$WORK/single/$f"; done
same <(zcat "$WORK/merged/documents.jsonl.gz") <(zcat "$WORK/single/documents.jsonl.gz")
rm -rf "$WORK"/s? "$WORK/merged"

# Incremental: the articles and all shards but the last three, then the rest.
mkdir -p "$WORK/nightly/c/shards"
cp -r "$CORPUS/articles" "$WORK/nightly/c/"
shards=("$CORPUS"/shards/*)
n=${#shards[@]}
cp "${shards[@]:0:n-3}" "$WORK/nightly/c/shards/"
sed -e 's#^  directory: .*#  directory: out#' -e '/^output:/a\  incremental: true' "$PIPELINE" > "$WORK/nightly/p.yaml"
sed -i -e 's#^  - \.\./corpus/.*#  - c#' "$WORK/nightly/p.yaml"
(cd "$WORK/nightly" && peak "incremental, first run" "$BIN" run p.yaml --workers "$WORKERS" --quiet)
cp "${shards[@]:n-3}" "$WORK/nightly/c/shards/"
(cd "$WORK/nightly" && peak "incremental, second run" "$BIN" run p.yaml --workers "$WORKERS" --quiet)
same "$WORK/nightly/out/aggregates.jsonl" "$WORK/single/aggregates.jsonl"
echo "outputs identical to the single run's"
rm -rf "$WORK"
