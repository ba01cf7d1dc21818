// The public API (include/gt/gt.h): train a tiny model, evaluate its
// checkpoint, and count parameters, through the header alone.
#include <gt/gt.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

const std::string kRepo = std::string(GT_TEST_DATA_DIR) + "/..";

// A fresh directory under /tmp, removed with its contents at scope exit.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/gt_api_XXXXXX";
    if (mkdtemp(tmpl)) path = tmpl;
  }
  ~TempDir() {
    if (!path.empty()) std::filesystem::remove_all(path);
  }
};

// The tiny ZINC config trained for `epochs` into <dir>/run.
gt::TrainOptions tiny_zinc(const TempDir& dir, int epochs) {
  gt::TrainOptions o;
  o.config_path = kRepo + "/tests/data/tiny_zinc.json";
  o.out_dir = dir.path + "/run";
  o.epochs = epochs;
  return o;
}

TEST(PublicApi, ParameterCountOfThePapersZincModel) {
  EXPECT_EQ(gt::parameter_count(kRepo + "/configs/zinc_sparse_bn_lappe.json"), 588929);
}

TEST(PublicApi, TrainThenEvaluateReproducesTheFinalTestMetric) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const gt::TrainOptions o = tiny_zinc(tmp, 2);
  const gt::TrainSummary s = gt::train(o);
  EXPECT_EQ(s.epochs, 2);
  EXPECT_EQ(s.metric, "mae");
  EXPECT_GT(s.test_metric, 0.0);
  const gt::EvalSummary e = gt::evaluate(o.out_dir + "/checkpoint.safetensors", "test");
  EXPECT_EQ(e.epochs_done, 2);
  EXPECT_DOUBLE_EQ(e.value, s.test_metric);
  EXPECT_THROW(gt::evaluate(o.out_dir + "/checkpoint.safetensors", "tset"), std::runtime_error);
}

// A generated SBM data set: evaluating on another draw (data_seed) scores the
// same model on other graphs of the same size; the training draw's own seed
// gives back the default evaluation; non-SBM models refuse the option.
TEST(PublicApi, EvaluateOnAnotherSbmDraw) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const std::string dir = tmp.path;
  {
    FILE* f = std::fopen((dir + "/cluster.json").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fprintf(f, "{\"dataset\": \"SBM_CLUSTER\", \"max_num_graphs\": 12,\n"
                    " \"params\": {\"epochs\": 1, \"batch_size\": 4},\n"
                    " \"net_params\": {\"L\": 1, \"n_heads\": 2, \"hidden_dim\": 8, \"out_dim\": 8,"
                    " \"pos_enc_dim\": 3}}\n");
    std::fclose(f);
  }
  gt::TrainOptions o;
  o.config_path = dir + "/cluster.json";
  o.out_dir = dir + "/run";
  o.data_dir = dir + "/data";
  gt::train(o);
  const std::string ckpt = o.out_dir + "/checkpoint.safetensors";
  const gt::EvalSummary own = gt::evaluate(ckpt, "test", o.data_dir);
  const gt::EvalSummary same = gt::evaluate(ckpt, "test", o.data_dir, 1);
  const gt::EvalSummary other = gt::evaluate(ckpt, "test", o.data_dir, 5);
  EXPECT_EQ(own.value, same.value);
  EXPECT_EQ(own.loss, same.loss);
  EXPECT_EQ(other.graphs, own.graphs);
  EXPECT_NE(other.loss, own.loss);
}

TEST(PublicApi, DataSeedIsForSbmModelsOnly) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const gt::TrainOptions o = tiny_zinc(tmp, 1);
  gt::train(o);
  try {
    gt::evaluate(o.out_dir + "/checkpoint.safetensors", "test", "", 3);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("\"data_seed\" applies to the generated data sets"),
              std::string::npos)
        << e.what();
  }
}

// A TU data set through the API: cross-validation, then predict with one
// fold's checkpoint over the whole data set (its own labels score it).
TEST(PublicApi, CrossValidateThenPredict) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const std::string dir = tmp.path;
  const std::string mutag = kRepo + "/data/tu/MUTAG";
  {
    FILE* f = std::fopen((dir + "/mutag.json").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fprintf(f, "{\"dataset\": \"%s\", \"data\": {\"folds\": 3},\n"
                    " \"params\": {\"epochs\": 2, \"batch_size\": 32},\n"
                    " \"net_params\": {\"L\": 1, \"n_heads\": 2, \"hidden_dim\": 8, \"out_dim\": 8,"
                    " \"pos_enc_dim\": 2}}\n", mutag.c_str());
    std::fclose(f);
  }
  gt::TrainOptions o;
  o.config_path = dir + "/mutag.json";
  o.out_dir = dir + "/cv";
  o.cross_validation = true;
  const gt::TrainSummary s = gt::train(o);
  EXPECT_EQ(s.metric, "acc");
  EXPECT_EQ(s.epochs, 3 * 2);  // every fold ran its 2 epochs
  EXPECT_GT(s.test_metric, 0.0);
  const gt::PredictSummary p = gt::predict(o.out_dir + "/fold_0/checkpoint.safetensors", mutag,
                                           dir + "/predictions.csv");
  EXPECT_EQ(p.graphs, 188);
  EXPECT_TRUE(p.scored);
  EXPECT_EQ(p.metric, "acc");
  EXPECT_GE(p.value, 0.0);
  EXPECT_LE(p.value, 100.0);
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
