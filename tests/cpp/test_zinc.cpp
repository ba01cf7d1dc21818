// ZINC loading: split statistics against the README, RDKit featurisation
// against the pre-typed graph files, error messages for malformed input, and
// the binary cache (round trip, corruption, stale sources).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "expect_error.h"
#include "temp_dir.h"
#include "core/error.h"
#include "data/graph_cache.h"
#include "data/zinc.h"
#include "graph/laplacian_pe.h"

namespace fs = std::filesystem;

namespace {

const std::string kZincDir = std::string(GT_TEST_DATA_DIR) + "/zinc";

using gt::test::TempDir;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first `rows` data lines of a file (plus `skip` header lines).
std::string head_lines(const std::string& path, int rows, int skip) {
  std::ifstream in(path);
  std::string line, out;
  for (int i = 0; i < rows + skip && std::getline(in, line); ++i) out += line + "\n";
  return out;
}

using gt::test::expect_error;

// Featurising is the slow part: each split is loaded once per process.
const gt::GraphDataset& loaded_split(const std::string& split) {
  static std::map<std::string, gt::GraphDataset> cache;
  auto it = cache.find(split);
  if (it == cache.end()) it = cache.emplace(split, gt::load_zinc_split(kZincDir, split, 0, "")).first;
  return it->second;
}

const gt::GraphDataset& typed_split(const std::string& split) {
  static std::map<std::string, gt::GraphDataset> cache;
  auto it = cache.find(split);
  if (it == cache.end())
    it = cache.emplace(split, gt::read_zinc_typed_graphs(kZincDir + "/" + split + "_graphs.txt")).first;
  return it->second;
}

struct SplitStats {
  const char* split;
  size_t graphs;
  double mean_nodes, mean_edges;
};
// data/zinc/README.md, "Per-split statistics".
const SplitStats kStats[] = {
    {"train", 10000, 23.164, 49.820}, {"val", 1000, 23.083, 49.692}, {"test", 1000, 23.117, 49.720}};

void expect_stats(const gt::GraphDataset& data, const SplitStats& s) {
  ASSERT_EQ(data.graphs.size(), s.graphs) << s.split;
  double nodes = 0, edges = 0;
  for (const gt::Graph& g : data.graphs) {
    nodes += g.num_nodes;
    edges += g.num_edges();
  }
  EXPECT_NEAR(nodes / data.graphs.size(), s.mean_nodes, 1e-3) << s.split;
  EXPECT_NEAR(edges / data.graphs.size(), s.mean_edges, 1e-3) << s.split;
}

// Bitwise equality of two data sets (names aside); reports the first difference.
void expect_same_graphs(const gt::GraphDataset& a, const gt::GraphDataset& b) {
  ASSERT_EQ(a.graphs.size(), b.graphs.size());
  EXPECT_EQ(a.pe_dim, b.pe_dim);
  EXPECT_EQ(a.node_vocab, b.node_vocab);
  EXPECT_EQ(a.edge_vocab, b.edge_vocab);
  for (size_t i = 0; i < a.graphs.size(); ++i) {
    const gt::Graph& x = a.graphs[i];
    const gt::Graph& y = b.graphs[i];
    ASSERT_EQ(x.num_nodes, y.num_nodes) << "graph " << i;
    ASSERT_EQ(x.node_type, y.node_type) << "graph " << i;
    ASSERT_EQ(x.src, y.src) << "graph " << i;
    ASSERT_EQ(x.dst, y.dst) << "graph " << i;
    ASSERT_EQ(x.edge_type, y.edge_type) << "graph " << i;
    ASSERT_EQ(x.pe, y.pe) << "graph " << i;
    ASSERT_EQ(x.y, y.y) << "graph " << i;
  }
}

}  // namespace

TEST(ZincLoad, SplitSizesAndMeans) {
  for (const SplitStats& s : kStats) {
    const gt::GraphDataset& data = loaded_split(s.split);
    EXPECT_EQ(data.name, std::string("ZINC/") + s.split);
    EXPECT_EQ(data.node_vocab, std::vector<int32_t>{28});
    EXPECT_EQ(data.edge_vocab, std::vector<int32_t>{4});
    EXPECT_EQ(data.pe_dim, 0);
    expect_stats(data, s);
  }
}

TEST(ZincLoad, TypedGraphFilesMatchReadme) {
  for (const SplitStats& s : kStats) expect_stats(typed_split(s.split), s);
}

TEST(ZincLoad, EdgesComeInBothDirections) {
  const gt::GraphDataset& data = loaded_split("val");
  for (const gt::Graph& g : data.graphs) {
    ASSERT_EQ(g.num_edges() % 2, 0);
    ASSERT_EQ(g.node_type.size(), static_cast<size_t>(g.num_nodes));
    for (int32_t t : g.node_type) ASSERT_TRUE(t >= 0 && t < 28);
    for (int32_t e = 0; e < g.num_edges(); e += 2) {
      ASSERT_EQ(g.src[e], g.dst[e + 1]);  // u->v then v->u
      ASSERT_EQ(g.dst[e], g.src[e + 1]);
      ASSERT_NE(g.src[e], g.dst[e]);
      ASSERT_EQ(g.edge_type[e], g.edge_type[e + 1]);
      ASSERT_TRUE(g.edge_type[e] >= 1 && g.edge_type[e] <= 3);
    }
  }
  // README: test row 0 `Clc1ccc(CNc2ncccc2Cl)cn1` has y = 1.999782 and 16 atoms.
  const gt::Graph& first = loaded_split("test").graphs[0];
  EXPECT_EQ(first.num_nodes, 16);
  ASSERT_EQ(first.y.size(), 1u);
  EXPECT_FLOAT_EQ(first.y[0], 1.999782f);
}

#ifdef GT_HAVE_RDKIT
TEST(ZincRdkit, ReproducesEveryTypedGraph) {
  for (const SplitStats& s : kStats) {
    SCOPED_TRACE(s.split);
    expect_same_graphs(loaded_split(s.split), typed_split(s.split));
  }
}

TEST(ZincRdkit, UnparsableSmilesNamesFileAndLine) {
  TempDir dir;
  const std::string csv = dir.file("bad.csv");
  write_file(csv, "smiles,y\nCCO,1.0\nC1CC(,2.0\n");
  const auto dict = gt::read_atom_type_dictionary(kZincDir + "/atom_types.txt");
  testing::internal::CaptureStderr();
  expect_error([&] { gt::featurize_zinc_csv(csv, read_text(csv), dict); },
               {csv + ":3:", "field \"smiles\"", "RDKit cannot parse \"C1CC(\""});
  // RDKit's own log lines are silenced; our message is the only report.
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(ZincRdkit, ValenceErrorIsReported) {
  TempDir dir;
  const std::string csv = dir.file("bad.csv");
  write_file(csv, "smiles,y\nC(C)(C)(C)(C)C,1.0\n");
  const auto dict = gt::read_atom_type_dictionary(kZincDir + "/atom_types.txt");
  expect_error([&] { gt::featurize_zinc_csv(csv, read_text(csv), dict); },
               {csv + ":2:", "RDKit cannot parse"});
}

TEST(ZincRdkit, UnknownAtomTypeNamesTheDictionary) {
  TempDir dir;
  write_file(dir.file("atom_types.txt"), read_text(kZincDir + "/atom_types.txt"));
  write_file(dir.file("train.csv"), "smiles,y\nCCO,1.0\nCC,0.5\nCCC[Xe],2.0\n");
  expect_error([&] { gt::load_zinc_split(dir.str(), "train", 0, ""); },
               {dir.file("train.csv") + ":4:", "atom 3", "\"Xe\"", "28-token dictionary",
                dir.file("atom_types.txt")});
}

TEST(ZincRdkit, ChargedAndChiralAtomsGetBracketTokens) {
  TempDir dir;
  const std::string csv = dir.file("t.csv");
  // [C@H] -> "C H1" (4), [NH3+] -> "N H3 +" (10), [O-] -> "O -" (7), c[nH]c -> plain N.
  write_file(csv, "smiles,y\nC[C@H](O)[NH3+],0\nCC(=O)[O-],0\nc1cc[nH]c1,0\n");
  const auto dict = gt::read_atom_type_dictionary(kZincDir + "/atom_types.txt");
  const gt::GraphDataset data = gt::featurize_zinc_csv(csv, read_text(csv), dict);
  EXPECT_EQ(data.graphs[0].node_type, (std::vector<int32_t>{0, 4, 1, 10}));
  EXPECT_EQ(data.graphs[1].node_type, (std::vector<int32_t>{0, 0, 1, 7}));
  EXPECT_EQ(data.graphs[2].node_type, (std::vector<int32_t>{0, 0, 0, 2, 0}));
}
#else
TEST(ZincNoRdkit, SmilesNeedRdkit) {
  EXPECT_FALSE(gt::zinc_smiles_supported());
  const auto dict = gt::read_atom_type_dictionary(kZincDir + "/atom_types.txt");
  expect_error([&] { gt::featurize_zinc_csv("x.csv", "smiles,y\nC,1\n", dict); }, {"RDKit"});
}
#endif

// ---- malformed CSV rows (text checks; no RDKit needed) ----

TEST(ZincErrors, CsvRows) {
  TempDir dir;
  struct Case {
    const char* text;
    std::vector<std::string> needles;
  };
  const Case cases[] = {
      {"smiles,y\nCCO,1.0\nCC,abc\n", {":3:", "field \"y\"", "\"abc\" is not a number"}},
      {"smiles,y\nCCO,nan\n", {":2:", "field \"y\"", "not a finite number"}},
      {"smiles,y\nCCO,-inf\n", {":2:", "field \"y\"", "not a finite number"}},
      {"smiles,y\nCCO,1e60\n", {":2:", "field \"y\"", "32-bit float"}},
      {"smiles,y\nCCO,\n", {":2:", "field \"y\"", "empty"}},
      {"smiles,y\nCCO,1.0\nCCO\n", {":3:", "expected 2 fields", "found 1"}},
      {"smiles,y\nCCO,1.0,2.0\n", {":2:", "expected 2 fields", "found 3"}},
      {"smiles,y\n,1.0\n", {":2:", "field \"smiles\" is empty"}},
      {"smiles,y\nC CO,1.0\n", {":2:", "field \"smiles\"", "whitespace"}},
      {"CCO,1.0\n", {":1:", "expected the header \"smiles,y\""}},
      {"", {"file is empty"}},
      {"smiles,y\n", {"no data rows"}},
  };
  for (const Case& c : cases) {
    const std::string path = dir.file("rows.csv");
    write_file(path, c.text);
    std::vector<std::string> needles = c.needles;
    needles.push_back(path);
    SCOPED_TRACE(c.text);
    try {
      gt::read_smiles_csv(path);
      ADD_FAILURE() << "expected gt::Error";
    } catch (const gt::Error& e) {
      for (const std::string& n : needles)
        EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what() << " / " << n;
    }
  }
}

TEST(ZincErrors, CrlfAndBlankLinesAreAccepted) {
  TempDir dir;
  write_file(dir.file("ok.csv"), "smiles,y\r\nCCO,1.5\r\n\r\nCC,-2\r\n");
  const auto rows = gt::read_smiles_csv(dir.file("ok.csv"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].smiles, "CC");
  EXPECT_EQ(rows[1].line, 4);
  EXPECT_EQ(rows[1].y, -2.0f);
}

TEST(ZincErrors, MissingFiles) {
  TempDir dir;
  expect_error([&] { gt::read_smiles_csv(dir.file("nope.csv")); }, {dir.file("nope.csv"), "cannot open"});
  // A split directory without the dictionary.
  expect_error([&] { gt::load_zinc_split(dir.str(), "val", 0, ""); }, {"atom_types.txt", "cannot open"});
  // Dictionary present, split source missing.
  write_file(dir.file("atom_types.txt"), read_text(kZincDir + "/atom_types.txt"));
  expect_error([&] { gt::load_zinc_split(dir.str(), "val", 0, ""); }, {dir.file("val"), "cannot open"});
  expect_error([&] { gt::load_zinc_split(kZincDir, "validation", 0, ""); }, {"unknown ZINC split"});
}

TEST(ZincErrors, TypedGraphLines) {
  TempDir dir;
  const std::string path = dir.file("g.txt");
  struct Case {
    const char* text;
    std::vector<std::string> needles;
  };
  const Case cases[] = {
      {"1.0 2 1 0 0 0 1 1\n0.5 2 1 0 0 0 1\n", {":2:", "expected 3 + n + 3m = 8 tokens"}},
      {"1.0 2 1 0 28 0 1 1\n", {":1:", "field \"atom 1 type\"", "not in 0..27"}},
      {"1.0 2 1 0 x 0 1 1\n", {":1:", "field \"atom 1 type\"", "not an integer"}},
      {"1.0 2 1 0 0 0 2 1\n", {":1:", "field \"bond 0 v\"", "out of range"}},
      {"1.0 2 1 0 0 1 1 1\n", {":1:", "bond 0 joins atom 1 to itself"}},
      {"1.0 2 1 0 0 0 1 4\n", {":1:", "field \"bond 0 type\""}},
      {"nan 2 1 0 0 0 1 1\n", {":1:", "field \"y\""}},
      {"1.0 0 0\n", {":1:", "field \"n\""}},
      {"", {"file is empty"}},
  };
  for (const Case& c : cases) {
    write_file(path, c.text);
    SCOPED_TRACE(c.text);
    std::vector<std::string> needles = c.needles;
    needles.push_back(path);
    try {
      gt::read_zinc_typed_graphs(path);
      ADD_FAILURE() << "expected gt::Error";
    } catch (const gt::Error& e) {
      for (const std::string& n : needles)
        EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what() << " / " << n;
    }
  }
}

TEST(ZincErrors, Dictionary) {
  TempDir dir;
  const std::string path = dir.file("atom_types.txt");
  write_file(path, "0 C\n2 O\n");
  expect_error([&] { gt::read_atom_type_dictionary(path); }, {path + ":2:", "field \"index\"", "expected 1"});
  write_file(path, "0 C\n1 C\n");
  expect_error([&] { gt::read_atom_type_dictionary(path); }, {path + ":2:", "appears twice"});
  write_file(path, "");
  expect_error([&] { gt::read_atom_type_dictionary(path); }, {path, "empty"});
  const auto dict = gt::read_atom_type_dictionary(kZincDir + "/atom_types.txt");
  ASSERT_EQ(dict.tokens.size(), 28u);
  EXPECT_EQ(dict.index.at("N H1 +"), 8);
  EXPECT_EQ(dict.index.at("P H1 +"), 27);
}

// ---- binary cache ----

namespace {

// A small data set with PE, for cache tests.
gt::GraphDataset small_dataset() {
  gt::GraphDataset data = typed_split("val");
  data.graphs.resize(40);
  data.name = "ZINC/small";
  gt::compute_laplacian_pe(&data, 5);
  return data;
}

// A ZINC directory holding the first `rows` molecules of val (CSV and typed).
void make_small_zinc_dir(const TempDir& dir, int rows) {
  write_file(dir.file("atom_types.txt"), read_text(kZincDir + "/atom_types.txt"));
  write_file(dir.file("val.csv"), head_lines(kZincDir + "/val.csv", rows, 1));
  write_file(dir.file("val_graphs.txt"), head_lines(kZincDir + "/val_graphs.txt", rows, 0));
}

}  // namespace

TEST(GraphCache, RoundTripIsExact) {
  TempDir dir;
  const gt::GraphDataset data = small_dataset();
  const std::string path = dir.file("c.gtg");
  gt::save_graph_cache(path, data, 1234);
  EXPECT_FALSE(fs::exists(path + ".tmp." + std::to_string(::getpid())));
  gt::GraphDataset back;
  ASSERT_TRUE(gt::load_graph_cache(path, 1234, &back));
  EXPECT_EQ(back.name, data.name);
  expect_same_graphs(back, data);
}

TEST(GraphCache, RejectsMissingStaleTruncatedAndCorruptFiles) {
  TempDir dir;
  const gt::GraphDataset data = small_dataset();
  const std::string path = dir.file("c.gtg");
  gt::GraphDataset out;
  std::string why;
  EXPECT_FALSE(gt::load_graph_cache(path, 1, &out, &why));  // missing: silent
  gt::save_graph_cache(path, data, 1);
  const std::string good = read_text(path);

  testing::internal::CaptureStderr();
  EXPECT_FALSE(gt::load_graph_cache(path, 2, &out, &why));
  EXPECT_NE(why.find("different source"), std::string::npos) << why;
  EXPECT_NE(testing::internal::GetCapturedStderr().find(path), std::string::npos);

  // Every truncation length is rejected without crashing.
  for (size_t len : {size_t(0), size_t(7), size_t(63), size_t(64), good.size() / 2, good.size() - 1}) {
    write_file(path, good.substr(0, len));
    testing::internal::CaptureStderr();
    EXPECT_FALSE(gt::load_graph_cache(path, 1, &out, &why)) << len;
    EXPECT_NE(testing::internal::GetCapturedStderr(), "");
  }
  // A flipped byte anywhere (header, arrays, checksum) is rejected.
  for (size_t at : {size_t(9), size_t(40), good.size() / 3, good.size() - 30, good.size() - 1}) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x40);
    write_file(path, bad);
    testing::internal::CaptureStderr();
    EXPECT_FALSE(gt::load_graph_cache(path, 1, &out, &why)) << at;
    testing::internal::GetCapturedStderr();
  }
  write_file(path, good + "x");
  testing::internal::CaptureStderr();
  EXPECT_FALSE(gt::load_graph_cache(path, 1, &out, &why));
  testing::internal::GetCapturedStderr();
  EXPECT_TRUE(out.graphs.empty());  // untouched on failure
}

TEST(GraphCache, LoadZincSplitBuildsReusesAndRebuilds) {
  TempDir data_dir, cache_root;
  make_small_zinc_dir(data_dir, 30);
  const std::string cache_dir = cache_root.file("nested/cache");  // created on demand
  const gt::GraphDataset first = gt::load_zinc_split(data_dir.str(), "val", 4, cache_dir);
  const std::string cache_file = cache_dir + "/zinc_val_pe4.gtg";
  ASSERT_TRUE(fs::exists(cache_file));
  ASSERT_EQ(first.graphs.size(), 30u);
  EXPECT_EQ(first.pe_dim, 4);
  EXPECT_EQ(first.name, "ZINC/val");

  testing::internal::CaptureStderr();
  const gt::GraphDataset second = gt::load_zinc_split(data_dir.str(), "val", 4, cache_dir);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");  // served from cache, nothing to say
  expect_same_graphs(second, first);
  EXPECT_EQ(second.name, "ZINC/val");

  // A different pe_dim is a different cache file.
  const gt::GraphDataset no_pe = gt::load_zinc_split(data_dir.str(), "val", 0, cache_dir);
  EXPECT_TRUE(fs::exists(cache_dir + "/zinc_val_pe0.gtg"));
  EXPECT_TRUE(no_pe.graphs[0].pe.empty());

  // Change the label of row 1 in both sources (whichever this build reads).
  const std::string y_old = "0.631514";
  for (const char* name : {"val.csv", "val_graphs.txt"}) {
    std::string text = read_text(data_dir.file(name));
    text.replace(text.find(y_old), y_old.size(), "1.500000");
    write_file(data_dir.file(name), text);
  }
  testing::internal::CaptureStderr();
  const gt::GraphDataset changed = gt::load_zinc_split(data_dir.str(), "val", 4, cache_dir);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("different source"), std::string::npos);
  EXPECT_EQ(changed.graphs[0].y, std::vector<float>{1.5f});

  // A corrupted cache is rebuilt, with identical content.
  std::string bytes = read_text(cache_file);
  bytes.resize(bytes.size() / 2);
  write_file(cache_file, bytes);
  testing::internal::CaptureStderr();
  const gt::GraphDataset rebuilt = gt::load_zinc_split(data_dir.str(), "val", 4, cache_dir);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("rebuilding"), std::string::npos);
  expect_same_graphs(rebuilt, changed);
  EXPECT_GT(fs::file_size(cache_file), bytes.size());
}
