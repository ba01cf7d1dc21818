// The public API (include/gt/gt.h): train a tiny model, evaluate its
// checkpoint, and count parameters, through the header alone.
#include <gt/gt.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

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

// A one-layer, width-8 model of SBM_<kind> on `graphs` graphs per split
// (params: the config's "params" members), trained into <dir>/<kind> with its
// generated data under <dir>/data.
gt::TrainOptions train_tiny_sbm(const TempDir& dir, const std::string& kind, int graphs,
                                const std::string& params, int pe_dim) {
  gt::TrainOptions o;
  o.config_path = dir.path + "/" + kind + ".json";
  std::ofstream(o.config_path) << "{\"dataset\": \"SBM_" << kind << "\", \"max_num_graphs\": " << graphs
                               << ",\n \"params\": {" << params << "},\n"
                               << " \"net_params\": {\"L\": 1, \"n_heads\": 2, \"hidden_dim\": 8, "
                               << "\"out_dim\": 8, \"pos_enc_dim\": " << pe_dim << "}}\n";
  o.out_dir = dir.path + "/" + kind;
  o.data_dir = dir.path + "/data";
  gt::train(o);
  return o;
}

// A generated SBM data set: evaluating on another draw (data_seed) scores the
// same model on other graphs of the same size; the training draw's own seed
// gives back the default evaluation; non-SBM models refuse the option.
TEST(PublicApi, EvaluateOnAnotherSbmDraw) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const gt::TrainOptions o = train_tiny_sbm(tmp, "CLUSTER", 12, "\"epochs\": 1, \"batch_size\": 4", 3);
  const std::string ckpt = o.out_dir + "/checkpoint.safetensors";
  const gt::EvalSummary own = gt::evaluate(ckpt, "test", o.data_dir);
  const gt::EvalSummary same = gt::evaluate(ckpt, "test", o.data_dir, 1);
  const gt::EvalSummary other = gt::evaluate(ckpt, "test", o.data_dir, 5);
  EXPECT_EQ(own.value, same.value);
  EXPECT_EQ(own.loss, same.loss);
  EXPECT_EQ(other.graphs, own.graphs);
  EXPECT_NE(other.loss, own.loss);
}

// tiny_zinc.json with `from` replaced by `to`, written to <dir>/<name>.
std::string tiny_zinc_variant(const TempDir& dir, const std::string& name,
                              const std::vector<std::pair<std::string, std::string>>& edits) {
  std::ifstream in(kRepo + "/tests/data/tiny_zinc.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& [from, to] : edits) {
    const size_t at = text.find(from);
    if (at == std::string::npos) ADD_FAILURE() << "tiny_zinc.json has no " << from;
    else text.replace(at, from.size(), to);
  }
  const std::string path = dir.path + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

// gt eval --zero-pe / --batch-stats: each changes what the model computes
// (deterministically), and models without encodings, without BatchNorm or
// with dropout refuse the probe that does not apply to them.
TEST(PublicApi, EvaluationProbes) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const gt::TrainOptions o = tiny_zinc(tmp, 1);
  gt::train(o);
  const std::string ckpt = o.out_dir + "/checkpoint.safetensors";
  gt::EvalProbe zero_pe, batch_stats;
  zero_pe.zero_pe = true;
  batch_stats.batch_stats = true;
  const gt::EvalSummary plain = gt::evaluate(ckpt, "test");
  const gt::EvalSummary no_pe = gt::evaluate(ckpt, "test", "", -1, zero_pe);
  const gt::EvalSummary batch = gt::evaluate(ckpt, "test", "", -1, batch_stats);
  EXPECT_EQ(no_pe.graphs, plain.graphs);
  EXPECT_NE(no_pe.loss, plain.loss);
  EXPECT_NE(batch.loss, plain.loss);
  EXPECT_EQ(gt::evaluate(ckpt, "test", "", -1, zero_pe).loss, no_pe.loss);
  EXPECT_EQ(gt::evaluate(ckpt, "test").loss, plain.loss);  // the probes leave nothing behind

  gt::TrainOptions ln = o;  // LayerNorm, no encodings
  ln.config_path = tiny_zinc_variant(tmp, "ln_nope.json", {{"\"layer_norm\": false", "\"layer_norm\": true"},
                                                           {"\"batch_norm\": true", "\"batch_norm\": false"},
                                                           {"\"lap_pos_enc\": true", "\"lap_pos_enc\": false"}});
  ln.out_dir = tmp.path + "/ln";
  gt::train(ln);
  const std::string ln_ckpt = ln.out_dir + "/checkpoint.safetensors";
  EXPECT_NE(error_of([&] { gt::evaluate(ln_ckpt, "test", "", -1, zero_pe); })
                .find("the model has no Laplacian encodings to set to zero"),
            std::string::npos);
  EXPECT_NE(error_of([&] { gt::evaluate(ln_ckpt, "test", "", -1, batch_stats); })
                .find("the model has no BatchNorm"),
            std::string::npos);

  gt::TrainOptions dropout = o;
  dropout.config_path = tiny_zinc_variant(tmp, "dropout.json", {{"\"dropout\": 0.0", "\"dropout\": 0.1"}});
  dropout.out_dir = tmp.path + "/dropout";
  gt::train(dropout);
  EXPECT_NE(error_of([&] {
              gt::evaluate(dropout.out_dir + "/checkpoint.safetensors", "test", "", -1, batch_stats);
            }).find("the model was trained with dropout"),
            std::string::npos);
}

// gt eval --official-order (PATTERN): the same graphs in other batches. The
// whole-split accuracy counts nodes, so it cannot change; the batch means (loss,
// accuracy) follow the batches. Other data sets refuse the probe.
TEST(PublicApi, OfficialOrderProbe) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const std::string params = "\"epochs\": 3, \"batch_size\": 6, \"init_lr\": 0.01";
  const gt::TrainOptions o = train_tiny_sbm(tmp, "PATTERN", 60, params, 2);
  const std::string ckpt = o.out_dir + "/checkpoint.safetensors";
  gt::EvalProbe official;
  official.official_order = true;
  const gt::EvalSummary plain = gt::evaluate(ckpt, "test", o.data_dir);
  const gt::EvalSummary ordered = gt::evaluate(ckpt, "test", o.data_dir, -1, official);
  EXPECT_EQ(ordered.graphs, plain.graphs);
  EXPECT_EQ(ordered.value_alt, plain.value_alt);
  EXPECT_NE(ordered.loss, plain.loss);
  EXPECT_EQ(gt::evaluate(ckpt, "test", o.data_dir, -1, official).loss, ordered.loss);
  EXPECT_EQ(gt::evaluate(ckpt, "test", o.data_dir).loss, plain.loss);
  // gt train reports the official order's test accuracy beside its own.
  std::ifstream results(o.out_dir + "/results.json");
  const std::string text((std::istreambuf_iterator<char>(results)), std::istreambuf_iterator<char>());
  const size_t at = text.find("\"test_acc_official_order\":");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_NEAR(std::strtod(text.c_str() + text.find(':', at) + 1, nullptr), ordered.value, 1e-9);

  // The predictions CSV: a row per node in the evaluated order; its labels and
  // argmax classes give back the whole-split accuracy.
  const std::string csv = tmp.path + "/predictions.csv";
  const gt::EvalSummary written = gt::evaluate(ckpt, "test", o.data_dir, -1, official, csv);
  EXPECT_EQ(written.loss, ordered.loss);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "graph,node,label,predicted,output_0,output_1");
  int64_t rows = 0, hits[2] = {0, 0}, total[2] = {0, 0};
  while (std::getline(in, line)) {
    int g = 0, node = 0, label = 0, predicted = 0;
    ASSERT_EQ(std::sscanf(line.c_str(), "%d,%d,%d,%d,", &g, &node, &label, &predicted), 4) << line;
    ASSERT_TRUE(label == 0 || label == 1) << line;
    ++rows, ++total[label], hits[label] += predicted == label;
  }
  EXPECT_GT(rows, written.graphs);
  EXPECT_NEAR(50.0 * (static_cast<double>(hits[0]) / total[0] + static_cast<double>(hits[1]) / total[1]),
              written.value_alt, 1e-9);

  const gt::TrainOptions c = train_tiny_sbm(tmp, "CLUSTER", 60, params, 2);
  EXPECT_NE(error_of([&] { gt::evaluate(c.out_dir + "/checkpoint.safetensors", "test", o.data_dir, -1, official); })
                .find("the official order applies to SBM_PATTERN only"),
            std::string::npos);
}

// A graph-level model's predictions CSV: a row per graph, target then output;
// the mean absolute difference is the reported test MAE.
TEST(PublicApi, PredictionsCsvOfAGraphLevelModel) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const gt::TrainOptions o = tiny_zinc(tmp, 1);
  gt::train(o);
  const std::string csv = tmp.path + "/predictions.csv";
  const gt::EvalSummary e = gt::evaluate(o.out_dir + "/checkpoint.safetensors", "test", "", -1, {}, csv);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "graph,target_0,output_0");
  int64_t rows = 0;
  double abs_error = 0;
  while (std::getline(in, line)) {
    int g = -1;
    double target = 0, output = 0;
    ASSERT_EQ(std::sscanf(line.c_str(), "%d,%lf,%lf", &g, &target, &output), 3) << line;
    EXPECT_EQ(g, rows);
    abs_error += std::abs(target - output);
    ++rows;
  }
  EXPECT_EQ(rows, e.graphs);
  EXPECT_NEAR(abs_error / static_cast<double>(rows), e.value, 1e-5);
}

TEST(PublicApi, DataSeedIsForSbmModelsOnly) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path.empty());
  const gt::TrainOptions o = tiny_zinc(tmp, 1);
  gt::train(o);
  const std::string error =
      error_of([&] { gt::evaluate(o.out_dir + "/checkpoint.safetensors", "test", "", 3); });
  EXPECT_NE(error.find("\"data_seed\" applies to the generated data sets"), std::string::npos) << error;
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
