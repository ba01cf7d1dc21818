#!/usr/bin/env bash
# Builds and runs one libFuzzer target of gt's data readers:
#   fuzz/run.sh <target> [seconds] [extra libFuzzer flags...]
# compiles fuzz/fuzz_<target>.cpp with the sources it needs (clang++,
# -fsanitize=fuzzer,address,undefined) into build-fuzz/<target>/ and runs it
# (niced) for `seconds` (default 60) on fuzz/corpus/<target>/. New inputs go to
# build-fuzz/<target>/corpus/ so the committed seed corpus stays small; crashes
# land in build-fuzz/<target>/ as crash-* files (rerun one with
# build-fuzz/<target>/fuzz_<target> <file>). Needs clang and its fuzzer runtime
# (scripts/setup.sh --fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: fuzz/run.sh <target> [seconds] [libFuzzer flags...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))

# gzip'd inputs go through zlib when its header is installed, as in the CMake build.
if [ -f /usr/include/zlib.h ]; then gzip_src=(src/data/gzip_zlib.cpp); gzip_lib=(-lz)
else gzip_src=(src/data/gzip_none.cpp); gzip_lib=(); fi

# The library sources each target needs besides fuzz/fuzz_<target>.cpp.
sources_for() {
  case "$1" in
    tu) echo src/data/tu.cpp src/data/text_table.cpp "${gzip_src[@]}" ;;
    ogb) echo src/data/ogb.cpp src/data/csv.cpp src/data/text_table.cpp "${gzip_src[@]}" ;;
    # No RDKit here: mol_ogb_none.cpp stands in for the featuriser (see fuzz_csv.cpp).
    csv) echo src/data/csv.cpp src/data/smiles_csv.cpp src/data/mol_ogb_none.cpp src/data/text_table.cpp \
              "${gzip_src[@]}" ;;
    *) echo "fuzz/run.sh: unknown target '$1' (add it to sources_for)" >&2; return 1 ;;
  esac
}

sources=$(sources_for "$target")
CXX=${CXX:-clang++}
out=build-fuzz/$target
mkdir -p "$out/corpus" "fuzz/corpus/$target"
echo "fuzz: building $out/fuzz_$target"
# shellcheck disable=SC2086
nice -n 19 "$CXX" -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Isrc "fuzz/fuzz_$target.cpp" $sources "${gzip_lib[@]}" -o "$out/fuzz_$target"

dict=()
if [ -f "fuzz/$target.dict" ]; then dict=(-dict="fuzz/$target.dict"); fi
echo "fuzz: running $target for ${seconds}s"
exec nice -n 19 "$out/fuzz_$target" -max_total_time="$seconds" -artifact_prefix="$out/" \
  "${dict[@]}" "$@" "$out/corpus" "fuzz/corpus/$target"
