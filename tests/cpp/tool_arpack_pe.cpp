// Writes, for the first graphs of a generated SBM test split, what gt's
// official-solver encodings ("pe_solver": "arpack") are made from and what
// they are: the graph, ARPACK's start vector and the encodings. For
// tests/e2e/test_pe_solver_arpack.py, which runs scipy's eigs from the same
// start vectors and compares.
//
// usage: tool_arpack_pe --kind pattern|cluster --graphs N --tol T --out FILE
// FILE (little-endian): int32 graphs, int32 k, then per graph int32 n,
// int32 m, int32 src[m], int32 dst[m], float64 v0[n], float32 pe[n * k].
#include <cstdio>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "data/sbm.h"
#include "graph/laplacian_pe.h"
#include "train/datasets.h"
#include "tool_common.h"

namespace {

using namespace gt;
using gt::tool::arg;

template <typename T>
void put(std::string* out, const T* data, size_t count) {
  out->append(reinterpret_cast<const char*>(data), sizeof(T) * count);
}

int run(int argc, char** argv) {
  const SbmKind kind = parse_sbm_kind(arg(argc, argv, "kind"));
  const int32_t graphs = std::stoi(arg(argc, argv, "graphs"));
  const double tol = std::stod(arg(argc, argv, "tol"));
  const int32_t k = kind == SbmKind::Pattern ? 2 : 10;  // the paper's pos_enc_dim
  SbmSplits sbm = load_or_generate_sbm(kind, kSbmDataSeed, 0, "", graphs);
  std::string out;
  put(&out, &graphs, 1);
  put(&out, &k, 1);
  for (int32_t i = 0; i < graphs; ++i) {
    const Graph& g = sbm.test.graphs.at(i);
    const int32_t n = g.num_nodes, m = g.num_edges();
    const std::vector<double> v0 = arpack_start_vector(12345, i, n);
    std::vector<float> pe(static_cast<size_t>(n) * k);
    laplacian_pe_arpack(g, k, tol, v0.data(), pe.data());
    put(&out, &n, 1);
    put(&out, &m, 1);
    put(&out, g.src.data(), m);
    put(&out, g.dst.data(), m);
    put(&out, v0.data(), n);
    put(&out, pe.data(), pe.size());
  }
  write_file_atomic(arg(argc, argv, "out"), out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return gt::tool::main_of("tool_arpack_pe", run, argc, argv); }
