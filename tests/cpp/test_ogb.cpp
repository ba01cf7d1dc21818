// OGB graph-property raw format: the four real data sets against the numbers
// of data/ogb/README.md, and small malformed data sets written to a
// temp dir (gzip'd and plain) whose errors must name file, line and field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "expect_error.h"
#include "temp_dir.h"
#include "core/error.h"
#include "data/ogb.h"

namespace fs = std::filesystem;

namespace {

// The OGB sets shipped in the repository (data/ogb/README.md: provenance).
const std::string kOgbDir = std::string(GT_SOURCE_DIR) + "/data/ogb";

using gt::test::TempDir;

uint32_t crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// A valid gzip member made of stored (uncompressed) deflate blocks: written
// by hand so the test does not depend on zlib's headers.
std::string gzip(const std::string& data) {
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  size_t pos = 0;
  do {
    const size_t n = std::min<size_t>(65535, data.size() - pos);
    const bool last = pos + n == data.size();
    out += static_cast<char>(last ? 1 : 0);
    const uint16_t len = static_cast<uint16_t>(n), nlen = static_cast<uint16_t>(~n);
    for (uint16_t v : {len, nlen}) {
      out += static_cast<char>(v & 0xFF);
      out += static_cast<char>(v >> 8);
    }
    out += data.substr(pos, n);
    pos += n;
  } while (pos < data.size());
  for (uint32_t v : {crc32(data), static_cast<uint32_t>(data.size())})
    for (int k = 0; k < 4; ++k) out += static_cast<char>((v >> (8 * k)) & 0xFF);
  return out;
}

void write_file(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// A tiny valid molecule data set: graph 0 = 3 atoms, 2 bonds; graph 1 = 1 atom.
struct TinySet {
  std::map<std::string, std::string> files = {
      {"raw/num-node-list.csv", "3\n1\n"},
      {"raw/num-edge-list.csv", "2\n0\n"},
      {"raw/edge.csv", "0,1\n1,2\n"},
      {"raw/node-feat.csv", "5,0,4,5,3,0,2,0,0\n7,0,2,5,1,0,2,0,0\n7,0,1,5,0,0,2,0,0\n16,0,0,5,0,0,5,0,0\n"},
      {"raw/edge-feat.csv", "0,0,0\n1,0,1\n"},
      {"raw/graph-label.csv", "1\n0\n"},
      {"split/scaffold/train.csv", "0\n"},
      {"split/scaffold/valid.csv", "1\n"},
      {"split/scaffold/test.csv", ""},
  };
  std::string master;  // written to the parent folder when not empty

  // Writes every file as X.csv.gz (gzip'd when `gz`, else plain text under
  // the .gz name: the reader detects gzip from the bytes) into root/name.
  std::string write(const TempDir& root, bool gz = true, const std::string& name = "ogbg_moltiny") const {
    const std::string dir = root.str() + "/" + name;
    for (const auto& [rel, text] : files) write_file(dir + "/" + rel + ".gz", gz ? gzip(text) : text);
    if (!master.empty()) write_file(root.str() + "/master.csv", master);
    return dir;
  }
};

using gt::test::expect_error;

// Writes `set` with one file replaced and expects an error naming each needle.
void expect_bad(const std::string& rel, const std::string& text, std::initializer_list<std::string> needles,
                bool molecule = true) {
  for (bool gz : {true, false}) {
    SCOPED_TRACE(rel + (gz ? " (gzip)" : " (plain)"));
    TempDir root;
    TinySet set;
    set.files[rel] = text;
    const std::string dir = set.write(root, gz, molecule ? "ogbg_moltiny" : "tiny");
    expect_error([&] { gt::read_ogb_graphprop(dir); }, needles);
  }
}

// --- the four real data sets ------------------------------------------------

struct Expected {
  const char* folder;
  int32_t graphs, min_nodes, max_nodes;
  int64_t nodes, bonds;
  std::array<size_t, 3> split;
  gt::TaskType task;
  const char* metric;
  int32_t positives, no_edges;
  float y_min, y_max;
  const char* task_name;
};

const Expected kExpected[] = {
    {"ogbg_molesol", 1128, 1, 55, 14991, 15428, {902, 113, 113}, gt::TaskType::Regression, "rmse", 0, 1,
     -11.6f, 1.58f, "measured log solubility in mols per litre"},
    {"ogbg_molfreesolv", 642, 1, 24, 5600, 5385, {513, 64, 65}, gt::TaskType::Regression, "rmse", 0, 3,
     -25.47f, 3.43f, "expt"},
    {"ogbg_molbace", 1513, 10, 97, 51577, 55768, {1210, 151, 152}, gt::TaskType::Binary, "rocauc", 691, 0,
     0.0f, 1.0f, "Class"},
    {"ogbg_molbbbp", 2039, 2, 132, 49068, 52921, {1631, 204, 204}, gt::TaskType::Binary, "rocauc", 1560, 0,
     0.0f, 1.0f, "p_np"},
};

void check_real(const Expected& want) {
  SCOPED_TRACE(want.folder);
  ASSERT_TRUE(fs::is_directory(kOgbDir)) << kOgbDir << " is missing: the OGB test data is expected in "
                                         << "data/ogb in the repository";
  const gt::SourceDataset d = gt::read_ogb_graphprop(kOgbDir + "/" + want.folder);
  std::string name = want.folder;
  std::replace(name.begin(), name.end(), '_', '-');
  EXPECT_EQ(d.name, name);
  EXPECT_EQ(d.task, want.task);
  EXPECT_EQ(d.eval_metric, want.metric);
  ASSERT_EQ(d.task_names, std::vector<std::string>{want.task_name});
  EXPECT_EQ(d.node.vocab, (std::vector<int32_t>{119, 5, 12, 12, 10, 6, 6, 2, 2}));
  EXPECT_EQ(d.edge.vocab, (std::vector<int32_t>{5, 6, 2}));
  EXPECT_EQ(d.node.continuous + d.edge.continuous, 0);
  ASSERT_EQ(static_cast<int32_t>(d.graphs.size()), want.graphs);

  int64_t nodes = 0, edges = 0;
  int32_t min_nodes = 1 << 30, max_nodes = 0, positives = 0, no_edges = 0;
  float y_min = INFINITY, y_max = -INFINITY;
  for (size_t g = 0; g < d.graphs.size(); ++g) {
    const gt::SourceGraph& s = d.graphs[g];
    ASSERT_EQ(s.id, std::to_string(g));
    nodes += s.num_nodes;
    edges += s.num_edges();
    min_nodes = std::min(min_nodes, s.num_nodes);
    max_nodes = std::max(max_nodes, s.num_nodes);
    no_edges += s.num_edges() == 0;
    ASSERT_EQ(s.node_cat.size(), static_cast<size_t>(s.num_nodes) * 9);
    ASSERT_EQ(s.edge_cat.size(), static_cast<size_t>(s.num_edges()) * 3);
    ASSERT_EQ(s.y.size(), 1u);
    positives += s.y[0] == 1.0f;
    y_min = std::min(y_min, s.y[0]);
    y_max = std::max(y_max, s.y[0]);
    // add_inverse_edge: each bond is (u,v) then (v,u), features repeated.
    for (int32_t e = 0; e + 1 < s.num_edges(); e += 2) {
      ASSERT_EQ(s.src[e], s.dst[e + 1]);
      ASSERT_EQ(s.dst[e], s.src[e + 1]);
      for (int k = 0; k < 3; ++k) ASSERT_EQ(s.edge_cat[e * 3 + k], s.edge_cat[(e + 1) * 3 + k]);
    }
  }
  EXPECT_EQ(nodes, want.nodes);
  EXPECT_EQ(edges, 2 * want.bonds);
  EXPECT_EQ(min_nodes, want.min_nodes);
  EXPECT_EQ(max_nodes, want.max_nodes);
  EXPECT_EQ(no_edges, want.no_edges);
  EXPECT_EQ(positives, want.positives);
  EXPECT_NEAR(y_min, want.y_min, 1e-4);
  EXPECT_NEAR(y_max, want.y_max, 1e-4);

  EXPECT_EQ(d.train.size(), want.split[0]);
  EXPECT_EQ(d.val.size(), want.split[1]);
  EXPECT_EQ(d.test.size(), want.split[2]);
  std::vector<int32_t> all = d.train;
  all.insert(all.end(), d.val.begin(), d.val.end());
  all.insert(all.end(), d.test.begin(), d.test.end());
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<int32_t>(i)) << "splits must partition";
}

TEST(OgbRealData, MolEsol) { check_real(kExpected[0]); }
TEST(OgbRealData, MolFreesolv) { check_real(kExpected[1]); }
TEST(OgbRealData, MolBace) { check_real(kExpected[2]); }
TEST(OgbRealData, MolBbbp) { check_real(kExpected[3]); }

// The first rows of ogbg_molbace's raw files, as zcat shows them.
TEST(OgbRealData, BaceFirstGraphMatchesRawRows) {
  const gt::SourceDataset d = gt::read_ogb_graphprop(kOgbDir + "/ogbg_molbace/");
  const gt::SourceGraph& g = d.graphs[0];
  EXPECT_EQ(std::vector<int32_t>(g.node_cat.begin(), g.node_cat.begin() + 18),
            (std::vector<int32_t>{7, 0, 2, 5, 0, 0, 2, 0, 1, 5, 0, 4, 5, 2, 0, 2, 0, 1}));
  EXPECT_EQ(std::vector<int32_t>(g.src.begin(), g.src.begin() + 4), (std::vector<int32_t>{0, 1, 1, 2}));
  EXPECT_EQ(std::vector<int32_t>(g.dst.begin(), g.dst.begin() + 4), (std::vector<int32_t>{1, 0, 2, 1}));
  EXPECT_EQ(g.y, std::vector<float>{1.0f});
  EXPECT_EQ(d.path, kOgbDir + "/ogbg_molbace");
}

// --- small data sets ----------------------------------------------------------

TEST(OgbTiny, ReadsGzipAndPlain) {
  for (bool gz : {true, false}) {
    TempDir root;
    const gt::SourceDataset d = gt::read_ogb_graphprop(TinySet().write(root, gz));
    EXPECT_EQ(d.name, "ogbg-moltiny");
    ASSERT_EQ(d.graphs.size(), 2u);
    EXPECT_EQ(d.graphs[0].src, (std::vector<int32_t>{0, 1, 1, 2}));
    EXPECT_EQ(d.graphs[0].dst, (std::vector<int32_t>{1, 0, 2, 1}));
    EXPECT_EQ(d.graphs[0].edge_cat, (std::vector<int32_t>{0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1}));
    EXPECT_EQ(d.graphs[1].num_nodes, 1);
    EXPECT_EQ(d.graphs[1].num_edges(), 0);
    EXPECT_EQ(d.graphs[1].node_cat, (std::vector<int32_t>{16, 0, 0, 5, 0, 0, 5, 0, 0}));
    EXPECT_EQ(d.task, gt::TaskType::Binary);  // inferred: labels are 0/1, no master.csv
    EXPECT_EQ(d.task_names, std::vector<std::string>{"task_1"});
    EXPECT_EQ(d.eval_metric, "");
    EXPECT_EQ(d.train, std::vector<int32_t>{0});
    EXPECT_EQ(d.val, std::vector<int32_t>{1});
    EXPECT_TRUE(d.test.empty());
  }
}

TEST(OgbTiny, PlainCsvNamesAndMissingLabels) {
  TempDir root;
  TinySet set;
  set.files["raw/graph-label.csv"] = "-1.5,\nnan,2\n";
  const std::string dir = root.str() + "/ogbg_moltiny";
  for (const auto& [rel, text] : set.files) write_file(dir + "/" + rel, text);  // X.csv, no .gz
  const gt::SourceDataset d = gt::read_ogb_graphprop(dir);
  EXPECT_EQ(d.task, gt::TaskType::Regression);
  ASSERT_EQ(d.graphs[0].y.size(), 2u);
  EXPECT_EQ(d.graphs[0].y[0], -1.5f);
  EXPECT_TRUE(std::isnan(d.graphs[0].y[1]));
  EXPECT_TRUE(std::isnan(d.graphs[1].y[0]));
  EXPECT_EQ(d.graphs[1].y[1], 2.0f);
}

TEST(OgbTiny, MasterCsvDrivesMeta) {
  TempDir root;
  TinySet set;
  set.master =
      ",ogbg-other,ogbg-moltiny\nnum tasks,1,1\neval metric,acc,rocauc\nadd_inverse_edge,True,False\n"
      "task type,regression,binary classification\nnum classes,-1,2\nsplit,x,scaffold\n"
      "additional node files,\"a,b\",None\nbinary,False,False\n";
  const gt::SourceDataset d = gt::read_ogb_graphprop(set.write(root));
  EXPECT_EQ(d.eval_metric, "rocauc");
  EXPECT_EQ(d.task, gt::TaskType::Binary);
  EXPECT_EQ(d.graphs[0].src, (std::vector<int32_t>{0, 1}));  // add_inverse_edge False
  EXPECT_EQ(d.graphs[0].dst, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(d.graphs[0].edge_cat, (std::vector<int32_t>{0, 0, 0, 1, 0, 1}));
  // An empty split name takes master.csv's ("scaffold" here).
  EXPECT_EQ(gt::read_ogb_graphprop(d.path, "").train, std::vector<int32_t>{0});
}

TEST(OgbTiny, MasterCsvErrors) {
  const std::string head = ",ogbg-moltiny\n";
  const std::pair<std::string, std::string> cases[] = {
      {"task type,binary classification\n", ""},  // valid; labels 1,0
      {"task type,subtoken prediction\n", "master.csv:2: field \"task type\": \"subtoken prediction\""},
      {"add_inverse_edge,maybe\n", "master.csv:2: field \"add_inverse_edge\": \"maybe\" is not True or False"},
      {"num tasks,2\n", "graph-label.csv.gz:1: expected 2 comma-separated fields, found 1"},
      {"binary,True\n", "master.csv:2: field \"binary\""},
      {"task type,multiclass classification\nnum classes,1\n", "needs \"num classes\" >= 2"},
  };
  for (const auto& [rows, needle] : cases) {
    SCOPED_TRACE(rows);
    TempDir root;
    TinySet set;
    set.master = head + rows;
    const std::string dir = set.write(root);
    if (needle.empty()) {
      EXPECT_NO_THROW(gt::read_ogb_graphprop(dir));
    } else {
      expect_error([&] { gt::read_ogb_graphprop(dir); }, {needle});
    }
  }
  TempDir root;
  TinySet set;
  set.master = head + "task type,binary classification\n";
  set.files["raw/graph-label.csv"] = "1\n0.5\n";
  expect_error([&] { gt::read_ogb_graphprop(set.write(root)); },
               {"raw/graph-label.csv.gz:2: field \"task 1\": \"0.5\" is not 0, 1 or missing"});
}

TEST(OgbTiny, NonMoleculeColumnsAreInferred) {
  TempDir root;
  TinySet set;
  set.files["raw/node-feat.csv"] = "0,1.5,3\n2,-2,0\n1,0,7\n4,1e3,1\n";
  set.files["raw/edge-feat.csv"] = "-1\n3\n";
  const gt::SourceDataset d = gt::read_ogb_graphprop(set.write(root, true, "some_graphs"));
  EXPECT_EQ(d.name, "some-graphs");
  EXPECT_EQ(d.node.vocab, (std::vector<int32_t>{5, 8}));
  EXPECT_EQ(d.node.names, (std::vector<std::string>{"column_1", "column_3"}));
  EXPECT_EQ(d.node.continuous, 1);
  EXPECT_EQ(d.graphs[0].node_cat, (std::vector<int32_t>{0, 3, 2, 0, 1, 7}));
  EXPECT_EQ(d.graphs[0].node_cont, (std::vector<float>{1.5f, -2.0f, 0.0f}));
  EXPECT_EQ(d.graphs[1].node_cont, (std::vector<float>{1000.0f}));
  EXPECT_EQ(d.edge.categorical(), 0);  // a negative value makes the column continuous
  EXPECT_EQ(d.graphs[0].edge_cont, (std::vector<float>{-1, -1, 3, 3}));
}

// --- errors name the file, the line and the field -----------------------------

TEST(OgbErrors, MissingFiles) {
  for (const std::string rel : {"raw/num-node-list.csv", "raw/num-edge-list.csv", "raw/edge.csv",
                                "raw/node-feat.csv", "raw/edge-feat.csv", "raw/graph-label.csv",
                                "split/scaffold/train.csv", "split/scaffold/test.csv"}) {
    SCOPED_TRACE(rel);
    TempDir root;
    const std::string dir = TinySet().write(root);
    fs::remove(dir + "/" + rel + ".gz");
    expect_error([&] { gt::read_ogb_graphprop(dir); }, {dir + "/" + rel + ".gz: missing file"});
  }
  TempDir root;
  const std::string dir = TinySet().write(root);
  expect_error([&] { gt::read_ogb_graphprop(dir, "random"); },
               {dir + "/split/random: missing split folder (available: scaffold)"});
  expect_error([&] { gt::read_ogb_graphprop(dir + "/nope"); }, {"nope: not a directory"});
}

TEST(OgbErrors, FieldsThatDoNotParse) {
  expect_bad("raw/node-feat.csv", "5,0,4,5,3,0,2,0,0\n7,0,x,5,1,0,2,0,0\n7,0,1,5,0,0,2,0,0\n16,0,0,5,0,0,5,0,0\n",
             {"raw/node-feat.csv.gz:2: field \"3 (degree)\": \"x\" is not an integer"});
  expect_bad("raw/edge-feat.csv", "0,0,0\n1,0,nan\n",
             {"raw/edge-feat.csv.gz:2: field \"3 (is_conjugated)\": \"nan\" is not an integer"});
  expect_bad("raw/num-edge-list.csv", "2\n-1\n", {"raw/num-edge-list.csv.gz:2: field \"edges\": -1 is negative"});
  expect_bad("raw/edge.csv", "0,1\n1,b\n", {"raw/edge.csv.gz:2: field \"dst\": \"b\" is not an integer"});
  expect_bad("raw/graph-label.csv", "1\ninf\n", {"raw/graph-label.csv.gz:2: field \"task 1\": \"inf\""});
  expect_bad("raw/graph-label.csv", "1\n1e300\n", {"raw/graph-label.csv.gz:2:", "does not fit a 32-bit float"});
  expect_bad("split/scaffold/valid.csv", "one\n", {"split/scaffold/valid.csv.gz:1: field \"graph index\""});
}

TEST(OgbErrors, NonFiniteFeaturesInNonMoleculeSets) {
  expect_bad("raw/node-feat.csv", "1\n2\nnan\n4\n",
             {"raw/node-feat.csv.gz:3: field \"1\": \"nan\" is not a finite number"}, false);
  expect_bad("raw/node-feat.csv", "0.5\n-inf\n3\n4\n", {"raw/node-feat.csv.gz:2: field \"1\": \"-inf\""}, false);
  expect_bad("raw/node-feat.csv", "1\n2\n3\n1e39\n", {"raw/node-feat.csv.gz:4:", "does not fit a 32-bit float"},
             false);
  expect_bad("raw/edge-feat.csv", "1,2\n3\n",
             {"raw/edge-feat.csv.gz:2: expected 2 comma-separated fields, found 1"}, false);
}

TEST(OgbErrors, ValuesOutsideTheVocabulary) {
  expect_bad("raw/node-feat.csv",
             "5,0,4,5,3,0,2,0,0\n7,0,2,5,1,0,2,0,0\n119,0,1,5,0,0,2,0,0\n16,0,0,5,0,0,5,0,0\n",
             {"raw/node-feat.csv.gz:3: field \"1 (atomic_num)\": 119 is outside the vocabulary [0, 119)"});
  expect_bad("raw/edge-feat.csv", "0,0,0\n-1,0,1\n",
             {"raw/edge-feat.csv.gz:2: field \"1 (bond_type)\": -1 is outside the vocabulary [0, 5)"});
}

TEST(OgbErrors, WrongColumnCounts) {
  expect_bad("raw/edge.csv", "0,1\n1,2,0\n", {"raw/edge.csv.gz:2: expected 2 comma-separated fields, found 3"});
  expect_bad("raw/node-feat.csv", "5,0,4,5,3,0,2,0,0\n7,0,2,5,1,0,2,0\n7,0,1,5,0,0,2,0,0\n16,0,0,5,0,0,5,0,0\n",
             {"raw/node-feat.csv.gz:2: expected 9 comma-separated fields, found 8"});
  expect_bad("raw/num-node-list.csv", "3,1\n1\n",
             {"raw/num-node-list.csv.gz:1: expected 1 comma-separated field, found 2"});
  expect_bad("raw/graph-label.csv", "1,0\n0\n",
             {"raw/graph-label.csv.gz:2: expected 2 comma-separated fields, found 1"});
}

TEST(OgbErrors, CountsThatDisagree) {
  expect_bad("raw/num-node-list.csv", "3\n2\n",
             {"raw/node-feat.csv.gz has 4 rows but ", "raw/num-node-list.csv.gz sums to 5 nodes"});
  expect_bad("raw/num-edge-list.csv", "1\n0\n",
             {"raw/edge-feat.csv.gz has 2 rows but ", "raw/num-edge-list.csv.gz sums to 1 edges"});
  expect_bad("raw/edge.csv", "0,1\n1,2\n0,2\n",
             {"raw/edge.csv.gz has 3 rows but ", "num-edge-list.csv.gz sums to 2 edges"});
  expect_bad("raw/num-edge-list.csv", "2\n0\n0\n",
             {"raw/num-edge-list.csv.gz has 3 rows but ", "raw/num-node-list.csv.gz has 2"});
  expect_bad("raw/graph-label.csv", "1\n",
             {"raw/graph-label.csv.gz has 1 rows but ", "raw/num-node-list.csv.gz has 2"});
}

TEST(OgbErrors, NodeIdsOutsideTheirGraph) {
  expect_bad("raw/edge.csv", "0,1\n1,3\n",
             {"raw/edge.csv.gz:2: field \"dst\": node 3 is out of range for graph 0, which has 3 nodes"});
  expect_bad("raw/edge.csv", "-1,1\n1,2\n", {"raw/edge.csv.gz:1: field \"src\": node -1 is out of range"});
  // The second graph's single bond refers to node 1 of a 1-node graph.
  TempDir root;
  TinySet set;
  set.files["raw/num-edge-list.csv"] = "1\n1\n";
  set.files["raw/edge.csv"] = "0,1\n0,1\n";
  set.files["raw/edge-feat.csv"] = "0,0,0\n0,0,0\n";
  expect_error([&] { gt::read_ogb_graphprop(set.write(root)); },
               {"raw/edge.csv.gz:2: field \"dst\": node 1 is out of range for graph 1, which has 1 nodes"});
}

TEST(OgbErrors, EmptyGraphsAndEmptyFiles) {
  expect_bad("raw/num-node-list.csv", "4\n0\n", {"raw/num-node-list.csv.gz:2: graph 1 has 0 nodes"});
  expect_bad("raw/num-node-list.csv", "", {"raw/num-node-list.csv.gz: no graphs"});
}

TEST(OgbErrors, SplitIndices) {
  expect_bad("split/scaffold/test.csv", "2\n",
             {"split/scaffold/test.csv.gz:1: graph index 2 is out of range (the data set has 2 graphs"});
  expect_bad("split/scaffold/test.csv", "1\n",
             {"split/scaffold/test.csv.gz:1: graph 1 is listed twice (already in valid)"});
  expect_bad("split/scaffold/train.csv", "0\n0\n",
             {"split/scaffold/train.csv.gz:2: graph 0 is listed twice (already in train)"});
}

TEST(OgbErrors, TruncatedGzip) {
  const std::string text = TinySet().files.at("raw/node-feat.csv");
  const std::string gz = gzip(text);
  for (size_t keep : {gz.size() - 1, gz.size() - 8, gz.size() / 2, size_t{12}, size_t{3}}) {
    SCOPED_TRACE(keep);
    TempDir root;
    const std::string dir = TinySet().write(root);
    write_file(dir + "/raw/node-feat.csv.gz", gz.substr(0, keep));
    expect_error([&] { gt::read_ogb_graphprop(dir); }, {dir + "/raw/node-feat.csv.gz: corrupt or truncated gzip"});
  }
}

}  // namespace
