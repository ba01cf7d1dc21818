// Shared helpers of the finite-difference gradient checks
// (test_gradcheck_ops.cpp, test_gradcheck_model.cpp): random tensors, a
// random graph batch, and a central-difference driver.
//
// Method. Every check differentiates a scalar L = sum(w ⊙ output) with fixed
// random weights w (w is also the output gradient fed to the backward). The
// ops are fp32 only, so L is accumulated in double from the fp32 outputs and
// the derivative is the 4-point central difference
//   L'(x) ≈ [8 (L(x+h) - L(x-h)) - (L(x+2h) - L(x-2h))] / (12 h)
// whose truncation error is O(h^4 L^(5)). That lets h be fairly large
// (default 1e-2 for O(1) inputs), so the fp32 rounding noise of L, about
// 1e-7 |L| / h, stays near 1e-5 |L| instead of the 1e-4 |L| a 2-point
// difference at h = 1e-3 would leave. The perturbed values are rounded to
// fp32 before use; h is taken from the rounded values.
//
// Criterion (relative to the max-norm): over the checked entries,
//   max |fd - analytic| <= rtol * max(||analytic||_inf, ||fd||_inf, floor)
// with floor a caller-chosen scale (the typical gradient size) so a tensor
// whose exact gradient is 0 is judged against FD noise, not against 0.
// Op checks use rtol = 2e-3 (measured errors: 1e-7 to 6e-5 of the max-norm);
// a real bug (a wrong sign, a missing term, a missing 1/sqrt(dk) = a factor
// of 2 here) is an O(1) relative error, orders of magnitude above that.
// GT_GRADCHECK_VERBOSE=1 prints every passing check's error.
//
// Inputs of non-smooth ops (ReLU, max pooling, the score clamp) are drawn
// with a margin from their kinks of several 2h, so no FD point crosses one.
// The whole model cannot be kept off its kinks; there entries whose central
// difference straddles one fall back to narrower stencils (kink_error).
#pragma once
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/rng.h"
#include "graph/graph.h"
#include "ops/ops.h"

namespace gt::gradtest {

// ---- random tensors --------------------------------------------------------

inline std::vector<float> uniform_vec(Rng& rng, size_t n, double lo = -1.0, double hi = 1.0) {
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(lo + (hi - lo) * rng.uniform());
  return v;
}

// Uniform in [-hi, -lo] ∪ [lo, hi]: values kept away from 0 (ReLU's kink).
inline std::vector<float> away_from_zero(Rng& rng, size_t n, double lo, double hi) {
  std::vector<float> v = uniform_vec(rng, n, lo, hi);
  for (auto& x : v)
    if (rng.uniform() < 0.5) x = -x;
  return v;
}

// L = sum_i w_i y_i, accumulated in double.
inline double weighted_sum(const float* y, const std::vector<float>& w) {
  double s = 0.0;
  for (size_t i = 0; i < w.size(); ++i) s += static_cast<double>(w[i]) * y[i];
  return s;
}

inline double max_abs(const std::vector<float>& v) {
  double m = 0.0;
  for (float x : v) m = std::max(m, std::fabs(static_cast<double>(x)));
  return m;
}

// ---- finite differences ----------------------------------------------------

struct FdOptions {
  double step = 1e-2;   // h; relative to the magnitude of the inputs (O(1) here)
  double rtol = 2e-3;   // relative to the max-norm of the gradient
  double floor = 0.0;   // minimum scale of the max-norm (see the header comment)
  // Whole-model checks (ReLUs everywhere): an entry whose central difference
  // fails is judged by kink_error.
  bool allow_kinks = false;
};

// Derivative estimates from L at x + {-2h, -h, 0, h, 2h}: central is the
// 4-point formula above; left and right are the second-order one-sided
// differences from {x-2h, x-h, x} and {x, x+h, x+2h} (truncation h^2 L'''/3).
struct FdEstimate {
  double central, left, right;
};

namespace detail {
// f'(0) from f(0), f(a), f(b), exact for quadratics (a, b distinct, nonzero).
inline double one_sided(double f0, double a, double fa, double b, double fb) {
  return -(a + b) / (a * b) * f0 + b / (a * (b - a)) * fa - a / (b * (b - a)) * fb;
}
}  // namespace detail

// Finite differences of loss() with respect to *x, given l0 = loss() at the
// current point; *x is restored. Steps are measured after fp32 rounding.
inline FdEstimate fd_derivative(float* x, const std::function<double()>& loss, double h, double l0) {
  const float x0 = *x;
  double step[4], val[4];  // at -2h, -h, +h, +2h
  const double mult[4] = {-2, -1, 1, 2};
  for (int k = 0; k < 4; ++k) {
    *x = static_cast<float>(x0 + mult[k] * h);
    step[k] = static_cast<double>(*x) - x0;
    val[k] = loss();
  }
  *x = x0;
  const double d1 = (val[2] - val[1]) / (step[2] - step[1]);
  const double d2 = (val[3] - val[0]) / (step[3] - step[0]);
  return {(4 * d1 - d2) / 3, detail::one_sided(l0, step[1], val[1], step[0], val[0]),
          detail::one_sided(l0, step[2], val[2], step[3], val[3])};
}

// Runs the enclosing scope on one OpenMP thread. The FD reference is only a
// measurement (the thread count changes nothing but rounding); evaluating it
// on one thread keeps its thousands of small forwards fast when the cores
// are shared. The backward under test runs with the configured threads.
class SingleThreaded {
 public:
  SingleThreaded() : saved_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~SingleThreaded() { omp_set_num_threads(saved_); }
  SingleThreaded(const SingleThreaded&) = delete;
  SingleThreaded& operator=(const SingleThreaded&) = delete;

 private:
  int saved_;
};

// Error of an entry whose central difference is off (by more than a quarter
// of the tolerance, so the reported errors stay clean), for a function with
// kinks (a whole network of ReLUs: a parameter feeding every row moves
// thousands of pre-activations, and the MLP head's few units can sit close
// to 0). A kink at distance t from x only disturbs stencils that reach past
// it, so the error is the best of the one-sided differences at h (a kink on
// one side only) and all three estimates at h/4 and h/16 (nearer kinks).
// The narrow stencils are noisier (fp32 noise / step), which can only make a
// correct entry fail, not a wrong one pass by more than that noise. The
// analytic gradient is the slope at x itself, so a correct one agrees with
// some of these; a wrong one agrees with none.
inline double kink_error(const FdEstimate& at_h, double analytic, float* x,
                         const std::function<double()>& loss, double h, double l0) {
  double err = std::min(std::fabs(at_h.left - analytic), std::fabs(at_h.right - analytic));
  for (double narrow : {h / 4, h / 16}) {
    const FdEstimate q = fd_derivative(x, loss, narrow, l0);
    for (double d : {q.central, q.left, q.right}) err = std::min(err, std::fabs(d - analytic));
  }
  return err;
}

// Compares analytic[i] with the finite difference of loss() with respect to
// x[i] for i in indices (every entry when indices is empty). loss() must read
// x (it is perturbed in place and restored).
inline ::testing::AssertionResult gradcheck(const std::string& what, float* x, size_t n,
                                            const std::vector<float>& analytic,
                                            const std::function<double()>& loss,
                                            const FdOptions& opt = {},
                                            std::vector<size_t> indices = {}) {
  if (analytic.size() != n)
    return ::testing::AssertionFailure() << what << ": gradient has " << analytic.size()
                                         << " entries, tensor " << n;
  if (indices.empty())
    for (size_t i = 0; i < n; ++i) indices.push_back(i);
  SingleThreaded one_thread;
  const double l0 = loss();
  std::vector<FdEstimate> fd;
  double scale = opt.floor;
  for (size_t i : indices) {
    fd.push_back(fd_derivative(x + i, loss, opt.step, l0));
    scale = std::max({scale, std::fabs(static_cast<double>(analytic[i])), std::fabs(fd.back().central)});
  }
  const double tol = opt.rtol * scale;
  double worst = -1.0;
  size_t worst_k = 0, kinks = 0;
  for (size_t k = 0; k < fd.size(); ++k) {
    const size_t i = indices[k];
    double err = std::fabs(fd[k].central - analytic[i]);
    if (opt.allow_kinks && err > 0.25 * tol) {
      const double kink_err = kink_error(fd[k], analytic[i], x + i, loss, opt.step, l0);
      kinks += err > tol && kink_err <= tol;
      err = std::min(err, kink_err);
    }
    if (!(err <= worst)) worst = err, worst_k = k;  // !(<=) also catches NaN
  }
  std::ostringstream os;
  os << what << ": " << indices.size() << " entries";
  if (kinks) os << " (" << kinks << " through the kink fallbacks)";
  os << ", max |fd - analytic| = " << worst << " at [" << indices[worst_k] << "] (analytic "
     << analytic[indices[worst_k]] << ", fd " << fd[worst_k].central << " central, "
     << fd[worst_k].left << " left, " << fd[worst_k].right << " right), max-norm " << scale
     << ", relative " << worst / scale << " (rtol " << opt.rtol << ")";
  if (!(worst <= tol)) return ::testing::AssertionFailure() << os.str();
  if (std::getenv("GT_GRADCHECK_VERBOSE")) std::printf("  ok  %s\n", os.str().c_str());
  return ::testing::AssertionSuccess() << os.str();
}

inline ::testing::AssertionResult gradcheck(const std::string& what, std::vector<float>& x,
                                            const std::vector<float>& analytic,
                                            const std::function<double()>& loss,
                                            const FdOptions& opt = {},
                                            std::vector<size_t> indices = {}) {
  return gradcheck(what, x.data(), x.size(), analytic, loss, opt, std::move(indices));
}

// ---- random graph batches --------------------------------------------------

struct BatchOptions {
  std::vector<int32_t> sizes = {5, 1, 4, 6};  // nodes per graph (1: a one-node graph)
  double edge_prob = 0.4;
  int pe_dim = 0;
  std::vector<int32_t> node_vocab = {5}, edge_vocab = {3};  // categorical columns
  int node_cont = 0, edge_cont = 0;                         // continuous columns
  int num_targets = 1;
};

// A random directed graph over n nodes: each ordered pair (i, j), i != j, is
// an edge with probability p, except that node 0 gets no in-edges when
// source_only_node0 (a node whose attention is empty); one edge is repeated
// (a parallel edge) when there are any. Features, PE and targets are uniform
// random.
inline Graph random_graph(Rng& rng, int32_t n, double p, bool source_only_node0,
                          const BatchOptions& opt) {
  Graph g;
  g.num_nodes = n;
  for (int32_t i = 0; i < n; ++i)
    for (int32_t v : opt.node_vocab) g.node_type.push_back(static_cast<int32_t>(rng.below(v)));
  g.node_cont = uniform_vec(rng, static_cast<size_t>(n) * opt.node_cont);
  for (int32_t j = 0; j < n; ++j)
    for (int32_t i = 0; i < n; ++i) {
      if (i == j || (source_only_node0 && j == 0) || rng.uniform() >= p) continue;
      g.src.push_back(i);
      g.dst.push_back(j);
    }
  if (!g.src.empty()) {
    const size_t e = rng.below(g.src.size());
    g.src.push_back(g.src[e]);
    g.dst.push_back(g.dst[e]);
  }
  for (size_t e = 0; e < g.src.size(); ++e)
    for (int32_t v : opt.edge_vocab) g.edge_type.push_back(static_cast<int32_t>(rng.below(v)));
  g.edge_cont = uniform_vec(rng, g.src.size() * opt.edge_cont);
  g.pe = uniform_vec(rng, static_cast<size_t>(n) * opt.pe_dim);
  g.y = uniform_vec(rng, static_cast<size_t>(opt.num_targets));
  return g;
}

// An empty data set whose columns are those random_graph makes for opt.
inline GraphDataset empty_dataset(const BatchOptions& opt) {
  GraphDataset data;
  data.pe_dim = opt.pe_dim;
  data.node_vocab = opt.node_vocab;
  data.edge_vocab = opt.edge_vocab;
  data.node_cont = opt.node_cont;
  data.edge_cont = opt.edge_cont;
  data.num_targets = opt.num_targets;
  return data;
}

// Collates random graphs with the given sizes (every graph of 3+ nodes has a
// node without in-edges) through gt::collate, exactly as training does.
inline GraphBatch random_batch(uint64_t seed, const BatchOptions& opt = {}) {
  Rng rng(seed);
  GraphDataset data = empty_dataset(opt);
  for (int32_t n : opt.sizes) data.graphs.push_back(random_graph(rng, n, opt.edge_prob, n >= 3, opt));
  std::vector<int32_t> indices(data.graphs.size());
  for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<int32_t>(i);
  GraphBatch batch;
  collate(data, indices.data(), static_cast<int32_t>(indices.size()), &batch);
  return batch;
}

inline ops::CsrGraph csr_view(const GraphBatch& b) {
  return ops::CsrGraph{b.num_nodes,    b.num_edges,      b.dst_ptr.data(), b.src.data(),
                       b.dst.data(), b.src_ptr.data(), b.by_src.data()};
}

}  // namespace gt::gradtest
