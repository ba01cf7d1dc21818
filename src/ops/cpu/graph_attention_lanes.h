// Node-only attention (SPEC §1) for layers of 8 heads, on channel-major rows:
// channel c of head h at c*8 + h, so each channel of a row is one 8-float
// vector with the heads as its lanes. graph_attention.cpp permutes the rows
// and calls these for the paper's PATTERN and CLUSTER layers (8 heads of 10).
//
// Same contract as graph_attention_forward/backward with H = 8 and packed
// rows (stride 8*dk); every value sees the same operations in the same order
// as in the head-major kernels, so the results agree bit for bit
// (tests/cpp/test_attention_kernels.cpp).
#pragma once
#include "ops/ops.h"

namespace gt::ops {

// True for the head widths compiled here (8 heads of dk channels).
bool attention_lanes_supported(int H, int dk);

void attention_lanes_forward(const CsrGraph& g, int dk, const float* Q, const float* K,
                             const float* V, float* out, float* logit, float* alpha, float* z);

void attention_lanes_backward(const CsrGraph& g, int dk, const float* Q, const float* K,
                              const float* V, const float* out, const float* logit,
                              const float* alpha, const float* z, const float* d_out, float* dQ,
                              float* dK, float* dV, float* scratch);

}  // namespace gt::ops
