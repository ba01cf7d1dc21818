// Users' own data sets (train/user_data.h, train/data_info.h): format
// detection, OGB and TU data through load_user_splits and its graph cache
// (meta blob included), task resolution and overrides, TU cross-validation
// folds, DataInfo JSON, align_to_info for new files, to_graph_dataset's
// errors, and the "data"/"task" config sections.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <iterator>
#include <string>
#include <vector>

#include "expect_error.h"
#include "temp_dir.h"
#include "core/error.h"
#include "core/json.h"
#include "data/graph_cache.h"
#include "data/smiles_csv.h"
#include "data/tu.h"
#include "graph/graph.h"
#include "train/config.h"
#include "train/data_info.h"
#include "train/user_data.h"

namespace fs = std::filesystem;

namespace {

using gt::test::expect_error;
using gt::test::TempDir;

const std::string kData = std::string(GT_SOURCE_DIR) + "/data";
const std::string kEsol = kData + "/ogb/ogbg_molesol";
const std::string kBace = kData + "/ogb/ogbg_molbace";
const std::string kMutag = kData + "/tu/MUTAG";
const std::string kEnzymes = kData + "/tu/ENZYMES";
const std::vector<int32_t> kAtomVocab = {119, 5, 12, 12, 10, 6, 6, 2, 2};  // data/ogb/README.md
const std::vector<int32_t> kBondVocab = {5, 6, 2};

// A config for a data set given as a path. PE is off unless a test checks
// it: the eigen-solves are most of the loading time.
gt::Config user_config(const std::string& path, int pe_dim = 0) {
  gt::Config c;
  c.dataset = path;
  c.net.lap_pos_enc = pe_dim > 0;
  if (pe_dim > 0) c.net.pos_enc_dim = pe_dim;
  return c;
}

// Writes a TU data set <tmp>/<ds>/<ds>_<key>.txt; returns its folder.
std::string write_tu(const TempDir& tmp, const std::string& ds,
                     const std::vector<std::pair<std::string, std::string>>& files) {
  const std::string dir = tmp.str() + "/" + ds;
  fs::create_directories(dir);
  for (const auto& [key, text] : files) std::ofstream(dir + "/" + ds + "_" + key + ".txt") << text;
  return dir;
}

bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {  // NaN == NaN
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

void expect_same_graphs(const gt::GraphDataset& a, const gt::GraphDataset& b) {
  ASSERT_EQ(a.graphs.size(), b.graphs.size()) << a.name;
  EXPECT_EQ(a.pe_dim, b.pe_dim);
  for (size_t i = 0; i < a.graphs.size(); ++i) {
    const gt::Graph &x = a.graphs[i], &y = b.graphs[i];
    SCOPED_TRACE(a.name + " graph " + std::to_string(i));
    EXPECT_EQ(x.num_nodes, y.num_nodes);
    EXPECT_EQ(x.node_type, y.node_type);
    EXPECT_EQ(x.src, y.src);
    EXPECT_EQ(x.dst, y.dst);
    EXPECT_EQ(x.edge_type, y.edge_type);
    EXPECT_TRUE(same_floats(x.node_cont, y.node_cont));
    EXPECT_TRUE(same_floats(x.y, y.y));
    EXPECT_TRUE(same_floats(x.pe, y.pe));
  }
}

// A loaded graph against the source graph it must come from (TU: features
// are the reader's indices, the label its class index).
bool same_graph(const gt::Graph& g, const gt::SourceGraph& s) {
  return g.num_nodes == s.num_nodes && g.node_type == s.node_cat && g.src == s.src && g.dst == s.dst &&
         g.edge_type == s.edge_cat && same_floats(g.y, s.y);
}

void expect_same_info(const gt::DataInfo& a, const gt::DataInfo& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.format, b.format);
  EXPECT_EQ(a.node_vocab, b.node_vocab);
  EXPECT_EQ(a.edge_vocab, b.edge_vocab);
  EXPECT_EQ(a.node_cont, b.node_cont);
  EXPECT_EQ(a.edge_cont, b.edge_cont);
  EXPECT_EQ(a.node_columns, b.node_columns);
  EXPECT_EQ(a.edge_columns, b.edge_columns);
  EXPECT_EQ(a.node_values, b.node_values);
  EXPECT_EQ(a.edge_values, b.edge_values);
  EXPECT_EQ(a.task, b.task);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.metric, b.metric);
  EXPECT_EQ(a.task_names, b.task_names);
  EXPECT_EQ(a.num_classes, b.num_classes);
  EXPECT_EQ(a.class_values, b.class_values);
  EXPECT_EQ(a.smiles_column, b.smiles_column);
}

gt::DataInfo json_round_trip(const gt::DataInfo& info) {
  return gt::data_info_from_json(gt::Json::parse(gt::data_info_to_json(info).dump(), "info.json"), "info.json");
}

gt::DataInfo tu_info(const gt::SourceDataset& s) {
  return gt::source_info(s, "tu", "auto", "auto", "auto", "test");
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

// The source hash stored in a cache file's header (graph_cache.h: magic[8],
// version u32, has_node_labels u32, then the hash), so a test can open the
// file with load_graph_cache without recomputing the key.
uint64_t cache_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[24] = {};
  in.read(header, sizeof header);
  uint64_t h = 0;
  std::memcpy(&h, header + 16, 8);
  return h;
}

gt::Config config_from(const std::string& text) {
  return gt::config_from_json(gt::Json::parse(text, "cfg.json"), "cfg.json");
}

}  // namespace

// ---- 1. format detection ---------------------------------------------------

TEST(UserData, DetectFormat) {
  EXPECT_EQ(gt::detect_format(kEsol), "ogb");
  EXPECT_EQ(gt::detect_format(kMutag), "tu");
  EXPECT_EQ(gt::detect_format(kMutag + "/"), "tu");  // the TU name comes from the folder, not ""
  TempDir tmp;
  EXPECT_EQ(gt::detect_format(tmp.write("mols.csv", "smiles,y\nCCO,1\n")), "smiles_csv");
  const std::string missing = tmp.file("no_such_data");
  expect_error([&] { gt::detect_format(missing); }, {missing, "no such file"});
  fs::create_directories(tmp.file("empty"));
  expect_error([&] { gt::detect_format(tmp.file("empty")); }, {tmp.file("empty"), "data.format"});
}

// ---- 2. OGB regression: splits, features, PE, cache -------------------------

TEST(UserData, MolesolSplitsFeaturesAndCache) {
  TempDir cache;
  const gt::Config config = user_config(kEsol, 4);
  const gt::UserSplits a = gt::load_user_splits(config, cache.str());
  EXPECT_EQ(a.train.graphs.size(), 902u);  // OGB's scaffold split, data/ogb/README.md
  EXPECT_EQ(a.val.graphs.size(), 113u);
  EXPECT_EQ(a.test.graphs.size(), 113u);
  EXPECT_EQ(a.train.name, "ogbg-molesol/train");
  EXPECT_EQ(a.info.format, "ogb");
  EXPECT_EQ(a.info.task, "regression");
  EXPECT_EQ(a.info.loss, "mse");  // master.csv's eval metric is rmse: fit what is judged
  EXPECT_EQ(a.info.metric, "rmse");
  EXPECT_EQ(a.info.num_outputs(), 1);
  EXPECT_EQ(a.info.node_vocab, kAtomVocab);
  EXPECT_EQ(a.info.edge_vocab, kBondVocab);
  for (const gt::GraphDataset* d : {&a.train, &a.val, &a.test}) {
    EXPECT_EQ(d->node_vocab, kAtomVocab);  // subset keeps the scheme
    EXPECT_EQ(d->pe_dim, 4);
    for (const gt::Graph& g : d->graphs) {
      ASSERT_EQ(g.node_type.size(), static_cast<size_t>(g.num_nodes) * 9);
      ASSERT_EQ(g.edge_type.size(), g.src.size() * 3);
      ASSERT_EQ(g.pe.size(), static_cast<size_t>(g.num_nodes) * 4);
      ASSERT_EQ(g.y.size(), 1u);
    }
  }
  // One cache file, named after the folder; its meta blob holds the info and the split.
  std::vector<std::string> files = files_in(cache.str());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].rfind("user_ogbg_molesol_", 0), 0u) << files[0];
  const std::string cache_file = cache.file(files[0]);
  gt::GraphDataset all;
  std::string meta;
  ASSERT_TRUE(gt::load_graph_cache(cache_file, cache_hash(cache_file), &all, nullptr, &meta));
  EXPECT_EQ(all.graphs.size(), 1128u);
  const gt::Json j = gt::Json::parse(meta, "meta");
  EXPECT_EQ(j.at("train").items().size(), 902u);
  EXPECT_EQ(j.at("test").items().size(), 113u);
  expect_same_info(gt::data_info_from_json(j.at("info"), "meta"), a.info);

  // The second call reads the cache (no new file) and gives the same data.
  const gt::UserSplits b = gt::load_user_splits(config, cache.str());
  EXPECT_EQ(files_in(cache.str()).size(), 1u);
  expect_same_info(b.info, a.info);
  expect_same_graphs(b.train, a.train);
  expect_same_graphs(b.val, a.val);
  expect_same_graphs(b.test, a.test);

  // Proof that the cache is what is read: rewrite it (same key) with a marked
  // info, and the marker comes back.
  gt::Json marked = j;
  gt::DataInfo info = a.info;
  info.name = "from-cache";
  marked.set("info", gt::data_info_to_json(info));
  gt::save_graph_cache(cache_file, all, cache_hash(cache_file), marked.dump());
  EXPECT_EQ(gt::load_user_splits(config, cache.str()).info.name, "from-cache");
}

// master.csv (split, eval metric, task type) shapes the data, so it must be
// part of the cache key however the folder is spelled.
TEST(UserData, OgbCacheKeyIncludesMasterCsv) {
  for (const std::string suffix : {"", "/"}) {
    SCOPED_TRACE("dataset path suffix \"" + suffix + "\"");
    TempDir tmp;
    const std::string dir = tmp.file("ogb/ogbg_molesol");
    fs::create_directories(dir);
    fs::copy(kEsol, dir, fs::copy_options::recursive);
    fs::copy_file(kData + "/ogb/master.csv", tmp.file("ogb/master.csv"));
    const gt::Config config = user_config(dir + suffix);
    EXPECT_EQ(gt::load_user_splits(config, tmp.file("cache")).info.metric, "rmse");
    // The molesol column (the 10th) of the "eval metric" row becomes mae.
    std::ifstream in(tmp.file("ogb/master.csv"));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    const std::string row = "eval metric,rocauc,rocauc,rocauc,ap,ap,rocauc,rocauc,rocauc,rocauc,";
    const size_t at = text.find(row + "rmse,");
    ASSERT_NE(at, std::string::npos);
    text.replace(at + row.size(), 4, "mae");
    std::ofstream(tmp.file("ogb/master.csv"), std::ios::binary | std::ios::trunc) << text;
    const gt::DataInfo info = gt::load_user_splits(config, tmp.file("cache")).info;
    EXPECT_EQ(info.metric, "mae");
    EXPECT_EQ(info.loss, "l1");
  }
}

// ---- 3. OGB binary: task resolution and overrides ----------------------------

TEST(UserData, MolbaceTaskAndOverrides) {
  gt::Config config = user_config(kBace);
  const gt::UserSplits s = gt::load_user_splits(config, "");
  EXPECT_EQ(s.info.task, "binary");
  EXPECT_EQ(s.info.loss, "bce");
  EXPECT_EQ(s.info.metric, "rocauc");
  EXPECT_EQ(s.info.num_outputs(), 1);
  EXPECT_EQ(s.train.graphs.size() + s.val.graphs.size() + s.test.graphs.size(), 1513u);

  config.task.metric = "acc";
  EXPECT_EQ(gt::load_user_splits(config, "").info.metric, "acc");
  config.task.metric = "rmse";  // a regression metric on binary labels
  expect_error([&] { gt::load_user_splits(config, ""); }, {"task.metric", "rmse"});
  config.task.metric = "auto";
  config.task.type = "regression";  // 0/1 labels can be fit as a regression
  const gt::DataInfo reg = gt::load_user_splits(config, "").info;
  EXPECT_EQ(reg.task, "regression");
  EXPECT_EQ(reg.loss, "l1");  // rocauc (master.csv) does not fit: the kind's defaults
  EXPECT_EQ(reg.metric, "mae");
  config.task.type = "multiclass";
  expect_error([&] { gt::load_user_splits(config, ""); }, {"task.type", "multiclass"});
}

// ---- 4. TU: cross-validation folds, schemes ---------------------------------

TEST(UserData, MutagFolds) {
  const gt::SourceDataset src = gt::read_tu(kMutag);
  ASSERT_EQ(src.graphs.size(), 188u);
  const auto folds = gt::stratified_kfold(src, 10, 0);  // fold_seed defaults to 0
  std::vector<int> seen(src.graphs.size(), 0);
  std::vector<gt::UserSplits> runs;
  for (int f = 0; f < 10; ++f) {
    gt::Config config = user_config(kMutag);
    config.data.folds = 10;
    config.data.fold = f;
    runs.push_back(gt::load_user_splits(config, ""));
    const gt::UserSplits& s = runs.back();
    SCOPED_TRACE("fold " + std::to_string(f));
    // test = fold f, val = fold f+1, train = the rest in index order, graph by graph.
    const std::vector<int32_t>& test = folds[f];
    const std::vector<int32_t>& val = folds[(f + 1) % 10];
    std::vector<int32_t> train;
    for (int32_t i = 0; i < 188; ++i)
      if (!std::binary_search(test.begin(), test.end(), i) && !std::binary_search(val.begin(), val.end(), i))
        train.push_back(i);
    using Check = std::pair<const gt::GraphDataset*, const std::vector<int32_t>*>;
    for (auto [d, idx] : std::vector<Check>{{&s.test, &test}, {&s.val, &val}, {&s.train, &train}}) {
      ASSERT_EQ(d->graphs.size(), idx->size());
      for (size_t k = 0; k < idx->size(); ++k)
        EXPECT_TRUE(same_graph(d->graphs[k], src.graphs[(*idx)[k]])) << d->name << " #" << k;
    }
    EXPECT_EQ(s.train.graphs.size() + s.val.graphs.size() + s.test.graphs.size(), 188u);
    std::set<int32_t> tv(test.begin(), test.end());
    for (int32_t i : val) EXPECT_TRUE(tv.insert(i).second) << "graph " << i << " in test and val";
    for (int32_t i : test) ++seen[i];
  }
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << "graph " << i << " test folds";
  for (int f = 0; f < 10; ++f) expect_same_graphs(runs[f].val, runs[(f + 1) % 10].test);

  const gt::DataInfo& info = runs[0].info;
  EXPECT_EQ(info.format, "tu");
  EXPECT_EQ(info.task, "multiclass");
  EXPECT_EQ(info.loss, "ce");
  EXPECT_EQ(info.metric, "acc");
  EXPECT_EQ(info.num_classes, 2);
  EXPECT_EQ(info.num_outputs(), 2);
  EXPECT_EQ(info.class_values, (std::vector<int64_t>{-1, 1}));
  EXPECT_EQ(info.node_vocab, std::vector<int32_t>{7});
  EXPECT_EQ(info.edge_vocab, std::vector<int32_t>{4});  // edge labels give an edge stream
  EXPECT_FALSE(runs[0].train.graphs[0].edge_type.empty());
}

TEST(UserData, EnzymesScheme) {
  const gt::UserSplits s = gt::load_user_splits(user_config(kEnzymes), "");
  EXPECT_EQ(s.info.node_cont, 18);
  EXPECT_EQ(s.info.node_vocab, std::vector<int32_t>{3});
  EXPECT_TRUE(s.info.edge_vocab.empty());  // no edge labels or attributes
  EXPECT_EQ(s.info.edge_cont, 0);
  EXPECT_EQ(s.info.num_classes, 6);
  EXPECT_EQ(s.info.class_values, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(s.train.graphs.size() + s.val.graphs.size() + s.test.graphs.size(), 600u);
  EXPECT_EQ(s.test.graphs.size(), 60u);  // 10 folds of 100 graphs per class
  for (const gt::Graph& g : s.train.graphs) {
    ASSERT_EQ(g.node_cont.size(), static_cast<size_t>(g.num_nodes) * 18);
    ASSERT_TRUE(g.edge_type.empty());
  }
}

// ---- 5. TU without node features: one constant category ---------------------

TEST(UserData, TuWithoutNodeFeaturesGetsConstantCategory) {
  TempDir tmp;
  std::string a, indicator, labels;
  for (int g = 0; g < 12; ++g) {  // graph g: the path 3g+1 - 3g+2 - 3g+3, class 1 or 2
    const int n = 3 * g + 1;
    a += std::to_string(n) + ", " + std::to_string(n + 1) + "\n" + std::to_string(n + 1) + ", " +
         std::to_string(n) + "\n" + std::to_string(n + 1) + ", " + std::to_string(n + 2) + "\n" +
         std::to_string(n + 2) + ", " + std::to_string(n + 1) + "\n";
    for (int k = 0; k < 3; ++k) indicator += std::to_string(g + 1) + "\n";
    labels += g % 2 ? "1\n" : "2\n";
  }
  const std::string dir = write_tu(tmp, "PLAIN", {{"A", a}, {"graph_indicator", indicator}, {"graph_labels", labels}});
  gt::Config config = user_config(dir, 2);
  config.data.folds = 3;
  const gt::UserSplits s = gt::load_user_splits(config, "");
  EXPECT_EQ(s.info.node_vocab, std::vector<int32_t>{1});
  EXPECT_EQ(s.info.node_columns, std::vector<std::string>{"constant"});
  EXPECT_EQ(s.info.node_cont, 0);
  EXPECT_EQ(s.info.num_classes, 2);
  EXPECT_EQ(s.train.graphs.size() + s.val.graphs.size() + s.test.graphs.size(), 12u);
  for (const gt::GraphDataset* d : {&s.train, &s.val, &s.test})
    for (const gt::Graph& g : d->graphs) {
      EXPECT_EQ(g.node_type, std::vector<int32_t>(3, 0));
      EXPECT_EQ(g.pe.size(), 6u);
    }
}

// ---- 6. DataInfo JSON ---------------------------------------------------------

TEST(DataInfo, JsonRoundTrip) {
  for (const std::string name : {"ZINC", "SBM_CLUSTER"}) {
    SCOPED_TRACE(name);
    const gt::DataInfo info = gt::benchmark_info(name);
    expect_same_info(json_round_trip(info), info);
  }
  EXPECT_EQ(gt::benchmark_info("SBM_CLUSTER").num_outputs(), 6);
  EXPECT_EQ(gt::benchmark_info("ZINC").num_outputs(), 1);
  gt::DataInfo tu = tu_info(gt::read_tu(kMutag));
  tu.smiles_column = "not-empty";  // every field travels, even ones TU leaves empty
  const gt::DataInfo back = json_round_trip(tu);
  expect_same_info(back, tu);
  EXPECT_FALSE(back.node_values.empty());  // the TU value lists must survive
  expect_error([] { gt::benchmark_info("QM9"); }, {"QM9"});
}

TEST(DataInfo, FromJsonRejectsInconsistentTask) {
  gt::Json j = gt::data_info_to_json(gt::benchmark_info("ZINC"));
  j.set("metric", "rocauc");  // a classification metric on a regression task
  expect_error([&] { gt::data_info_from_json(j, "ckpt.safetensors"); },
               {"ckpt.safetensors", "inconsistent task", "rocauc"});
  j = gt::data_info_to_json(gt::benchmark_info("ZINC"));
  j.set("task", "ranking");
  expect_error([&] { gt::data_info_from_json(j, "ckpt"); }, {"ranking"});
}

// ---- 7. align_to_info: new files into a trained model's categories ----------

namespace {
// NEW: graph 1 = path 1-2-3, graph 2 = edge 4-5, over raw MUTAG-like labels.
std::string write_new_tu(const TempDir& tmp, const std::string& node_labels, const std::string& graph_labels) {
  return write_tu(tmp, "NEW", {{"A", "1, 2\n2, 1\n2, 3\n3, 2\n4, 5\n5, 4\n"},
                               {"graph_indicator", "1\n1\n1\n2\n2\n"},
                               {"graph_labels", graph_labels},
                               {"node_labels", node_labels},
                               {"edge_labels", "1\n1\n3\n3\n1\n1\n"}});
}
int32_t index_of(const std::vector<int64_t>& values, int64_t raw) {
  return static_cast<int32_t>(std::find(values.begin(), values.end(), raw) - values.begin());
}
}  // namespace

TEST(UserData, AlignToInfoRemapsTuLabels) {
  const gt::DataInfo info = tu_info(gt::read_tu(kMutag));
  ASSERT_EQ(info.node_values.size(), 1u);
  TempDir tmp;
  // Only raw node labels 0 and 2, edge labels 1 and 3: this file's own indices are 0/1.
  gt::SourceDataset s = gt::read_tu(write_new_tu(tmp, "0\n2\n0\n2\n2\n", "1\n-1\n"));
  ASSERT_EQ(s.graphs[0].node_cat, (std::vector<int32_t>{0, 1, 0}));
  gt::align_to_info(info, &s);
  const int32_t n0 = index_of(info.node_values[0], 0), n2 = index_of(info.node_values[0], 2);
  const int32_t e1 = index_of(info.edge_values[0], 1), e3 = index_of(info.edge_values[0], 3);
  EXPECT_EQ(s.graphs[0].node_cat, (std::vector<int32_t>{n0, n2, n0}));
  EXPECT_EQ(s.graphs[1].node_cat, (std::vector<int32_t>{n2, n2}));
  EXPECT_EQ(s.graphs[0].edge_cat, (std::vector<int32_t>{e1, e1, e3, e3}));
  EXPECT_EQ(s.node.values, info.node_values);
  const gt::GraphDataset d = gt::to_graph_dataset(s, info, 0);
  EXPECT_EQ(d.node_vocab, std::vector<int32_t>{7});
  EXPECT_EQ(d.graphs[1].node_type, (std::vector<int32_t>{n2, n2}));

  gt::SourceDataset bad = gt::read_tu(write_new_tu(tmp, "0\n9\n0\n2\n2\n", "1\n-1\n"));
  expect_error([&] { gt::align_to_info(info, &bad); }, {"node label 9", "never occurred in training"});
}

// Class labels are TU label values too: a file holding only MUTAG's class 1
// must score its graphs as class index 1, not as its own first class (0).
TEST(UserData, AlignToInfoRemapsTuClassLabels) {
  const gt::DataInfo info = tu_info(gt::read_tu(kMutag));
  TempDir tmp;
  gt::SourceDataset s = gt::read_tu(write_new_tu(tmp, "0\n2\n0\n2\n2\n", "1\n1\n"));
  gt::align_to_info(info, &s);
  const gt::GraphDataset d = gt::to_graph_dataset(s, info, 0);
  for (const gt::Graph& g : d.graphs) EXPECT_EQ(g.y, std::vector<float>{1.0f});
  gt::SourceDataset unseen = gt::read_tu(write_new_tu(tmp, "0\n2\n0\n2\n2\n", "1\n5\n"));
  expect_error([&] { gt::align_to_info(info, &unseen); }, {"label 5"});
}

// ---- 8. to_graph_dataset errors --------------------------------------------------

namespace {
// Three 2-node graphs "g0".."g2" with one categorical and one continuous node column.
gt::SourceDataset toy_source() {
  gt::SourceDataset s;
  s.name = "toy";
  s.path = "toy.src";
  s.node.names = {"a"};
  s.node.vocab = {2};
  s.node.continuous = 1;
  s.task_names = {"y"};
  for (int i = 0; i < 3; ++i) {
    gt::SourceGraph g;
    g.id = "g" + std::to_string(i);
    g.num_nodes = 2;
    g.src = {0, 1}, g.dst = {1, 0};
    g.node_cat = {0, 1};
    g.node_cont = {0.5f, 1.5f};
    g.y = {static_cast<float>(i)};
    s.graphs.push_back(g);
  }
  return s;
}
}  // namespace

TEST(UserData, ToGraphDatasetErrors) {
  gt::SourceDataset s = toy_source();
  const gt::DataInfo info = tu_info(s);
  ASSERT_EQ(gt::to_graph_dataset(s, info, 0).graphs.size(), 3u);  // the toy itself is good

  gt::SourceGraph& g1 = s.graphs[1];
  g1.num_nodes = 0, g1.node_cat.clear(), g1.node_cont.clear(), g1.src.clear(), g1.dst.clear();
  expect_error([&] { gt::to_graph_dataset(s, info, 0); }, {"toy.src", "graph g1", "no nodes"});

  s = toy_source();
  s.graphs[2].node_cont[1] = std::numeric_limits<float>::quiet_NaN();
  expect_error([&] { gt::to_graph_dataset(s, info, 0); }, {"graph g2", "node attribute"});

  s = toy_source();
  s.task = gt::TaskType::MultiClass, s.num_classes = 2, s.task_names = {"class"};
  s.graphs[2].y = {1.0f};
  ASSERT_EQ(tu_info(s).task, "multiclass");
  ASSERT_EQ(gt::to_graph_dataset(s, tu_info(s), 0).graphs.size(), 3u);
  s.graphs[1].y = {std::numeric_limits<float>::quiet_NaN()};
  expect_error([&] { gt::to_graph_dataset(s, tu_info(s), 0); }, {"graph g1", "no class label"});
}

// ---- 9. the "data" / "task" config sections ---------------------------------------

TEST(UserData, ConfigDataAndTaskSections) {
  EXPECT_TRUE(gt::is_benchmark("ZINC"));
  EXPECT_TRUE(gt::is_benchmark("SBM_PATTERN"));
  EXPECT_FALSE(gt::is_benchmark("data/tu/MUTAG"));
  expect_error([] { config_from(R"({"dataset": "ZINC", "data": {"folds": 5}})"); },
               {"cfg.json", "\"data\"", "ZINC"});
  expect_error([] { config_from(R"({"dataset": "ZINC", "task": {"type": "binary"}})"); }, {"\"task\""});
  expect_error([] { config_from(R"({"dataset": "my/data", "data": {"folds": 10, "fold": 10}})"); },
               {"cfg.json", "data.fold", "0..9"});
  expect_error([] { config_from(R"({"dataset": "my/data", "data": {"fromat": "tu"}})"); },
               {"unknown key \"data.fromat\"", "did you mean \"format\""});
  expect_error([] { config_from(R"({"dataset": "my/data", "task": {"metric": "f1"}})"); }, {"task.metric"});

  gt::Config c;
  c.dataset = "my/molecules.csv";
  c.data.format = "smiles_csv";
  c.data.smiles_column = "SMILES";
  c.data.targets = {"logS", "pKa"};
  c.data.split_column = "fold";
  c.data.folds = 5, c.data.fold = 4, c.data.fold_seed = 7;
  c.task.type = "regression", c.task.loss = "mse", c.task.metric = "rmse";
  const gt::Json j = gt::config_to_json(c);
  ASSERT_TRUE(j.contains("data"));
  ASSERT_TRUE(j.contains("task"));
  const gt::Config back = config_from(j.dump(2));
  EXPECT_TRUE(back.data == c.data);
  EXPECT_TRUE(back.task == c.task);
  EXPECT_TRUE(back == c);
  // Benchmarks keep the official layout: no gt-only sections.
  EXPECT_FALSE(gt::config_to_json(gt::Config{}).contains("data"));
}

// ---- SMILES CSV through the same path (needs RDKit) ------------------------------

TEST(UserData, SmilesCsvWithSplitColumn) {
  if (!gt::ogb_mol_featurizer_supported()) GTEST_SKIP() << "built without RDKit";
  TempDir tmp;
  const std::string csv = tmp.write("mols.csv",
                                    "smiles,logS,part\nCCO,0.5,train\nCCN,1.5,train\nc1ccccc1,-2,valid\n"
                                    "CC(=O)O,0.25,test\nCCCC,-1,train\n");
  gt::Config config = user_config(csv);
  config.data.split_column = "part";
  const gt::UserSplits s = gt::load_user_splits(config, tmp.file("cache"));
  EXPECT_EQ(s.info.format, "smiles_csv");
  EXPECT_EQ(s.info.smiles_column, "smiles");
  EXPECT_EQ(s.info.task_names, std::vector<std::string>{"logS"});
  EXPECT_EQ(s.info.node_vocab, kAtomVocab);
  ASSERT_EQ(s.train.graphs.size(), 3u);
  ASSERT_EQ(s.val.graphs.size(), 1u);
  EXPECT_EQ(s.val.graphs[0].num_nodes, 6);  // benzene
  EXPECT_EQ(s.test.graphs[0].y, std::vector<float>{0.25f});
}
