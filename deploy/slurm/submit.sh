#!/usr/bin/env bash
# Submits a sharded newsmill run to Slurm: an array of N shard tasks, then a merge job
# that starts when all of them have ended.
#
#   deploy/slurm/submit.sh [SHARDS] [CPUS_PER_TASK]
#   NEWSMILL=/opt/newsmill/bin/newsmill PIPELINE=pipelines/news.yaml OUT=/data/out/news deploy/slurm/submit.sh 16 4
set -euo pipefail
SHARDS=${1:-4}
CPUS=${2:-2}
NEWSMILL=${NEWSMILL:-newsmill}
OUT=${OUT:-out/news}
export NEWSMILL PIPELINE="${PIPELINE:-pipelines/news.yaml}" OUT
here=$(cd "$(dirname "$0")" && pwd)
array=$(sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task="$CPUS" --export=ALL "$here/newsmill-shard.sh")
shard_dirs=$(for i in $(seq 0 $((SHARDS - 1))); do printf '%s ' "$OUT/shard-$i"; done)
merge=$(sbatch --parsable --dependency=afterok:"$array" --job-name=newsmill-merge --export=ALL \
    --wrap "\"$NEWSMILL\" merge --output \"$OUT/merged\" $shard_dirs")
echo "submitted shards as job $array and the merge as job $merge; result in $OUT/merged"
