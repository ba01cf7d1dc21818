#!/usr/bin/env bash
# The build without MPI (-DGT_WITH_MPI=OFF, what a machine without
# libopenmpi-dev gets): gt builds, trains in one process, and refuses to run
# as one of several ranks with a clear message instead of training P copies.
# usage: test_build_without_mpi.sh SOURCE_DIR WORK_DIR [MPIEXEC]
set -euo pipefail
src=$1 work=$2 mpiexec=${3:-}
rm -rf "$work"
cmake -S "$src" -B "$work/build" -DGT_WITH_MPI=OFF -DGT_BUILD_TESTS=OFF > "$work.cmake.log"
grep -q "gt: MPI not found, one process only" "$work.cmake.log" || { echo "FAIL  MPI was not switched off"; exit 1; }
cmake --build "$work/build" --target gt -j 2 > "$work.build.log"
gt=$work/build/gt
if ldd "$gt" | grep -q libmpi; then echo "FAIL  gt links MPI"; exit 1; fi
"$gt" train --config "$src/tests/data/tiny_zinc.json" --out "$work/run" --epochs 1 --threads 1 > /dev/null 2>&1
test -s "$work/run/results.json" || { echo "FAIL  one-process training"; exit 1; }
echo "PASS  builds and trains without MPI"
if [ -n "$mpiexec" ]; then
  set +e
  out=$("$mpiexec" -np 2 "$gt" train --config "$src/tests/data/tiny_zinc.json" --out "$work/mpi" --epochs 1 2>&1)
  set -e
  if ! grep -q "this gt was built without MPI, so it cannot run as one of several ranks" <<< "$out"; then
    echo "FAIL  no clear error under mpirun: $out"; exit 1
  fi
  if [ -e "$work/mpi/results.json" ]; then echo "FAIL  trained under mpirun anyway"; exit 1; fi
  echo "PASS  refuses to run as one of several ranks"
fi
