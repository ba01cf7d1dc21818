#!/usr/bin/env bash
# gt vs the PyTorch implementation (tests/python/gt_reference.py, the one the
# parity test checks gt against) on the identical batch, in one run.
#
#   bench/run.sh [zinc|pattern|cluster|all] [--steps N] [--warmup N]
#                [--threads "1 2"] [--coretypes "detected SkylakeX"]
#                [--peak-size N] [--out DIR] [--no-build]
#
# For each model (all = zinc pattern): tests/cpp/tool_parity_dump writes one
# real batch of the config's size with the model's initial weights; then
#   gt bench --dump            at each thread count,
#   bench/pytorch_step.py      at each thread count x OpenBLAS core type
#                              ("detected": OPENBLAS_CORETYPE unset; or forced),
# each timing --steps training steps after --warmup, then as many eval-mode
# forward passes, then one large GEMM. bench/report.py prints a markdown table
# per model and one JSON line per model (the tracking format). The raw JSON of
# every run and the reports are kept in --out (default BUILD/bench).
#
# Builds first (scripts/build.sh into build/; GT_BUILD_DIR=DIR builds and uses
# DIR instead). PyTorch runs under /usr/bin/python3 (Debian's torch).
# Duration: ZINC ~5 min; PATTERN's PyTorch side takes seconds per step, so
# `pattern` with 20 steps runs for an hour or more on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
which=all steps=20 warmup=3 threads="1 2" coretypes="detected SkylakeX" peak=2048 out="" build_it=1
while [ $# -gt 0 ]; do
  case "$1" in
    zinc|pattern|cluster|all) which=$1 ;;
    --steps) steps=${2:?}; shift ;;
    --warmup) warmup=${2:?}; shift ;;
    --threads) threads=${2:?}; shift ;;
    --coretypes) coretypes=${2:?}; shift ;;
    --peak-size) peak=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --no-build) build_it=0 ;;
    -h|--help) usage ;;
    *) echo "bench/run.sh: unknown argument \"$1\"" >&2; usage ;;
  esac
  shift
done
[ "$which" = all ] && models="zinc pattern" || models=$which

build=${GT_BUILD_DIR:-build}
if [ "$build_it" = 1 ]; then
  echo "== building gt in $build ==" >&2
  if [ "$build" = build ]; then
    scripts/build.sh >/dev/null
  else
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" -j "$(nproc)" >/dev/null
  fi
fi
for exe in "$build/gt" "$build/tests/tool_parity_dump"; do
  [ -x "$exe" ] || { echo "bench/run.sh: $exe not built (the test tools need GoogleTest: scripts/setup.sh)" >&2; exit 1; }
done
/usr/bin/python3 -c "import torch" 2>/dev/null ||
  { echo "bench/run.sh: /usr/bin/python3 cannot import torch (scripts/setup.sh installs it)" >&2; exit 1; }
out=${out:-$build/bench}
mkdir -p "$out"

bench_model() {
  local model=$1 variant=$2 t ct dump="$out/$1.safetensors" gt_files=() pt_files=()
  echo "== $model: writing the batch ($variant) ==" >&2
  "$build/tests/tool_parity_dump" --variant "$variant" --out "$dump" >&2
  for t in $threads; do
    echo "== $model: gt, $t thread(s) ==" >&2
    "$build/gt" bench --dump "$dump" --threads "$t" --steps "$steps" --warmup "$warmup" \
      --peak-size "$peak" >"$out/${model}_gt_t$t.txt"
    grep -v '^{' "$out/${model}_gt_t$t.txt" >&2
    gt_files+=("$out/${model}_gt_t$t.txt")
  done
  for t in $threads; do
    for ct in $coretypes; do
      echo "== $model: PyTorch, $t thread(s), OpenBLAS $ct ==" >&2
      local f="$out/${model}_pytorch_t${t}_$ct.json"
      if [ "$ct" = detected ]; then
        env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch_step.py --dump "$dump" \
          --threads "$t" --steps "$steps" --warmup "$warmup" --peak-size "$peak" >"$f"
      else
        OPENBLAS_CORETYPE=$ct /usr/bin/python3 bench/pytorch_step.py --dump "$dump" \
          --threads "$t" --steps "$steps" --warmup "$warmup" --peak-size "$peak" >"$f"
      fi
      pt_files+=("$f")
    done
  done
  /usr/bin/python3 bench/report.py --model "$model" --gt "${gt_files[@]}" \
    --pytorch "${pt_files[@]}" | tee "$out/$model.md"
}

for model in $models; do
  case "$model" in
    zinc) bench_model zinc zinc_bn_lappe ;;
    pattern) bench_model pattern pattern_bn_lappe ;;
    cluster) bench_model cluster cluster_bn_lappe ;;
  esac
  echo
done
