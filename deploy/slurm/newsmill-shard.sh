#!/usr/bin/env bash
# One shard of a newsmill run as a Slurm array task:
#
#   sbatch --array=0-3 --cpus-per-task=2 deploy/slurm/newsmill-shard.sh
#
# newsmill reads SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT itself to pick its shard
# and SLURM_CPUS_PER_TASK for its worker count. Each task writes $OUT/shard-<id>;
# deploy/slurm/submit.sh adds the merge job that runs when every task has finished.
#SBATCH --job-name=newsmill
#SBATCH --output=newsmill-%A_%a.log
set -euo pipefail
NEWSMILL=${NEWSMILL:-newsmill}
PIPELINE=${PIPELINE:-pipelines/news.yaml}
OUT=${OUT:-out/news}
: "${SLURM_ARRAY_TASK_ID:?run this as a Slurm array task (sbatch --array=0-N)}"
status=0
"$NEWSMILL" run "$PIPELINE" --output "$OUT/shard-$SLURM_ARRAY_TASK_ID" --quiet || status=$?
# Exit 1 means "finished, some inputs failed (see errors.jsonl)": the shard's output is
# complete, so the task succeeds and the merge still runs. Anything else fails the task.
if [ "$status" -eq 1 ]; then
    echo "newsmill: shard $SLURM_ARRAY_TASK_ID finished with input errors: $OUT/shard-$SLURM_ARRAY_TASK_ID/errors.jsonl" >&2
    status=0
fi
exit "$status"
