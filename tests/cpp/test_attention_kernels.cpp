// The attention kernels' layout and arithmetic helpers: reading Q, K, V as
// column blocks of one [N, 3d] QKV product gives bit-identical results to
// separate [N, d] arrays (every layout: compiled 8x8, 8x10 and the runtime
// path), the stride padding is never read or written, the channel-major rows
// of node-only layers give the head-major kernels' results bit for bit, and
// the vectorised exp is accurate to a few ulp over the clamped score range.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "gradcheck_util.h"
#include "ops/cpu/exp_approx.h"
#include "ops/ops.h"

namespace gt::gradtest {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Copies x [N, d] into columns [col, col + d) of a [N, ld] array.
void scatter_cols(const std::vector<float>& x, int64_t N, int d, int64_t ld, int col,
                  std::vector<float>* dst) {
  for (int64_t i = 0; i < N; ++i)
    for (int c = 0; c < d; ++c) (*dst)[i * ld + col + c] = x[i * d + c];
}
std::vector<float> gather_cols(const std::vector<float>& x, int64_t N, int d, int64_t ld, int col) {
  std::vector<float> r(N * d);
  for (int64_t i = 0; i < N; ++i)
    for (int c = 0; c < d; ++c) r[i * d + c] = x[i * ld + col + c];
  return r;
}

struct Outputs {
  std::vector<float> out, score, logit, alpha, z, dQ, dK, dV, dEp;
};

// Forward + backward with Q, K, V (and their gradients) at row stride ld;
// ld == d means separate contiguous arrays.
// q_scale widens Q's range (uniform in [-q_scale, q_scale]) so that logits
// reach the clamp at +-5.
Outputs run(const GraphBatch& batch, int H, int dk, bool edge, int64_t ld, uint64_t seed,
            ops::AttentionRows rows = ops::AttentionRows::Auto, double q_scale = 1.0) {
  const ops::CsrGraph g = csr_view(batch);
  const int d = H * dk;
  const int64_t N = g.num_nodes, M = g.num_edges;
  Rng rng(seed);
  const auto Q = uniform_vec(rng, N * d, -q_scale, q_scale);
  const auto K = uniform_vec(rng, N * d), V = uniform_vec(rng, N * d);
  const auto Ep = uniform_vec(rng, M * d), dout = uniform_vec(rng, N * d);
  const auto dscore = uniform_vec(rng, M * d);
  // Three column blocks of stride ld; the padding (if any) holds NaN.
  std::vector<float> qkv(N * ld * 3, kNaN), grads(N * ld * 3, kNaN);
  const int64_t stride = ld == d ? d : 3 * ld;
  const int64_t block = ld == d ? N * d : ld;  // offset of K's block from Q's
  for (int t = 0; t < 3; ++t) {
    const std::vector<float>& src = t == 0 ? Q : (t == 1 ? K : V);
    if (ld == d) std::memcpy(qkv.data() + t * block, src.data(), N * d * sizeof(float));
    else scatter_cols(src, N, d, stride, static_cast<int>(t * block), &qkv);
  }
  Outputs o;
  o.out.resize(N * d);
  o.score.resize(edge ? M * d : 0);
  o.logit.resize(M * H);
  o.alpha.resize(M * H);
  o.z.resize(N * H);
  const float* p = qkv.data();
  ops::graph_attention_forward(g, H, dk, stride, p, p + block, p + 2 * block, edge ? Ep.data() : nullptr,
                               o.out.data(), edge ? o.score.data() : nullptr, o.logit.data(),
                               o.alpha.data(), o.z.data(), rows);
  std::vector<float> dEp(edge ? M * d : 0), scratch(M * H);
  float* gp = grads.data();
  ops::graph_attention_backward(g, H, dk, stride, p, p + block, p + 2 * block,
                                edge ? Ep.data() : nullptr, o.out.data(), o.logit.data(),
                                o.alpha.data(), o.z.data(), dout.data(),
                                edge ? dscore.data() : nullptr, gp, gp + block, gp + 2 * block,
                                edge ? dEp.data() : nullptr, scratch.data(), rows);
  for (int t = 0; t < 3; ++t) {
    std::vector<float> gt_block =
        ld == d ? std::vector<float>(grads.begin() + t * block, grads.begin() + (t + 1) * block)
                : gather_cols(grads, N, d, stride, static_cast<int>(t * block));
    (t == 0 ? o.dQ : (t == 1 ? o.dK : o.dV)) = gt_block;
  }
  o.dEp = dEp;
  if (ld != d) {  // the kernels never touch the padding between blocks
    for (int64_t i = 0; i < N; ++i)
      for (int64_t c = 3 * ld - (ld - d); c < 3 * ld; ++c) EXPECT_TRUE(std::isnan(grads[i * stride + c]));
  }
  return o;
}

// Every output and gradient of two runs, bit for bit (empty arrays when a
// run has no edge features).
void expect_same_bits(const Outputs& a, const Outputs& b) {
  EXPECT_TRUE(same_bits(a.out, b.out));
  EXPECT_TRUE(same_bits(a.score, b.score));
  EXPECT_TRUE(same_bits(a.logit, b.logit));
  EXPECT_TRUE(same_bits(a.alpha, b.alpha));
  EXPECT_TRUE(same_bits(a.z, b.z));
  EXPECT_TRUE(same_bits(a.dQ, b.dQ));
  EXPECT_TRUE(same_bits(a.dK, b.dK));
  EXPECT_TRUE(same_bits(a.dV, b.dV));
  EXPECT_TRUE(same_bits(a.dEp, b.dEp));
}

TEST(AttentionKernels, StridedQkvMatchesSeparateArraysBitForBit) {
  BatchOptions opt;
  opt.sizes = {7, 1, 12, 5, 9};
  opt.edge_prob = 0.5;
  const GraphBatch batch = random_batch(5, opt);
  struct Case { int H, dk; };
  for (Case c : {Case{8, 8}, Case{8, 10}, Case{3, 5}})
    for (bool edge : {false, true})
      for (int pad : {0, 3}) {
        const int d = c.H * c.dk;
        const Outputs a = run(batch, c.H, c.dk, edge, d, 77);
        const Outputs b = run(batch, c.H, c.dk, edge, d + pad, 77);
        SCOPED_TRACE(testing::Message() << "H " << c.H << " dk " << c.dk << " edge " << edge << " pad " << pad);
        expect_same_bits(a, b);
      }
}

// Node-only layers with dk != 8 run on channel-major copies of their rows:
// every output and gradient must equal the head-major kernels' bit for bit
// (8 heads of 10 and 16: the heads-as-lanes kernels; 3x5: the run-time
// channel-major path; packed and padded QKV rows; Q scaled up so that part
// of the logits is clamped and the backward's mask is exercised).
TEST(AttentionKernels, ChannelMajorRowsMatchHeadMajorBitForBit) {
  BatchOptions opt;
  opt.sizes = {7, 1, 12, 5, 9, 30};
  opt.edge_prob = 0.5;
  const GraphBatch batch = random_batch(6, opt);
  struct Case { int H, dk; };
  for (Case c : {Case{8, 10}, Case{8, 16}, Case{3, 5}})
    for (int pad : {0, 3})
      for (double q_scale : {1.0, 8.0}) {
        const int64_t ld = c.H * c.dk + pad;
        const Outputs a = run(batch, c.H, c.dk, false, ld, 91, ops::AttentionRows::Auto, q_scale);
        const Outputs b =
            run(batch, c.H, c.dk, false, ld, 91, ops::AttentionRows::HeadMajor, q_scale);
        SCOPED_TRACE(testing::Message() << "H " << c.H << " dk " << c.dk << " pad " << pad
                                        << " q_scale " << q_scale);
        expect_same_bits(a, b);
        if (q_scale > 1.0) {  // the clamp must be in play on both sides of it
          int clamped = 0, inside = 0;
          for (float s : a.logit) (std::fabs(s) > 5.0f ? clamped : inside) += 1;
          EXPECT_GT(clamped, 0);
          EXPECT_GT(inside, 0);
        }
      }
}

TEST(AttentionKernels, ExpApproxWithinFourUlpOverClampedRange) {
  double worst = 0.0;
  for (int i = -500000; i <= 500000; ++i) {
    const float x = 5.0f * static_cast<float>(i) / 500000.0f;
    const double exact = std::exp(static_cast<double>(x));
    const double rel = std::fabs(ops::exp_approx(x) - exact) / exact;
    worst = std::max(worst, rel);
  }
  EXPECT_LT(worst, 4 * 5.96e-8) << "worst relative error " << worst;
  EXPECT_EQ(ops::exp_approx(0.0f), 1.0f);
}

}  // namespace
}  // namespace gt::gradtest
