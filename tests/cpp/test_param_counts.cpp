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

// The SBM diagnostics on data draw 2 are the main cells' configs with only the
// draw (and the output folder) changed, so their rows compare like with like.
void expect_main_config_on_draw_two(const std::string& main_file, const std::string& draw2_file,
                                    int64_t params) {
  const std::string dir = std::string(GT_TEST_DATA_DIR) + "/../configs/";
  gt::Config draw2 = gt::load_config(dir + draw2_file);
  const gt::Config main = gt::load_config(dir + main_file);
  ASSERT_TRUE(draw2.data_seed.has_value()) << draw2_file;
  EXPECT_EQ(*draw2.data_seed, 2) << draw2_file;
  EXPECT_NE(gt::sbm_data_seed(draw2), gt::sbm_data_seed(main)) << draw2_file;
  draw2.data_seed = main.data_seed;
  draw2.out_dir = main.out_dir;
  EXPECT_EQ(draw2, main) << draw2_file;
  EXPECT_EQ(count_of(draw2_file), params);
}

TEST(ParamCounts, DrawTwoDiagnosticsAreTheMainConfigsOnAnotherDraw) {
  expect_main_config_on_draw_two("cluster_sparse_bn_lappe.json", "cluster_sparse_bn_lappe_draw2.json",
                                 524026);
  expect_main_config_on_draw_two("pattern_sparse_bn_lappe.json", "pattern_sparse_bn_lappe_draw2.json",
                                 522982);
}

// The sign diagnostic is the main CLUSTER config with random stored PE signs.
TEST(ParamCounts, RandomSignDiagnosticIsTheMainConfigWithRandomSigns) {
  const std::string dir = std::string(GT_TEST_DATA_DIR) + "/../configs/";
  gt::Config signs = gt::load_config(dir + "cluster_sparse_bn_lappe_random_signs.json");
  const gt::Config main = gt::load_config(dir + "cluster_sparse_bn_lappe.json");
  EXPECT_EQ(signs.pe_sign, "random");
  EXPECT_EQ(main.pe_sign, "canonical");
  signs.pe_sign = main.pe_sign;
  signs.out_dir = main.out_dir;
  EXPECT_EQ(signs, main);
}

}  // namespace
