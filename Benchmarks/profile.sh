#!/usr/bin/env bash
# Instruction profile of newsmill with valgrind's callgrind (repeatable on a noisy machine).
#
#     Benchmarks/profile.sh [PIPELINE] [SIZE] [NAME]   # defaults: Benchmarks/pipelines/counts.yaml 5MB callgrind
#
# Generates a small corpus (Benchmarks/corpus/SIZE), runs the release binary with one
# worker under callgrind, and writes Benchmarks/out/callgrind.out (open it with
# callgrind_annotate or kcachegrind) plus Benchmarks/out/callgrind.txt: the top
# functions by own (exclusive) and inclusive instructions, Swift names demangled.
set -euo pipefail
cd "$(dirname "$0")/.."

PIPELINE=${1:-Benchmarks/pipelines/counts.yaml}
SIZE=${2:-5MB}
NAME=${3:-callgrind}
OUT=Benchmarks/out
mkdir -p "$OUT"

command -v valgrind >/dev/null || { echo "profile: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
# The CPU level make chooses (scripts/swift-cpu-flags.sh): the binary users build with `make build`.
CPU_FLAGS=$(sh scripts/swift-cpu-flags.sh "${CPU:-auto}")
# shellcheck disable=SC2086
swift build -c release --product newsmill $CPU_FLAGS >&2
NEWSMILL=$(swift build -c release --show-bin-path)/newsmill
python3 Benchmarks/gen_corpus.py --size "$SIZE" >&2
CORPUS=Benchmarks/corpus/$SIZE

# valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 emits ("unhandled dwarf2 abbrev form
# code 0x25"): profile a copy without debug sections; the symbol table still names functions.
cp "$NEWSMILL" "$OUT/newsmill-nodebug-$NAME"
strip --strip-debug "$OUT/newsmill-nodebug-$NAME"
rm -rf "$OUT/profile-$NAME"
valgrind --tool=callgrind --callgrind-out-file="$OUT/$NAME.out" \
    "$OUT/newsmill-nodebug-$NAME" run "$PIPELINE" --input "$CORPUS" --output "$OUT/profile-$NAME" --workers 1 --quiet \
    2> "$OUT/$NAME.log"

python3 Benchmarks/callgrind_summary.py "$OUT/$NAME.out" \
    --title "callgrind, $(date -u '+%Y-%m-%d %H:%M UTC'): newsmill run $PIPELINE --input $CORPUS --workers 1 (one worker: instructions, not time; gzip corpus of $SIZE text)" \
    > "$OUT/$NAME.txt"
echo "profile: wrote $OUT/$NAME.txt and $OUT/$NAME.out" >&2
