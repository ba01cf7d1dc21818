#!/usr/bin/env bash
# The PyTorch SBM check on a GPU machine (docs/reproduction.md): the GPU trainer's self-test
# (padded model vs the oracle, CUDA graph replay vs eager steps), then the jobs in turn, each
# to the protocol's stop or until the time budget is spent (a run cut short keeps its
# checkpoint in RUNS/<config>_s<seed> and continues when the script is run again). The logs
# (metrics.jsonl, final.json; the PE check is in the output) are copied to
# COPY/<config>_s<seed>/ every few seconds, so they survive the command being killed.
#
#   scripts/torch_sbm_gpu_check.sh RUNS COPY BUDGET_SECONDS CONFIG:PACK:SEED...
#
# PACK: scripts/sbm_pack.py's pack of gt's cache for CONFIG's data set. PY (default python3)
# and DEVICE (default cuda) choose the interpreter and device; a failed self-test on a GPU
# falls back to eager steps (the run records which in metrics.jsonl's "step").
set -u
[ $# -ge 4 ] || { sed -n '2,13p' "$0"; exit 2; }
runs=$1 copy=$2 budget=$3
shift 3
cd "$(dirname "$0")/.."
py=${PY:-python3} device=${DEVICE:-cuda}
start=$(date +%s)

sync_logs() {
  local d f
  for d in "$runs"/*_s*; do
    [ -d "$d" ] || continue
    mkdir -p "$copy/${d##*/}"
    for f in metrics.jsonl final.json; do  # pe_check.json is in the output too
      [ -f "$d/$f" ] && cp "$d/$f" "$copy/${d##*/}/"
    done
  done
}
( while sleep 5; do sync_logs; done ) &
syncer=$!
trap 'kill $syncer 2>/dev/null; sync_logs' EXIT

mode=()
if ! "$py" scripts/torch_train_sbm_gpu.py --selftest --device "$device"; then
  echo "self-test failed: training with eager steps" >&2
  mode=(--eager)
fi
for job in "$@"; do
  IFS=: read -r config pack seed <<<"$job"
  [ -n "$seed" ] || { echo "$job: expected CONFIG:PACK:SEED" >&2; exit 2; }
  left=$((budget - ($(date +%s) - start)))
  [ "$left" -gt 60 ] || { echo "budget spent: $job not started" >&2; break; }
  name=$(basename "$config" .json)_s$seed
  # Stop after the epoch that passes the limit; the margin covers loading and one epoch.
  "$py" scripts/torch_train_sbm_gpu.py --config "$config" --data "$pack" --out "$runs/$name" \
    --seed "$seed" --device "$device" --time-limit $((left - 45)) "${mode[@]}"
done
