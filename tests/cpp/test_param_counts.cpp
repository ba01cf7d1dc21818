// The paper's parameter counts (SPEC §3), for every shipped config: a faithful
// build of the official model must match them exactly.
#include <gtest/gtest.h>

#include <string>

#include "train/config.h"
#include "train/datasets.h"

namespace {

int64_t count_of(const std::string& config_file) {
  const gt::Config c = gt::load_config(std::string(GT_TEST_DATA_DIR) + "/../configs/" + config_file);
  gt::GraphTransformer model(gt::model_spec(c, gt::benchmark_info(c.dataset)));
  return model.num_parameters();
}

TEST(ParamCounts, ZincMatchesPaper) {
  EXPECT_EQ(count_of("zinc_sparse_bn_lappe.json"), 588929);
  EXPECT_EQ(count_of("zinc_sparse_bn_nope.json"), 588353);
  EXPECT_EQ(count_of("zinc_sparse_ln_lappe.json"), 588929);
  EXPECT_EQ(count_of("zinc_full_bn_lappe.json"), 588929);  // full-graph attention: same weights
}

TEST(ParamCounts, SbmMatchesPaper) {
  EXPECT_EQ(count_of("pattern_sparse_bn_lappe.json"), 522982);
  EXPECT_EQ(count_of("pattern_sparse_bn_nope.json"), 522742);
  EXPECT_EQ(count_of("cluster_sparse_bn_lappe.json"), 524026);
  EXPECT_EQ(count_of("cluster_sparse_bn_nope.json"), 523146);
}

}  // namespace
