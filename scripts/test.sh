#!/usr/bin/env bash
# The test suite: sets up, builds, runs every C++ test and the PyTorch parity test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure -j 2 --timeout 900
