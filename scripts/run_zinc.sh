#!/usr/bin/env bash
# Trains the paper's Graph Transformer (sparse, BatchNorm, LapPE) on ZINC and
# prints validation and test MAE.
#   scripts/run_zinc.sh           a short run (~10 minutes on 2 cores)
#   scripts/run_zinc.sh --full    the paper's full schedule (until lr < 1e-6)
# Extra arguments go to `gt train` (e.g. --seed 95 --out runs/x --resume).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
config=configs/zinc_sparse_bn_lappe.json
if [ "${1:-}" = "--full" ]; then
  shift
  exec build/gt train --config "$config" --out runs/zinc_full "$@"
fi
exec build/gt train --config "$config" --out runs/zinc_short --max-time 0.16 "$@"
