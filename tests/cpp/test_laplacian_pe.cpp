// Laplacian PE and the eigen-solvers: analytic spectra (path, cycle), the
// eigen-equation and orthonormality of the kept vectors, padding and
// degenerate graphs, the sign rule, random per-graph signs, thread-count
// independence, and LAPACK
// against Jacobi.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <utility>
#include <vector>

#include "data/zinc.h"
#include "graph/eigen.h"
#include "graph/laplacian_pe.h"
#include "temp_dir.h"
#include "train/datasets.h"

namespace {

const double kPi = 3.14159265358979323846;

gt::Graph make_graph(int n, const std::vector<std::pair<int, int>>& bonds) {
  gt::Graph g;
  g.num_nodes = n;
  g.node_type.assign(n, 0);
  for (auto [u, v] : bonds) {
    g.src.insert(g.src.end(), {u, v});
    g.dst.insert(g.dst.end(), {v, u});
    g.edge_type.insert(g.edge_type.end(), {1, 1});
  }
  return g;
}

gt::Graph path_graph(int n) {
  std::vector<std::pair<int, int>> bonds;
  for (int i = 0; i + 1 < n; ++i) bonds.push_back({i, i + 1});
  return make_graph(n, bonds);
}

gt::Graph cycle_graph(int n) {
  std::vector<std::pair<int, int>> bonds;
  for (int i = 0; i < n; ++i) bonds.push_back({i, (i + 1) % n});
  return make_graph(n, bonds);
}

// Connected random graph: a random tree plus extra random edges.
gt::Graph random_graph(int n, int extra, std::mt19937* rng) {
  std::vector<std::pair<int, int>> bonds;
  std::vector<std::vector<bool>> has(n, std::vector<bool>(n, false));
  auto add = [&](int u, int v) {
    if (u == v || has[u][v]) return;
    has[u][v] = has[v][u] = true;
    bonds.push_back({u, v});
  };
  for (int i = 1; i < n; ++i) add(static_cast<int>((*rng)() % i), i);
  for (int e = 0; e < extra; ++e) add(static_cast<int>((*rng)() % n), static_cast<int>((*rng)() % n));
  return make_graph(n, bonds);
}

// Independent dense construction of L = I - D^-1/2 A D^-1/2 (degrees clipped to 1).
std::vector<double> laplacian(const gt::Graph& g) {
  const int n = g.num_nodes;
  std::vector<double> a(n * n, 0.0), deg(n, 0.0), L(n * n);
  for (int e = 0; e < g.num_edges(); ++e) a[g.dst[e] * n + g.src[e]] = 1.0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) deg[i] += a[i * n + j];
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      L[i * n + j] = (i == j) - a[i * n + j] / std::sqrt(std::max(deg[i], 1.0) * std::max(deg[j], 1.0));
  return L;
}

std::vector<float> pe_of(const gt::Graph& g, int k) {
  std::vector<float> pe(static_cast<size_t>(g.num_nodes) * k, -7.0f);  // poison: all must be written
  gt::laplacian_pe(g, k, pe.data());
  return pe;
}

// Column c of a [n, k] PE as doubles.
std::vector<double> column(const std::vector<float>& pe, int n, int k, int c) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = pe[i * k + c];
  return v;
}

// Checks L v = (v^T L v) v for every kept column, that the Rayleigh quotients
// are the expected eigenvalues, and that the columns are orthonormal.
void expect_eigen_columns(const gt::Graph& g, int k, const std::vector<double>& expected) {
  const int n = g.num_nodes;
  const std::vector<double> L = laplacian(g);
  const std::vector<float> pe = pe_of(g, k);
  const int kept = std::min(k, n - 1);
  for (int c = 0; c < kept; ++c) {
    const std::vector<double> v = column(pe, n, k, c);
    std::vector<double> Lv(n, 0.0);
    double rayleigh = 0.0;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) Lv[i] += L[i * n + j] * v[j];
      rayleigh += v[i] * Lv[i];
    }
    EXPECT_NEAR(rayleigh, expected[c + 1], 1e-5) << "column " << c;
    for (int i = 0; i < n; ++i) EXPECT_NEAR(Lv[i], rayleigh * v[i], 1e-5) << "column " << c;
    for (int d = 0; d <= c; ++d) {
      const std::vector<double> w = column(pe, n, k, d);
      double dot = 0.0;
      for (int i = 0; i < n; ++i) dot += v[i] * w[i];
      EXPECT_NEAR(dot, c == d ? 1.0 : 0.0, 1e-5) << "columns " << c << "," << d;
    }
  }
  for (int c = kept; c < k; ++c)
    for (int i = 0; i < n; ++i) EXPECT_EQ(pe[i * k + c], 0.0f) << "padding column " << c;
}

// The documented sign rule: the first entry of largest magnitude is positive.
void normalize_sign(std::vector<double>* v) {
  double largest = 0.0;
  for (double x : *v) largest = std::max(largest, std::fabs(x));
  for (double x : *v) {
    if (std::fabs(x) >= largest - 1e-12) {
      if (x < 0)
        for (double& y : *v) y = -y;
      return;
    }
  }
}

}  // namespace

TEST(Eigen, PathGraphSpectrumIsAnalytic) {
  for (int n : {2, 3, 10, 38}) {
    const gt::Graph g = path_graph(n);
    std::vector<double> expected(n), values(n), vectors(n * n);
    for (int j = 0; j < n; ++j) expected[j] = 1.0 - std::cos(kPi * j / (n - 1));
    const std::vector<double> L = laplacian(g);
    gt::symmetric_eigen(n, L.data(), values.data(), vectors.data());
    for (int j = 0; j < n; ++j) EXPECT_NEAR(values[j], expected[j], 1e-12) << n << " " << j;
    gt::symmetric_eigen_jacobi(n, L.data(), values.data(), vectors.data());
    for (int j = 0; j < n; ++j) EXPECT_NEAR(values[j], expected[j], 1e-12) << n << " " << j;
    expect_eigen_columns(g, 8, expected);
  }
}

TEST(Eigen, CycleSpectrumIsAnalytic) {
  for (int n : {3, 6, 9, 24}) {
    const gt::Graph g = cycle_graph(n);
    std::vector<double> expected(n), values(n), vectors(n * n);
    for (int j = 0; j < n; ++j) expected[j] = 1.0 - std::cos(2.0 * kPi * j / n);
    std::sort(expected.begin(), expected.end());
    const std::vector<double> L = laplacian(g);
    gt::symmetric_eigen(n, L.data(), values.data(), vectors.data());
    for (int j = 0; j < n; ++j) EXPECT_NEAR(values[j], expected[j], 1e-12) << n << " " << j;
    expect_eigen_columns(g, 8, expected);  // degenerate pairs: any basis passes
  }
}

TEST(Eigen, JacobiReconstructsRandomSymmetricMatrices) {
  std::mt19937 rng(7);
  for (int n : {1, 2, 5, 17, 40}) {
    std::vector<double> A(n * n), values(n), V(n * n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j <= i; ++j) A[i * n + j] = A[j * n + i] = (rng() % 2001) / 1000.0 - 1.0;
    gt::symmetric_eigen_jacobi(n, A.data(), values.data(), V.data());
    for (int j = 1; j < n; ++j) EXPECT_LE(values[j - 1], values[j]);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        double sum = 0.0;
        for (int c = 0; c < n; ++c) sum += V[c * n + i] * values[c] * V[c * n + j];
        EXPECT_NEAR(sum, A[i * n + j], 1e-12);
      }
  }
}

TEST(LaplacianPE, RandomGraphsSatisfyTheEigenEquation) {
  std::mt19937 rng(11);
  for (int t = 0; t < 20; ++t) {
    const gt::Graph g = random_graph(5 + static_cast<int>(rng() % 34), 3, &rng);
    const int n = g.num_nodes;
    std::vector<double> values(n), vectors(n * n);
    const std::vector<double> L = laplacian(g);
    gt::symmetric_eigen_jacobi(n, L.data(), values.data(), vectors.data());
    expect_eigen_columns(g, 8, values);
  }
}

TEST(LaplacianPE, PadsSmallGraphsWithZeros) {
  const gt::Graph g = path_graph(3);  // eigenvalues 0, 1, 2: two kept columns
  expect_eigen_columns(g, 8, {0.0, 1.0, 2.0});
  const std::vector<float> pe = pe_of(g, 8);
  // Kept columns are exact: (1, 0, -1)/sqrt2 and (1, -sqrt2, 1)/2 up to sign.
  EXPECT_NEAR(std::fabs(pe[0 * 8 + 0]), 1 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(pe[1 * 8 + 0], 0.0, 1e-6);
  EXPECT_NEAR(std::fabs(pe[1 * 8 + 1]), 1 / std::sqrt(2.0), 1e-6);
}

TEST(LaplacianPE, SingleNodeIsAllZeros) {
  const std::vector<float> pe = pe_of(make_graph(1, {}), 8);
  for (float x : pe) EXPECT_EQ(x, 0.0f);
}

TEST(LaplacianPE, IsolatedNodeIsFinite) {
  // Path 0-1-2 plus isolated node 3: spectrum {0, 1, 1, 2}; L_33 = 1 via the clipped degree.
  const gt::Graph g = make_graph(4, {{0, 1}, {1, 2}});
  const std::vector<double> L = laplacian(g);
  EXPECT_EQ(L[3 * 4 + 3], 1.0);
  expect_eigen_columns(g, 3, {0.0, 1.0, 1.0, 2.0});
  for (float x : pe_of(g, 3)) EXPECT_TRUE(std::isfinite(x));
  // A graph with no edges at all: L = I.
  expect_eigen_columns(make_graph(5, {}), 8, {1, 1, 1, 1, 1});
}

TEST(LaplacianPE, SignRuleHolds) {
  std::mt19937 rng(3);
  for (int t = 0; t < 20; ++t) {
    const gt::Graph g = random_graph(6 + static_cast<int>(rng() % 30), 4, &rng);
    const int n = g.num_nodes, k = 8;
    const std::vector<float> pe = pe_of(g, k);
    for (int c = 0; c < std::min(k, n - 1); ++c) {
      const std::vector<double> v = column(pe, n, k, c);
      // The sign of the largest entry (the float rounding of exact near-ties
      // could move which index is first, not the sign of the maximum).
      const auto top = std::max_element(v.begin(), v.end(),
                                        [](double a, double b) { return std::fabs(a) < std::fabs(b); });
      EXPECT_GT(*top, -1e-6) << "graph " << t << " column " << c;
    }
  }
}

TEST(LaplacianPE, ComputeForDatasetIsThreadCountIndependent) {
  gt::GraphDataset one = gt::read_zinc_typed_graphs(std::string(GT_TEST_DATA_DIR) + "/zinc/val_graphs.txt");
  gt::GraphDataset two = one;
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  gt::compute_laplacian_pe(&one, 8);
  omp_set_num_threads(std::max(2, saved));
  gt::compute_laplacian_pe(&two, 8);
  omp_set_num_threads(saved);
  ASSERT_EQ(one.pe_dim, 8);
  for (size_t i = 0; i < one.graphs.size(); ++i) {
    ASSERT_EQ(one.graphs[i].pe.size(), static_cast<size_t>(one.graphs[i].num_nodes) * 8);
    ASSERT_EQ(one.graphs[i].pe, two.graphs[i].pe) << "graph " << i;
  }
  gt::compute_laplacian_pe(&one, 0);
  EXPECT_EQ(one.pe_dim, 0);
  EXPECT_TRUE(one.graphs[0].pe.empty());
}

TEST(LaplacianPE, RandomSignsAreFixedPerGraphAndIndependentOfTheOthers) {
  gt::GraphDataset canonical =
      gt::read_zinc_typed_graphs(std::string(GT_TEST_DATA_DIR) + "/zinc/val_graphs.txt");
  gt::compute_laplacian_pe(&canonical, 8);
  gt::GraphDataset a = canonical, b = canonical, other_seed = canonical, head = canonical;
  head.graphs.resize(head.graphs.size() / 2);  // fewer graphs after: same signs before
  gt::randomize_pe_signs(&a, 77);
  gt::randomize_pe_signs(&b, 77);
  gt::randomize_pe_signs(&head, 77);
  gt::randomize_pe_signs(&other_seed, 78);
  int flipped = 0, columns = 0, differ_from_other_seed = 0;
  std::vector<int> orientation_patterns(256, 0);
  for (size_t i = 0; i < a.graphs.size(); ++i) {
    const gt::Graph& g = canonical.graphs[i];
    ASSERT_EQ(a.graphs[i].pe, b.graphs[i].pe) << "graph " << i;  // deterministic
    if (i < head.graphs.size()) {
      ASSERT_EQ(a.graphs[i].pe, head.graphs[i].pe) << "graph " << i;
    }
    int pattern = 0;
    for (int c = 0; c < std::min(8, g.num_nodes - 1); ++c) {
      // Each column is the canonical one times +1 or -1, the same for every
      // node; the sign is read off the canonical column's largest entry (> 0).
      int top = 0;
      for (int v = 1; v < g.num_nodes; ++v)
        if (g.pe[static_cast<size_t>(v) * 8 + c] > g.pe[static_cast<size_t>(top) * 8 + c]) top = v;
      const size_t at = static_cast<size_t>(top) * 8 + c;
      const float s = a.graphs[i].pe[at] == g.pe[at] ? 1.0f : -1.0f;
      for (int v = 0; v < g.num_nodes; ++v)
        ASSERT_EQ(a.graphs[i].pe[static_cast<size_t>(v) * 8 + c], s * g.pe[static_cast<size_t>(v) * 8 + c])
            << "graph " << i << " node " << v << " column " << c;
      flipped += s < 0, ++columns, pattern |= (s < 0) << c;
      differ_from_other_seed += a.graphs[i].pe[at] != other_seed.graphs[i].pe[at];
    }
    ++orientation_patterns[pattern];
  }
  // Fair coins: ~half of the columns flipped, the seed matters, and graphs do
  // not share one orientation (the point of the option).
  ASSERT_GT(columns, 1000);
  EXPECT_NEAR(static_cast<double>(flipped) / columns, 0.5, 0.05);
  EXPECT_NEAR(static_cast<double>(differ_from_other_seed) / columns, 0.5, 0.05);
  EXPECT_LT(*std::max_element(orientation_patterns.begin(), orientation_patterns.end()),
            static_cast<int>(a.graphs.size()) / 20);
}

// The config key reaches the data: "pe_sign": "random" stores signs that are a
// function of the data alone (not of the training seed), in every split.
TEST(LaplacianPE, ConfigPeSignRandomReachesEverySplit) {
  gt::test::TempDir dir;  // data/zinc through a link, with the cache in the temp dir
  std::filesystem::create_directory_symlink(std::string(GT_TEST_DATA_DIR) + "/zinc", dir.file("zinc"));
  gt::Config canonical;  // ZINC, LapPE k = 8
  canonical.max_num_graphs = 300;
  gt::Config random = canonical, random_other_seed = canonical;
  random.pe_sign = random_other_seed.pe_sign = "random";
  random_other_seed.params.seed = 95;
  const gt::DataSplits c = gt::load_splits(canonical, dir.str());
  const gt::DataSplits r = gt::load_splits(random, dir.str());
  const gt::DataSplits o = gt::load_splits(random_other_seed, dir.str());
  const gt::GraphDataset gt::DataSplits::*splits[] = {&gt::DataSplits::train, &gt::DataSplits::val,
                                                       &gt::DataSplits::test};
  for (auto split : splits) {
    const gt::GraphDataset &cs = c.*split, &rs = r.*split, &os = o.*split;
    ASSERT_EQ(cs.graphs.size(), 300u);
    size_t differ = 0, total = 0;
    for (size_t i = 0; i < cs.graphs.size(); ++i) {
      ASSERT_EQ(rs.graphs[i].pe, os.graphs[i].pe) << cs.name << " graph " << i;
      for (size_t j = 0; j < cs.graphs[i].pe.size(); ++j) {
        ASSERT_EQ(std::fabs(rs.graphs[i].pe[j]), std::fabs(cs.graphs[i].pe[j]));
        if (cs.graphs[i].pe[j] != 0.0f) differ += rs.graphs[i].pe[j] != cs.graphs[i].pe[j], ++total;
      }
    }
    EXPECT_NEAR(static_cast<double>(differ) / total, 0.5, 0.1) << cs.name;
  }
}

TEST(Eigen, LapackAndJacobiAgree) {
#ifndef GT_HAVE_LAPACK
  GTEST_SKIP() << "built without LAPACK: symmetric_eigen is the Jacobi solver";
#endif
  EXPECT_STREQ(gt::symmetric_eigen_solver_name(), "lapack-dsyevd");
  const gt::GraphDataset val =
      gt::read_zinc_typed_graphs(std::string(GT_TEST_DATA_DIR) + "/zinc/val_graphs.txt");
  int compared_vectors = 0;
  for (size_t gi = 0; gi < val.graphs.size(); gi += 5) {
    const gt::Graph& g = val.graphs[gi];
    const int n = g.num_nodes;
    const std::vector<double> L = laplacian(g);
    std::vector<double> lv(n), jv(n), lV(n * n), jV(n * n);
    gt::symmetric_eigen(n, L.data(), lv.data(), lV.data());
    gt::symmetric_eigen_jacobi(n, L.data(), jv.data(), jV.data());
    for (int j = 0; j < n; ++j) ASSERT_NEAR(lv[j], jv[j], 1e-10) << "graph " << gi;
    for (int j = 0; j < n; ++j) {
      const double gap = std::min(j > 0 ? lv[j] - lv[j - 1] : 1.0, j + 1 < n ? lv[j + 1] - lv[j] : 1.0);
      if (gap < 1e-6) continue;  // degenerate: the basis is solver-specific
      std::vector<double> a(lV.begin() + j * n, lV.begin() + (j + 1) * n);
      std::vector<double> b(jV.begin() + j * n, jV.begin() + (j + 1) * n);
      normalize_sign(&a);
      normalize_sign(&b);
      for (int i = 0; i < n; ++i) ASSERT_NEAR(a[i], b[i], 1e-8) << "graph " << gi << " vector " << j;
      ++compared_vectors;
    }
  }
  EXPECT_GT(compared_vectors, 3000);
}
