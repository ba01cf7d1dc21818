#!/usr/bin/env bash
# Installs the Debian packages gt needs (idempotent, non-interactive).
# Everything optional has a fallback: without RDKit gt reads the shipped
# pre-typed graphs, without oneDNN it uses its portable GEMM, without LAPACK
# its Jacobi eigen-solver, without ARPACK the official solver's encodings
# ("pe_solver": "arpack") are unavailable, without MPI it trains in one process only, without
# python3-torch the PyTorch parity test is not run, without python3-scipy
# the test of the ARPACK encoding diagnostic.
set -euo pipefail

packages=(
  build-essential cmake           # compiler and build
  libdnnl-dev                     # oneDNN sgemm (fast GEMM)
  liblapacke-dev liblapack-dev    # dsyevd for Laplacian PE
  libarpack2-dev                  # ARPACK: the official SBM solver ("pe_solver": "arpack")
  librdkit-dev libboost-dev       # SMILES -> molecular graphs
  zlib1g-dev                      # gzip'd inputs (OGB *.csv.gz)
  libopenmpi-dev openmpi-bin      # data-parallel training (mpirun -np P gt train)
  libgtest-dev                    # C++ tests
  python3-torch python3-numpy     # the PyTorch parity oracle (/usr/bin/python3)
  libopenblas0-pthread            # its BLAS: Debian's torch calls libblas.so.3, which is
                                  # the reference BLAS without it (~10x slower GEMMs)
  python3-scipy                   # the official ARPACK solver, for the SBM encoding
                                  # diagnostics (scripts/sbm_pe_*arpack*.py) and their test
)

# --fuzz: also what fuzz/run.sh needs (clang and its libFuzzer/ASan runtime;
# libclang-rt-dev is Debian's metapackage for the default clang's runtime,
# libclang-rt-14-dev on bookworm, not pulled in without recommends).
for arg in "$@"; do
  case "$arg" in
    --fuzz) packages+=(clang libclang-rt-dev) ;;
    *) echo "setup: unknown option $arg (known: --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
