// TU Dortmund reader: MUTAG and ENZYMES against data/tu/README.md's
// table, a small hand-made data set read field by field, stratified k-fold,
// and an error naming file and line for each kind of malformed input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "temp_dir.h"
#include "core/error.h"
#include "data/gzip.h"
#include "data/tu.h"

namespace fs = std::filesystem;

namespace {

const std::string kTuDir = std::string(GT_SOURCE_DIR) + "/data/tu";

// Fails (never skips) when the shared data is absent: these are real checks.
gt::SourceDataset load_shared(const std::string& name) {
  const std::string dir = kTuDir + "/" + name;
  if (!fs::is_directory(dir)) {
    ADD_FAILURE() << "TU data set folder " << dir << " is missing; the TU tests need the shared data "
                  << "(data/tu/ in the repository)";
    return {};
  }
  return gt::read_tu(dir);
}

using gt::test::TempDir;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// TOY: graph 1 = nodes 1-3 (path 1-2-3), graph 2 = nodes 4-5 (one edge).
// Labels are deliberately not 0-based so the remapping is visible.
const std::map<std::string, std::string> kToy = {
    {"A", "1, 2\n2, 1\n2, 3\n3, 2\n4, 5\n5, 4\n"},
    {"graph_indicator", "1\n1\n1\n2\n2\n"},
    {"graph_labels", "5\n-3\n"},
    {"node_labels", "7\n3\n7\n3\n9\n"},
    {"edge_labels", "1\n1\n2\n2\n1\n1\n"},
    {"node_attributes", " 1.5, 2\n 0, -1\n3,4\n5,6\n7,8\n"},
    {"edge_attributes", "0.5\n0.5\n1\n1\n2\n2\n"},
};
const std::string kAbsent = "<absent>";

// Writes TOY into <tmp>/TOY with some files replaced (kAbsent: not written).
std::string write_toy(const TempDir& tmp, const std::map<std::string, std::string>& changes = {}) {
  const std::string dir = tmp.str() + "/TOY";
  fs::create_directories(dir);
  std::map<std::string, std::string> files = kToy;
  for (const auto& [suffix, text] : changes) files[suffix] = text;
  for (const auto& [suffix, text] : files)
    if (text != kAbsent) write_file(dir + "/TOY_" + suffix + ".txt", text);
  return dir;
}

std::string error_of(const std::string& dir) {
  try {
    gt::read_tu(dir);
  } catch (const gt::Error& e) {
    return e.what();
  }
  return "(no error)";
}

void check_graph_structure(const gt::SourceDataset& d) {
  for (const gt::SourceGraph& g : d.graphs) {
    ASSERT_EQ(g.src.size(), g.dst.size());
    std::multiset<std::pair<int32_t, int32_t>> fwd, rev;
    for (int32_t e = 0; e < g.num_edges(); ++e) {
      ASSERT_GE(g.src[e], 0);
      ASSERT_LT(g.src[e], g.num_nodes);
      ASSERT_GE(g.dst[e], 0);
      ASSERT_LT(g.dst[e], g.num_nodes);
      fwd.insert({g.src[e], g.dst[e]});
      rev.insert({g.dst[e], g.src[e]});
    }
    EXPECT_EQ(fwd, rev) << "graph " << g.id << " is not symmetric";
    EXPECT_EQ(g.node_cat.size(), static_cast<size_t>(g.num_nodes) * d.node.categorical());
    EXPECT_EQ(g.node_cont.size(), static_cast<size_t>(g.num_nodes) * d.node.continuous);
    EXPECT_EQ(g.edge_cat.size(), static_cast<size_t>(g.num_edges()) * d.edge.categorical());
    EXPECT_EQ(g.edge_cont.size(), static_cast<size_t>(g.num_edges()) * d.edge.continuous);
    for (size_t i = 0; i < g.node_cat.size(); ++i) {
      EXPECT_GE(g.node_cat[i], 0);
      EXPECT_LT(g.node_cat[i], d.node.vocab[i % d.node.vocab.size()]);
    }
  }
}

struct Totals {
  int64_t nodes = 0, edges = 0;
  int32_t min_nodes = 1 << 30, max_nodes = 0;
  std::map<int, int> classes;
};

Totals totals(const gt::SourceDataset& d) {
  Totals t;
  for (const gt::SourceGraph& g : d.graphs) {
    t.nodes += g.num_nodes;
    t.edges += g.num_edges();
    t.min_nodes = std::min(t.min_nodes, g.num_nodes);
    t.max_nodes = std::max(t.max_nodes, g.num_nodes);
    t.classes[static_cast<int>(g.y.at(0))]++;
  }
  return t;
}

TEST(TuShared, MutagMatchesReadme) {
  const gt::SourceDataset d = load_shared("MUTAG");
  ASSERT_EQ(d.graphs.size(), 188u);
  EXPECT_EQ(d.name, "MUTAG");
  EXPECT_EQ(d.task, gt::TaskType::MultiClass);
  EXPECT_EQ(d.task_names, std::vector<std::string>{"class"});
  EXPECT_EQ(d.num_classes, 2);
  const Totals t = totals(d);
  EXPECT_EQ(t.nodes, 3371);
  EXPECT_EQ(t.edges, 7442);
  EXPECT_EQ(t.min_nodes, 10);
  EXPECT_EQ(t.max_nodes, 28);
  EXPECT_EQ(t.classes, (std::map<int, int>{{0, 63}, {1, 125}}));  // -1 -> 0: 63, 1 -> 1: 125
  EXPECT_EQ(d.graphs[0].y[0], 1.0f);  // graph_labels line 1 is "1"
  EXPECT_EQ(d.graphs[1].y[0], 0.0f);  // line 2 is "-1"
  EXPECT_EQ(d.node.names, std::vector<std::string>{"node_label"});
  EXPECT_EQ(d.node.vocab, std::vector<int32_t>{7});
  EXPECT_EQ(d.edge.names, std::vector<std::string>{"edge_label"});
  EXPECT_EQ(d.edge.vocab, std::vector<int32_t>{4});
  EXPECT_EQ(d.node.continuous, 0);
  EXPECT_EQ(d.edge.continuous, 0);
  EXPECT_TRUE(d.train.empty() && d.val.empty() && d.test.empty());
  EXPECT_EQ(d.graphs[0].id, "1");
  EXPECT_EQ(d.graphs[187].id, "188");
  // A.txt line 1 is "2, 1": graph 1, local 1 -> 0.
  EXPECT_EQ(d.graphs[0].src[0], 1);
  EXPECT_EQ(d.graphs[0].dst[0], 0);
  check_graph_structure(d);
}

TEST(TuShared, EnzymesMatchesReadme) {
  const gt::SourceDataset d = load_shared("ENZYMES");
  ASSERT_EQ(d.graphs.size(), 600u);
  EXPECT_EQ(d.name, "ENZYMES");
  EXPECT_EQ(d.num_classes, 6);
  const Totals t = totals(d);
  EXPECT_EQ(t.nodes, 19580);
  EXPECT_EQ(t.edges, 74564);
  EXPECT_EQ(t.min_nodes, 2);
  EXPECT_EQ(t.max_nodes, 126);
  for (int c = 0; c < 6; ++c) EXPECT_EQ(t.classes.count(c) ? t.classes.at(c) : 0, 100) << "class " << c;
  EXPECT_EQ(d.graphs[0].y[0], 5.0f);  // graph_labels line 1 is "6"
  EXPECT_EQ(d.node.vocab, std::vector<int32_t>{3});
  EXPECT_EQ(d.node.continuous, 18);
  EXPECT_EQ(d.edge.categorical(), 0);
  EXPECT_EQ(d.edge.continuous, 0);
  EXPECT_EQ(d.graphs[0].node_cat[0], 0);  // node_labels line 1 is "1"
  // node_attributes line 1: " 11.000000, 15.887014, 37.780000, ..."
  EXPECT_FLOAT_EQ(d.graphs[0].node_cont[0], 11.0f);
  EXPECT_FLOAT_EQ(d.graphs[0].node_cont[1], 15.887014f);
  EXPECT_FLOAT_EQ(d.graphs[0].node_cont[17], 2.0f);
  check_graph_structure(d);
}

TEST(TuToy, ReadsEveryFile) {
  TempDir tmp;
  const gt::SourceDataset d = gt::read_tu(write_toy(tmp) + "/");  // trailing slash: name still TOY
  EXPECT_EQ(d.name, "TOY");
  ASSERT_EQ(d.graphs.size(), 2u);
  EXPECT_EQ(d.num_classes, 2);
  EXPECT_EQ(d.graphs[0].y, std::vector<float>{1.0f});  // 5 -> 1
  EXPECT_EQ(d.graphs[1].y, std::vector<float>{0.0f});  // -3 -> 0
  const gt::SourceGraph& a = d.graphs[0];
  const gt::SourceGraph& b = d.graphs[1];
  EXPECT_EQ(a.num_nodes, 3);
  EXPECT_EQ(b.num_nodes, 2);
  EXPECT_EQ(a.src, (std::vector<int32_t>{0, 1, 1, 2}));
  EXPECT_EQ(a.dst, (std::vector<int32_t>{1, 0, 2, 1}));
  EXPECT_EQ(b.src, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(b.dst, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(d.node.vocab, std::vector<int32_t>{3});  // {3, 7, 9}
  EXPECT_EQ(a.node_cat, (std::vector<int32_t>{1, 0, 1}));
  EXPECT_EQ(b.node_cat, (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(d.edge.vocab, std::vector<int32_t>{2});
  EXPECT_EQ(a.edge_cat, (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(b.edge_cat, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(d.node.continuous, 2);
  EXPECT_EQ(a.node_cont, (std::vector<float>{1.5f, 2, 0, -1, 3, 4}));
  EXPECT_EQ(b.node_cont, (std::vector<float>{5, 6, 7, 8}));
  EXPECT_EQ(d.edge.continuous, 1);
  EXPECT_EQ(a.edge_cont, (std::vector<float>{0.5f, 0.5f, 1, 1}));
  EXPECT_EQ(b.edge_cont, (std::vector<float>{2, 2}));
  // An explicit name overrides the folder's.
  EXPECT_EQ(gt::read_tu(tmp.str() + "/TOY", "TOY").name, "TOY");
}

TEST(TuToy, SeveralLabelColumnsAndNoOptionalFiles) {
  TempDir tmp;
  const std::string dir = write_toy(tmp, {{"node_labels", "1, 5\n2, 5\n1, 6\n1, 5\n2, 5\n"},
                                          {"edge_labels", kAbsent},
                                          {"node_attributes", kAbsent},
                                          {"edge_attributes", kAbsent}});
  const gt::SourceDataset d = gt::read_tu(dir);
  EXPECT_EQ(d.node.names, (std::vector<std::string>{"node_label_0", "node_label_1"}));
  EXPECT_EQ(d.node.vocab, (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(d.graphs[0].node_cat, (std::vector<int32_t>{0, 0, 1, 0, 0, 1}));
  EXPECT_EQ(d.edge.categorical(), 0);
  EXPECT_EQ(d.node.continuous, 0);
  EXPECT_TRUE(d.graphs[0].edge_cat.empty());
}

TEST(TuToy, ReadsGzippedFile) {
  TempDir tmp;
  const std::string dir = write_toy(tmp, {{"graph_indicator", kAbsent}});
  // gzip -9n of "1\n1\n1\n2\n2\n", under the .txt.gz name.
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x33,
                              0xe4, 0x32, 0x04, 0x42, 0x23, 0x20, 0x04, 0x00, 0x79, 0xc3, 0x04,
                              0xc3, 0x0a, 0x00, 0x00, 0x00};
  write_file(dir + "/TOY_graph_indicator.txt.gz", std::string(reinterpret_cast<const char*>(gz), sizeof gz));
  if (gt::gzip_supported()) {
    EXPECT_EQ(gt::read_tu(dir).graphs.size(), 2u);
  } else {
    EXPECT_NE(error_of(dir).find("zlib"), std::string::npos) << error_of(dir);
  }
}

struct ErrorCase {
  const char* what;
  std::map<std::string, std::string> changes;
  std::vector<std::string> expected;  // substrings of the message
};

TEST(TuErrors, NameFileLineAndField) {
  const std::vector<ErrorCase> cases = {
      {"missing A", {{"A", kAbsent}}, {"TOY_A.txt: required TU file not found"}},
      {"missing indicator", {{"graph_indicator", kAbsent}}, {"TOY_graph_indicator.txt: required"}},
      {"missing labels", {{"graph_labels", kAbsent}}, {"TOY_graph_labels.txt: required"}},
      {"node id too big", {{"A", "1, 2\n2, 1\n2, 9\n3, 2\n4, 5\n5, 4\n"}},
       {"TOY_A.txt:3: field \"col\": node id 9 is out of range", "5 nodes"}},
      {"node id zero", {{"A", "0, 2\n2, 1\n2, 3\n3, 2\n4, 5\n5, 4\n"}},
       {"TOY_A.txt:1: field \"row\": node id 0 is out of range"}},
      {"edge across graphs", {{"A", "1, 2\n2, 1\n2, 3\n3, 2\n3, 4\n5, 4\n"}},
       {"TOY_A.txt:5: edge 3, 4 joins graph 1 and graph 2"}},
      {"A not a pair", {{"A", "1, 2\n2 1\n"}}, {"TOY_A.txt:2: expected \"row, col\""}},
      {"A not a number", {{"A", "1, 2\n2, x\n"}}, {"TOY_A.txt:2: field \"col\": \"x\" is not an integer"}},
      {"indicator decreasing", {{"graph_indicator", "1\n1\n2\n1\n2\n"}},
       {"TOY_graph_indicator.txt:4: field \"graph id\"", "non-decreasing"}},
      {"indicator gap", {{"graph_indicator", "1\n1\n1\n3\n3\n"}},
       {"TOY_graph_indicator.txt:4: field \"graph id\"", "graph 2 has no nodes"}},
      {"indicator not from 1", {{"graph_indicator", "2\n2\n2\n3\n3\n"}},
       {"TOY_graph_indicator.txt:1: field \"graph id\"", "expected 1"}},
      {"indicator empty id", {{"graph_indicator", "1\n\n1\n2\n2\n"}},
       {"TOY_graph_indicator.txt:2: field \"graph id\": is empty"}},
      {"indicator empty file", {{"graph_indicator", ""}}, {"TOY_graph_indicator.txt: no nodes"}},
      {"node_labels count", {{"node_labels", "7\n3\n7\n3\n"}},
       {"TOY_node_labels.txt: 4 lines, but", "TOY_graph_indicator.txt has 5"}},
      {"edge_labels count", {{"edge_labels", "1\n1\n2\n2\n1\n"}},
       {"TOY_edge_labels.txt: 5 lines, but", "TOY_A.txt has 6"}},
      {"graph_labels count", {{"graph_labels", "5\n-3\n1\n"}},
       {"TOY_graph_labels.txt: 3 lines, but", "TOY_graph_indicator.txt names 2 graphs"}},
      {"node_attributes count", {{"node_attributes", "1,2\n"}},
       {"TOY_node_attributes.txt: 1 lines, but", "has 5"}},
      {"edge_attributes count", {{"edge_attributes", "1\n"}}, {"TOY_edge_attributes.txt: 1 lines, but", "has 6"}},
      {"NaN attribute", {{"node_attributes", " 1.5, 2\n nan, -1\n3,4\n5,6\n7,8\n"}},
       {"TOY_node_attributes.txt:2: field \"node attribute 1\"", "not a finite number"}},
      {"Inf attribute", {{"edge_attributes", "0.5\n0.5\n1\n1\n2\ninf\n"}},
       {"TOY_edge_attributes.txt:6: field \"edge attribute\"", "not a finite number"}},
      {"float overflow", {{"edge_attributes", "0.5\n0.5\n1e300\n1\n2\n2\n"}},
       {"TOY_edge_attributes.txt:3:", "out of range for a float"}},
      {"ragged attributes", {{"node_attributes", " 1.5, 2\n 0, -1\n3\n5,6\n7,8\n"}},
       {"TOY_node_attributes.txt:3: has 1 comma-separated values, but line 1 has 2"}},
      {"missing node label", {{"node_labels", "7\n\n7\n3\n9\n"}},
       {"TOY_node_labels.txt:2: field \"node label\": is empty"}},
      {"missing graph label", {{"graph_labels", "5\n \n"}},
       {"TOY_graph_labels.txt:2: field \"graph label\": is empty"}},
      {"non-integer label", {{"edge_labels", "1\n1\n2.5\n2\n1\n1\n"}},
       {"TOY_edge_labels.txt:3: field \"edge label\": \"2.5\" is not an integer"}},
      {"two graph labels", {{"graph_labels", "5, 1\n-3, 1\n"}},
       {"TOY_graph_labels.txt:1: has 2 comma-separated values, expected one graph label"}},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.what);
    TempDir tmp;
    const std::string message = error_of(write_toy(tmp, c.changes));
    for (const std::string& part : c.expected) EXPECT_NE(message.find(part), std::string::npos) << message;
  }
}

TEST(TuErrors, MissingFolder) {
  TempDir tmp;
  const std::string message = error_of(tmp.str() + "/NOPE");
  EXPECT_NE(message.find("NOPE: TU data set folder not found"), std::string::npos) << message;
}

// Checks the fold properties promised in tu.h and returns per-fold class counts.
void check_folds(const gt::SourceDataset& d, const std::vector<std::vector<int32_t>>& folds, int k) {
  ASSERT_EQ(folds.size(), static_cast<size_t>(k));
  std::vector<int> seen(d.graphs.size(), 0);
  size_t min_size = d.graphs.size(), max_size = 0;
  std::vector<int> min_c(d.num_classes, 1 << 30), max_c(d.num_classes, 0);
  for (const std::vector<int32_t>& fold : folds) {
    EXPECT_TRUE(std::is_sorted(fold.begin(), fold.end()));
    std::vector<int> count(d.num_classes, 0);
    for (int32_t g : fold) {
      ASSERT_GE(g, 0);
      ASSERT_LT(g, static_cast<int32_t>(d.graphs.size()));
      seen[g]++;
      count[static_cast<int>(d.graphs[g].y[0])]++;
    }
    min_size = std::min(min_size, fold.size());
    max_size = std::max(max_size, fold.size());
    for (int c = 0; c < d.num_classes; ++c) {
      min_c[c] = std::min(min_c[c], count[c]);
      max_c[c] = std::max(max_c[c], count[c]);
    }
  }
  for (size_t g = 0; g < seen.size(); ++g) EXPECT_EQ(seen[g], 1) << "graph " << g;
  EXPECT_LE(max_size - min_size, 1u);
  for (int c = 0; c < d.num_classes; ++c) EXPECT_LE(max_c[c] - min_c[c], 1) << "class " << c;
}

TEST(TuKFold, PartitionAndBalance) {
  for (const char* name : {"MUTAG", "ENZYMES"}) {
    SCOPED_TRACE(name);
    const gt::SourceDataset d = load_shared(name);
    ASSERT_FALSE(d.graphs.empty());
    for (int k : {2, 3, 10}) check_folds(d, gt::stratified_kfold(d, k, 7), k);
  }
  // MUTAG, 10 folds: 63 / 125 per class -> 6-7 and 12-13 per fold.
  const gt::SourceDataset mutag = load_shared("MUTAG");
  ASSERT_FALSE(mutag.graphs.empty());
  for (const std::vector<int32_t>& fold : gt::stratified_kfold(mutag, 10, 1)) {
    int positives = 0;
    for (int32_t g : fold) positives += mutag.graphs[g].y[0] == 1.0f;
    EXPECT_GE(positives, 12);
    EXPECT_LE(positives, 13);
  }
}

TEST(TuKFold, DeterministicPerSeed) {
  const gt::SourceDataset d = load_shared("MUTAG");
  ASSERT_FALSE(d.graphs.empty());
  EXPECT_EQ(gt::stratified_kfold(d, 10, 42), gt::stratified_kfold(d, 10, 42));
  EXPECT_NE(gt::stratified_kfold(d, 10, 42), gt::stratified_kfold(d, 10, 43));
  EXPECT_NE(gt::stratified_kfold(d, 10, 0), gt::stratified_kfold(d, 10, 1));
}

TEST(TuKFold, RejectsBadK) {
  TempDir tmp;
  const gt::SourceDataset d = gt::read_tu(write_toy(tmp));
  check_folds(d, gt::stratified_kfold(d, 2, 3), 2);
  EXPECT_THROW(gt::stratified_kfold(d, 1, 0), gt::Error);
  EXPECT_THROW(gt::stratified_kfold(d, 3, 0), gt::Error);  // 2 graphs
  gt::SourceDataset regression = d;
  regression.task = gt::TaskType::Regression;
  EXPECT_THROW(gt::stratified_kfold(regression, 2, 0), gt::Error);
}

}  // namespace
