#!/usr/bin/env bash
# Peak memory of an incremental (nightly) run against the number of inputs
# (docs/state-memory.md): a pipeline that counts no terms, so that what is measured is the
# run's handling of its inputs' records. The corpus is not copied: the run reads its
# articles/ in place and its shards through a folder of symlinks.
#
#   Benchmarks/state-memory.sh [BINARY] [CORPUS] [WORK]
#
# BINARY   newsmill to measure (default .build/release/newsmill)
# CORPUS   a benchmark corpus with articles/ and shards/ (default Benchmarks/corpus/100MB)
# WORK     scratch folder, emptied first (default /tmp/newsmill-state-memory)
#
# Steps: a first run over the articles and all shards but the last three, a second one
# after adding them (it must process exactly 3 files), a third with nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-.build/release/newsmill}")
CORPUS=$(realpath "${2:-Benchmarks/corpus/100MB}")
WORK=${3:-/tmp/newsmill-state-memory}
WORKERS=${WORKERS:-2}

rm -rf "$WORK"
mkdir -p "$WORK/links" "$WORK/held"
WORK=$(realpath "$WORK")
for f in "$CORPUS"/shards/*; do ln -s "$f" "$WORK/links/"; done
shards=("$WORK"/links/*)
n=${#shards[@]}
mv "${shards[@]:n-3}" "$WORK/held/"
cat > "$WORK/nightly.yaml" <<YAML
name: state-memory
inputs:
  - $CORPUS/articles
  - $WORK/links
output:
  directory: $WORK/out
  incremental: true
  compression: gzip
  level: 1
stages: []
aggregates:
  - counts: {terms: false}
YAML
peak() {  # peak LABEL: runs the pipeline, prints the peak RSS (MB), wall time and files
    /usr/bin/time -f "%M %e" -o "$WORK/time.txt" "$BIN" run "$WORK/nightly.yaml" --workers "$WORKERS" --quiet \
        > "$WORK/stdout.txt"
    read -r kb secs < "$WORK/time.txt"
    awk -v l="$1" -v kb="$kb" -v s="$secs" 'BEGIN { printf "%-24s %8.1f MB %8.1f s  ", l, kb / 1024, s }'
    sed -e 's/;.*//' "$WORK/stdout.txt"
}
peak "first run"
mv "$WORK"/held/* "$WORK/links/"
peak "second run (3 new)"
grep -q "^newsmill: 3 files" "$WORK/stdout.txt" || { echo "the second run did not process exactly the 3 new files" >&2; exit 1; }
peak "third run (nothing new)"
grep -q "^newsmill: 0 files" "$WORK/stdout.txt" || { echo "the third run processed files" >&2; exit 1; }
rm -rf "$WORK"
