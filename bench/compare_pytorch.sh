#!/usr/bin/env bash
# gt vs the PyTorch implementation (tests/python/gt_reference.py) on real
# batches of the configured size, in one run: ms per training step
# (forward + backward + Adam), median over N steps after warm-up.
#
#   bench/compare_pytorch.sh [zinc|pattern|cluster] [STEPS] [THREADS]
#
# gt times real training batches drawn as in epoch 1; PyTorch times the
# parity dump's batch (the same size, from the validation split). PyTorch
# runs with Debian's OpenBLAS both as detected and forced to its SkylakeX
# kernels (OPENBLAS_CORETYPE), and the faster is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-zinc}
steps=${2:-20}
threads=${3:-1}
case "$which" in
  zinc) variant=zinc_bn_lappe; config=configs/zinc_sparse_bn_lappe.json ;;
  pattern) variant=pattern_bn_lappe; config=configs/pattern_sparse_bn_lappe.json ;;
  cluster) variant=cluster_bn_lappe; config=configs/cluster_sparse_bn_lappe.json ;;
  *) echo "usage: $0 [zinc|pattern|cluster] [STEPS] [THREADS]" >&2; exit 2 ;;
esac
[ -x build/gt ] && [ -x build/tests/tool_parity_dump ] || scripts/build.sh
dump=build/bench_${variant}.safetensors
build/tests/tool_parity_dump --variant "$variant" --out "$dump" >/dev/null
gt_json=$(build/gt bench --config "$config" --steps "$steps" --threads "$threads" | tail -1)
pt_default=$(/usr/bin/python3 bench/pytorch_step.py --dump "$dump" --steps "$steps" --threads "$threads")
pt_skx=$(OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/pytorch_step.py --dump "$dump" --steps "$steps" --threads "$threads")
/usr/bin/python3 - "$gt_json" "$pt_default" "$pt_skx" <<'PY'
import json, sys
gt, pd, ps = (json.loads(a) for a in sys.argv[1:4])
best, label = (pd, "OpenBLAS as detected") if pd["median_ms"] <= ps["median_ms"] else (ps, "OPENBLAS_CORETYPE=SkylakeX")
print("| engine | threads | batch | ms/step median (min-max) |")
print("|---|---|---|---|")
print("| gt (%s GEMM) | %d | %d graphs, %.0f nodes, %.0f edges | %.1f (%.1f-%.1f) |" % (
    gt["gemm"], gt["threads"], gt["batch_size"], gt["mean_nodes"], gt["mean_edges"],
    gt["ms_median"], gt["ms_min"], gt["ms_max"]))
for r, l in ((pd, "OpenBLAS as detected"), (ps, "OPENBLAS_CORETYPE=SkylakeX")):
    print("| PyTorch %s, %s | %d | %s | %.1f (%.1f-%.1f) |" % (
        r.get("torch", ""), l, r["threads"], "%d graphs, %d nodes, %d edges" % (r["graphs"], r["nodes"], r["edges"]), r["median_ms"], r["min_ms"], r["max_ms"]))
print("\nspeed-up of gt over PyTorch's best (%s): %.2fx" % (label, best["median_ms"] / gt["ms_median"]))
PY
