#!/usr/bin/env bash
# The PyTorch SBM check on a GPU machine (docs/reproduction.md): the GPU trainer's self-test
# (padded model vs the oracle, CUDA graph replay vs eager steps), then one run per seed in
# turn, each to the protocol's stop or until the time budget is spent (a run cut short keeps
# its checkpoint in RUNS/s<seed> and continues when the script is run again). The logs are
# copied to COPY/s<seed>/ every few seconds, so they survive the command being killed.
#
#   scripts/torch_sbm_gpu_check.sh PACK.npz CONFIG RUNS COPY BUDGET_SECONDS SEED...
#
# PACK.npz: scripts/sbm_pack.py's pack of gt's cache. PY (default python3) and DEVICE
# (default cuda) choose the interpreter and device; a failed self-test on a GPU falls back to
# eager steps (the run records which in metrics.jsonl's "step").
set -u
[ $# -ge 6 ] || { sed -n '2,13p' "$0"; exit 2; }
pack=$1 config=$2 runs=$3 copy=$4 budget=$5
shift 5
cd "$(dirname "$0")/.."
py=${PY:-python3} device=${DEVICE:-cuda}
start=$(date +%s)

sync_logs() {
  local d
  for d in "$runs"/s*; do
    [ -d "$d" ] || continue
    mkdir -p "$copy/${d##*/}"
    for f in metrics.jsonl final.json pe_check.json; do
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
for seed in "$@"; do
  left=$((budget - ($(date +%s) - start)))
  [ "$left" -gt 60 ] || { echo "budget spent: seed $seed not started" >&2; break; }
  # Stop after the epoch that passes the limit; the margin covers loading and one epoch.
  "$py" scripts/torch_train_sbm_gpu.py --config "$config" --data "$pack" --out "$runs/s$seed" \
    --seed "$seed" --device "$device" --time-limit $((left - 45)) "${mode[@]}"
done
