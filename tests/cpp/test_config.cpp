// gt::Config: shipped configs, defaults, round trips, and every validation error.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "train/config.h"

using gt::Config;
using gt::Json;

namespace {

// GT_TEST_DATA_DIR is "<repo>/data"; the configs live in "<repo>/configs".
std::string repo_path(const std::string& rel) {
  return gt::parent_dir(GT_TEST_DATA_DIR) + "/" + rel;
}

const char* kShipped[] = {"configs/zinc_sparse_bn_lappe.json", "configs/zinc_sparse_bn_nope.json",
                          "configs/zinc_sparse_ln_lappe.json", "configs/zinc_full_bn_lappe.json"};

// Writes text to a scratch file and returns load_config's error ("" if it loaded).
class ConfigFiles : public ::testing::Test {
 protected:
  std::string dir;
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "gt_cfg_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::string file() const { return dir + "/x.json"; }
  std::string load_error(const std::string& text) const {
    gt::write_file_atomic(file(), text);
    try {
      gt::load_config(file());
    } catch (const gt::Error& e) {
      return e.what();
    }
    return "";
  }
  // The shipped ZINC config with one substring replaced.
  std::string zinc_with(const std::string& from, const std::string& to) const {
    std::string text = gt::read_file(repo_path(kShipped[0]));
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }
};

// Keys of an object tree as dotted paths, in order.
void collect_keys(const Json& j, const std::string& prefix, std::vector<std::string>& out) {
  if (!j.is_object()) return;
  for (const Json::Member& m : j.members()) {
    out.push_back(prefix + m.key);
    collect_keys(m.value, prefix + m.key + ".", out);
  }
}

}  // namespace

TEST(Config, ShippedConfigsLoad) {
  const Config bn = gt::load_config(repo_path(kShipped[0]));
  EXPECT_EQ(bn.model, "GraphTransformer");
  EXPECT_EQ(bn.dataset, "ZINC");
  EXPECT_EQ(bn.out_dir, "out/ZINC_sparse_BN_LapPE/");
  EXPECT_TRUE(bn.gpu_use);
  EXPECT_EQ(bn.gpu_id, 0);
  EXPECT_EQ(bn.params.seed, 41);
  EXPECT_EQ(bn.params.epochs, 1000);
  EXPECT_EQ(bn.params.batch_size, 128);
  EXPECT_EQ(bn.params.init_lr, 0.0007);
  EXPECT_EQ(bn.params.lr_reduce_factor, 0.5);
  EXPECT_EQ(bn.params.lr_schedule_patience, 15);
  EXPECT_EQ(bn.params.min_lr, 1e-6);
  EXPECT_EQ(bn.params.weight_decay, 0.0);
  EXPECT_EQ(bn.params.print_epoch_interval, 5);
  EXPECT_EQ(bn.params.max_time, 24.0);
  EXPECT_EQ(bn.net.L, 10);
  EXPECT_EQ(bn.net.n_heads, 8);
  EXPECT_EQ(bn.net.hidden_dim, 64);
  EXPECT_EQ(bn.net.out_dim, 64);
  EXPECT_EQ(bn.net.readout, "mean");
  EXPECT_TRUE(bn.net.residual && bn.net.batch_norm && bn.net.lap_pos_enc && bn.net.edge_feat);
  EXPECT_FALSE(bn.net.layer_norm || bn.net.self_loop || bn.net.wl_pos_enc || bn.net.full_graph);
  EXPECT_EQ(bn.net.pos_enc_dim, 8);
  EXPECT_FALSE(bn.max_num_graphs.has_value());

  const Config nope = gt::load_config(repo_path(kShipped[1]));
  EXPECT_FALSE(nope.net.lap_pos_enc);
  EXPECT_TRUE(nope.net.batch_norm);
  const Config ln = gt::load_config(repo_path(kShipped[2]));
  EXPECT_TRUE(ln.net.layer_norm);
  EXPECT_FALSE(ln.net.batch_norm);
  EXPECT_TRUE(ln.net.lap_pos_enc);
}

TEST(Config, ShippedConfigsHaveEveryKeyInCanonicalOrder) {
  for (const char* rel : kShipped) {
    const std::string path = repo_path(rel);
    std::vector<std::string> in_file, resolved;
    collect_keys(Json::parse(gt::read_file(path), path), "", in_file);
    collect_keys(gt::config_to_json(gt::load_config(path)), "", resolved);
    EXPECT_EQ(in_file, resolved) << rel;
  }
}

TEST(Config, MissingKeysTakeThePaperZincValues) {
  const Config empty = gt::config_from_json(Json::parse("{}", "e.json"), "e.json");
  EXPECT_EQ(empty, Config());
  EXPECT_EQ(empty, gt::load_config(repo_path(kShipped[0])));
  const Config partial =
      gt::config_from_json(Json::parse(R"({"params": {"seed": 95}})", "p.json"), "p.json");
  EXPECT_EQ(partial.params.seed, 95);
  EXPECT_EQ(partial.params.batch_size, 128);
}

TEST(Config, JsonRoundTrip) {
  Config c;
  c.dataset = "SBM_CLUSTER";
  c.out_dir = "out/x/";
  c.max_num_graphs = 1000;
  c.data_seed = 7;
  c.pe_sign = "random";
  c.pe_solver = "arpack";
  c.gpu_use = false;
  c.gpu_id = 3;
  c.params.seed = 12;
  c.params.init_lr = 0.1 + 0.2;  // not a short decimal: must survive the text form
  c.params.min_lr = 1e-7;
  c.params.max_time = 0.5;
  c.net.hidden_dim = c.net.out_dim = 80;
  c.net.readout = "sum";
  c.net.dropout = 0.25;
  c.net.layer_norm = true;
  c.net.batch_norm = false;
  c.net.full_graph = true;
  c.net.edge_feat = false;
  c.net.pos_enc_dim = 10;
  const Json j = gt::config_to_json(c);
  EXPECT_EQ(gt::config_from_json(j, "mem"), c);
  const std::string text = j.dump(4);
  EXPECT_EQ(gt::config_from_json(Json::parse(text, "t.json"), "t.json"), c);
  EXPECT_NE(text.find("\"max_num_graphs\": 1000"), std::string::npos);
  EXPECT_NE(text.find("\"data_seed\": 7"), std::string::npos);
  EXPECT_NE(text.find("\"pe_sign\": \"random\""), std::string::npos);
  EXPECT_NE(text.find("\"pe_solver\": \"arpack\""), std::string::npos);
  EXPECT_NE(text.find("\"weight_decay\": 0.0"), std::string::npos);  // reals stay reals
  EXPECT_NE(text.find("\"epochs\": 1000"), std::string::npos);       // ints stay ints
  const std::string zinc = gt::config_to_json(Config()).dump();
  EXPECT_NE(zinc.find("\"init_lr\":0.0007"), std::string::npos);
  EXPECT_EQ(zinc.find("max_num_graphs"), std::string::npos);  // only when set
  EXPECT_EQ(zinc.find("data_seed"), std::string::npos);
  EXPECT_EQ(zinc.find("pe_sign"), std::string::npos);  // the official layout for the default
  EXPECT_EQ(zinc.find("pe_solver"), std::string::npos);
}

TEST(Config, AcceptsOfficialSbmLayout) {
  // The official SBM configs have no "edge_feat"; integral reals are integers.
  const Config c = gt::config_from_json(
      Json::parse(R"({"gpu": {"use": true, "id": 0}, "model": "GraphTransformer",
        "dataset": "SBM_PATTERN", "out_dir": "out/SBMs_sparse_LapPE_BN/", "max_num_graphs": 10,
        "params": {"seed": 41, "epochs": 1000, "batch_size": 26, "init_lr": 0.0005,
          "lr_reduce_factor": 0.5, "lr_schedule_patience": 10, "min_lr": 1e-6, "weight_decay": 0.0,
          "print_epoch_interval": 5, "max_time": 24},
        "net_params": {"L": 10, "n_heads": 8, "hidden_dim": 80, "out_dim": 80.0, "residual": true,
          "readout": "mean", "in_feat_dropout": 0.0, "dropout": 0.0, "layer_norm": false,
          "batch_norm": true, "self_loop": false, "lap_pos_enc": true, "pos_enc_dim": 2,
          "wl_pos_enc": false, "full_graph": false}})", "sbm.json"),
      "sbm.json");
  EXPECT_EQ(c.dataset, "SBM_PATTERN");
  EXPECT_EQ(c.params.batch_size, 26);
  EXPECT_EQ(c.net.out_dim, 80);
  EXPECT_EQ(c.max_num_graphs, 10);
}

TEST_F(ConfigFiles, UnknownKeySuggestsNearest) {
  const std::string f = file();
  EXPECT_EQ(load_error(zinc_with("\"hidden_dim\"", "\"hiden_dim\"")),
            f + ":28:9: unknown key \"net_params.hiden_dim\" (did you mean \"hidden_dim\"?)");
  EXPECT_EQ(load_error(zinc_with("\"init_lr\"", "\"init_rl\"")),
            f + ":16:9: unknown key \"params.init_rl\" (did you mean \"init_lr\"?)");
  EXPECT_EQ(load_error(zinc_with("\"dataset\"", "\"datset\"")),
            f + ":8:5: unknown key \"datset\" (did you mean \"dataset\"?)");
  EXPECT_EQ(load_error(zinc_with("\"use\"", "\"uses\"")),
            f + ":3:9: unknown key \"gpu.uses\" (did you mean \"use\"?)");
  EXPECT_EQ(load_error("{\"params\": {\"hidden_dim\": 64}}"),
            f + ":1:13: unknown key \"params.hidden_dim\" (\"hidden_dim\" belongs in \"net_params\")");
  EXPECT_EQ(load_error("{\"gpu\": {\"zzzzzz\": 1}}"),
            f + ":1:10: unknown key \"gpu.zzzzzz\" (valid keys in \"gpu\": \"use\", \"id\")");
}

TEST_F(ConfigFiles, TypeErrorsNameLineAndKey) {
  const std::string f = file();
  EXPECT_EQ(load_error(zinc_with("\"batch_size\": 128", "\"batch_size\": \"128\"")),
            f + ":15:23: \"params.batch_size\" must be an integer, got string \"128\"");
  EXPECT_EQ(load_error(zinc_with("\"L\": 10", "\"L\": 2.5")),
            f + ":26:14: \"net_params.L\" must be an integer, got number 2.5");
  EXPECT_EQ(load_error(zinc_with("\"residual\": true", "\"residual\": \"yes\"")),
            f + ":30:21: \"net_params.residual\" must be true or false, got string \"yes\"");
  EXPECT_EQ(load_error(zinc_with("\"init_lr\": 0.0007", "\"init_lr\": null")),
            f + ":16:20: \"params.init_lr\" must be a number, got null");
  EXPECT_EQ(load_error(zinc_with("\"readout\": \"mean\"", "\"readout\": 1")),
            f + ":31:20: \"net_params.readout\" must be a string, got number 1");
  EXPECT_EQ(load_error("{\"params\": 3}"), f + ":1:12: \"params\" must be an object, got number 3");
  EXPECT_EQ(load_error("[]"), f + ":1:1: a config must be a JSON object, got array");
  EXPECT_EQ(load_error("{\"params\": {\"epochs\": 1e10}}"),
            f + ":1:23: \"params.epochs\" is out of range [-2147483648, 2147483647], got 10000000000.0");
  EXPECT_EQ(load_error("{\"params\": {\"epochs\": 3000000000}}"),
            f + ":1:23: \"params.epochs\" is out of range [-2147483648, 2147483647], got 3000000000");
  // JSON syntax errors come through with the file name.
  EXPECT_EQ(load_error("{\"params\": {\"epochs\": 1,}}"), f + ":1:24: trailing comma in object");
}

TEST_F(ConfigFiles, ValueErrors) {
  const std::string f = file();
  EXPECT_EQ(load_error(zinc_with("\"batch_size\": 128", "\"batch_size\": -4")),
            f + ":15:23: \"params.batch_size\" must be >= 1, got -4");
  EXPECT_EQ(load_error(zinc_with("\"dataset\": \"ZINC\"", "\"dataset\": \"ZINK\"")),
            f + ":8:16: unknown dataset \"ZINK\" (valid: \"ZINC\", \"SBM_PATTERN\", \"SBM_CLUSTER\"; "
                "did you mean \"ZINC\"?)");
  EXPECT_EQ(load_error("{\"dataset\": \"Cora\"}"),
            f + ":1:13: unknown dataset \"Cora\" (valid: \"ZINC\", \"SBM_PATTERN\", \"SBM_CLUSTER\"; "
                "a path to your own data must contain a '/', e.g. \"./Cora\")");
  EXPECT_EQ(load_error("{\"model\": \"GatedGCN\"}"),
            f + ":1:11: \"model\" must be \"GraphTransformer\", got \"GatedGCN\"");
  EXPECT_EQ(load_error(zinc_with("\"n_heads\": 8", "\"n_heads\": 6")),
            f + ":28:23: \"net_params.hidden_dim\" (64) must be divisible by \"net_params.n_heads\" (6)");
  EXPECT_EQ(load_error(zinc_with("\"out_dim\": 64", "\"out_dim\": 32")),
            f + ":29:20: \"net_params.out_dim\" (32) must equal \"net_params.hidden_dim\" (64)");
  EXPECT_EQ(load_error(zinc_with("\"readout\": \"mean\"", "\"readout\": \"avg\"")),
            f + ":31:20: \"net_params.readout\" must be one of \"mean\", \"sum\", \"max\", got \"avg\"");
  EXPECT_EQ(load_error(zinc_with("\"dropout\": 0.0", "\"dropout\": 1.0")),
            f + ":33:20: \"net_params.dropout\" must be in [0, 1), got 1.0");
  EXPECT_EQ(load_error(zinc_with("\"in_feat_dropout\": 0.0", "\"in_feat_dropout\": -0.1")),
            f + ":32:28: \"net_params.in_feat_dropout\" must be in [0, 1), got -0.1");
  EXPECT_EQ(load_error(zinc_with("\"pos_enc_dim\": 8", "\"pos_enc_dim\": 0")),
            f + ":38:24: \"net_params.pos_enc_dim\" must be >= 1 when \"net_params.lap_pos_enc\" is "
                "true, got 0");
  EXPECT_EQ(load_error(zinc_with("\"lr_reduce_factor\": 0.5", "\"lr_reduce_factor\": 1")),
            f + ":17:29: \"params.lr_reduce_factor\" must be in (0, 1), got 1.0");
  EXPECT_EQ(load_error(zinc_with("\"layer_norm\": false", "\"layer_norm\": true")),
            f + ":34:23: \"net_params.layer_norm\" and \"net_params.batch_norm\" are both true; a model "
                "uses one of the two");
  EXPECT_EQ(load_error("{\"max_num_graphs\": 0}"), f + ":1:20: \"max_num_graphs\" must be >= 1, got 0");
  EXPECT_EQ(load_error("{\"dataset\": \"SBM_CLUSTER\", \"data_seed\": -1}"),
            f + ":1:41: \"data_seed\" must be >= 0, got -1");
  EXPECT_EQ(load_error("{\"data_seed\": 3}"),
            f + ":1:15: \"data_seed\" applies to the generated data sets SBM_PATTERN and SBM_CLUSTER "
                "only, not \"ZINC\"");
  EXPECT_EQ(load_error("{\"pe_sign\": \"randon\"}"),
            f + ":1:13: \"pe_sign\" must be one of \"canonical\", \"random\", got \"randon\"");
  EXPECT_EQ(load_error("{\"pe_sign\": \"random\", \"net_params\": {\"lap_pos_enc\": false}}"),
            f + ":1:13: \"pe_sign\" applies to Laplacian encodings only; set "
                "\"net_params.lap_pos_enc\": true or drop the key");
  EXPECT_EQ(load_error("{\"pe_solver\": \"arpak\"}"),
            f + ":1:15: \"pe_solver\" must be one of \"exact\", \"arpack\", got \"arpak\"");
  EXPECT_EQ(load_error("{\"pe_solver\": \"arpack\", \"net_params\": {\"lap_pos_enc\": false}}"),
            f + ":1:15: \"pe_solver\" applies to Laplacian encodings only; set "
                "\"net_params.lap_pos_enc\": true or drop the key");
  // A cross-field problem whose key is absent is reported against the file.
  EXPECT_EQ(load_error("{\"net_params\": {\"n_heads\": 7}}"),
            f + ": \"net_params.hidden_dim\" (64) must be divisible by \"net_params.n_heads\" (7)");
}

TEST_F(ConfigFiles, UnsupportedFeaturesSaySo) {
  const std::string f = file();
  EXPECT_EQ(load_error(zinc_with("\"wl_pos_enc\": false", "\"wl_pos_enc\": true")),
            f + ":39:23: \"net_params.wl_pos_enc\": WL positional encoding is not supported; set it to "
                "false");
  EXPECT_EQ(load_error(zinc_with("\"self_loop\": false", "\"self_loop\": true")),
            f + ":36:22: \"net_params.self_loop\": self-loops are not supported (a node attends only "
                "to its in-neighbours); set it to false");
  // full_graph is parsed and kept (implemented elsewhere).
  EXPECT_EQ(load_error(zinc_with("\"full_graph\": false", "\"full_graph\": true")), "");
}

TEST_F(ConfigFiles, MissingFile) {
  try {
    gt::load_config(dir + "/none.json");
    FAIL();
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open " + dir + "/none.json: No such file or directory");
  }
}

TEST(Config, ValidateProgrammaticConfig) {
  Config c;
  EXPECT_NO_THROW(gt::validate_config(c, "cli"));
  c.params.batch_size = 0;
  try {
    gt::validate_config(c, "--batch-size");
    FAIL();
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()), "--batch-size: \"params.batch_size\" must be >= 1, got 0");
  }
}
