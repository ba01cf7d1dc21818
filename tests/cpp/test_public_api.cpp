// The public API (include/gt/gt.h): train a tiny model, evaluate its
// checkpoint, and count parameters, through the header alone.
#include <gt/gt.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

const std::string kRepo = std::string(GT_TEST_DATA_DIR) + "/..";

TEST(PublicApi, ParameterCountOfThePapersZincModel) {
  EXPECT_EQ(gt::parameter_count(kRepo + "/configs/zinc_sparse_bn_lappe.json"), 588929);
}

TEST(PublicApi, TrainThenEvaluateReproducesTheFinalTestMetric) {
  char tmpl[] = "/tmp/gt_api_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  gt::TrainOptions o;
  o.config_path = kRepo + "/tests/data/tiny_zinc.json";
  o.out_dir = std::string(tmpl) + "/run";
  o.epochs = 2;
  const gt::TrainSummary s = gt::train(o);
  EXPECT_EQ(s.epochs, 2);
  EXPECT_EQ(s.metric, "mae");
  EXPECT_GT(s.test_metric, 0.0);
  const gt::EvalSummary e = gt::evaluate(o.out_dir + "/checkpoint.safetensors", "test");
  EXPECT_EQ(e.epochs_done, 2);
  EXPECT_DOUBLE_EQ(e.value, s.test_metric);
  EXPECT_THROW(gt::evaluate(o.out_dir + "/checkpoint.safetensors", "tset"), std::runtime_error);
  std::system(("rm -rf " + std::string(tmpl)).c_str());
}

TEST(PublicApi, MissingConfigIsAClearError) {
  gt::TrainOptions o;
  o.config_path = "/nonexistent/config.json";
  try {
    gt::train(o);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/config.json"), std::string::npos);
  }
}

}  // namespace
