// SMILES CSV reader (src/data/smiles_csv.h): OGB featurisation checked
// against the raw files of four real ogbg-mol data sets, OGB's scaffold split
// reproduced, and an error naming file, line and column for each bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.h"
#include "core/error.h"
#include "data/csv.h"
#include "data/smiles_csv.h"
#include "data/text_table.h"

namespace fs = std::filesystem;

namespace {

const std::string kOgbDir = std::string(GT_SOURCE_DIR) + "/data/ogb";

using gt::test::TempDir;

// The gt::Error message of read_smiles_csv on `text`, or "" when it reads.
std::string read_error(const std::string& text, const gt::SmilesCsvOptions& opt = {}) {
  TempDir dir;
  const std::string path = dir.write("m.csv", text);
  try {
    gt::read_smiles_csv(path, opt);
  } catch (const gt::Error& e) {
    std::string msg = e.what();
    // Messages start with the temp path; tests compare what follows it.
    const size_t at = msg.find("m.csv");
    return at == std::string::npos ? msg : msg.substr(at);
  }
  return "";
}

gt::SmilesCsvOptions only_target(const std::string& name) {
  gt::SmilesCsvOptions opt;
  opt.targets = {name};
  return opt;
}

#ifdef GT_HAVE_RDKIT

// Every row of a headerless integer CSV (OGB raw format), read with
// read_file_bytes + LineReader.
std::vector<std::vector<int64_t>> read_int_rows(const std::string& path) {
  const std::string text = gt::read_file_bytes(path);
  gt::LineReader reader(text);
  std::string_view line;
  std::vector<std::string_view> fields;
  std::vector<std::vector<int64_t>> rows;
  while (reader.next(&line)) {
    gt::split_fields(line, ',', &fields);
    std::vector<int64_t> row;
    for (size_t i = 0; i < fields.size(); ++i)
      row.push_back(gt::parse_int(fields[i], gt::location(path, reader.line_number()), std::to_string(i)));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<int32_t> read_index_list(const std::string& path) {
  std::vector<int32_t> out;
  for (const auto& row : read_int_rows(path)) out.push_back(static_cast<int32_t>(row.at(0)));
  return out;
}

// The data set's directory, or a test failure saying what is missing.
std::string ogb_dir(const std::string& name) {
  const std::string dir = kOgbDir + "/" + name;
  if (!fs::exists(dir + "/mapping/mol.csv.gz"))
    ADD_FAILURE() << dir << "/mapping/mol.csv.gz is missing: the OGB test data (" << kOgbDir
                  << "/README.md) must be present for this test";
  return dir;
}

// Why graph g differs from OGB's raw features ("" when identical). Raw
// edges are one row per bond; ours are (u,v),(v,u) per bond.
std::string compare_graph(const gt::SourceGraph& g, int64_t n, int64_t m,
                          const std::vector<std::vector<int64_t>>& nf, size_t node_at,
                          const std::vector<std::vector<int64_t>>& edges,
                          const std::vector<std::vector<int64_t>>& ef, size_t edge_at) {
  std::ostringstream why;
  if (g.num_nodes != n) why << "nodes " << g.num_nodes << " vs " << n << "; ";
  if (g.num_edges() != 2 * m) why << "directed edges " << g.num_edges() << " vs 2*" << m << "; ";
  if (!why.str().empty()) return why.str();
  for (int64_t a = 0; a < n; ++a)
    for (int f = 0; f < 9; ++f)
      if (g.node_cat[9 * a + f] != nf[node_at + a].at(f))
        why << "atom " << a << " feature " << f << ": " << g.node_cat[9 * a + f] << " vs "
            << nf[node_at + a][f] << "; ";
  for (int64_t b = 0; b < m; ++b) {
    const auto& e = edges[edge_at + b];
    if (g.src[2 * b] != e.at(0) || g.dst[2 * b] != e.at(1) || g.src[2 * b + 1] != e[1] ||
        g.dst[2 * b + 1] != e[0])
      why << "bond " << b << " endpoints; ";
    for (int f = 0; f < 3; ++f)
      if (g.edge_cat[6 * b + f] != ef[edge_at + b].at(f) || g.edge_cat[6 * b + 3 + f] != ef[edge_at + b][f])
        why << "bond " << b << " feature " << f << ": " << g.edge_cat[6 * b + f] << " vs "
            << ef[edge_at + b][f] << "; ";
  }
  return why.str();
}

gt::SourceDataset read_text(const std::string& text, const gt::SmilesCsvOptions& opt = {}) {
  TempDir dir;
  return gt::read_smiles_csv(dir.write("m.csv", text), opt);
}

#endif  // GT_HAVE_RDKIT

}  // namespace

TEST(SmilesCsvSplit, ScaffoldSplitOrdersGroupsLikeOgb) {
  // Sizes: "a" 4, "b" 2, "c" 2, "d" 1, "e" 1 (n = 10: train <= 8, train + valid <= 9).
  // Equal sizes go last-appearing first: "c" (first index 3) before "b" (1),
  // "e" (9) before "d" (6). Placement: a -> train (4), c -> train (6),
  // b -> train (8), e -> valid (8 + 1 <= 9), d -> test.
  const std::vector<std::string> s{"a", "b", "a", "c", "a", "b", "d", "c", "a", "e"};
  std::vector<int32_t> train, valid, test;
  gt::scaffold_split(s, &train, &valid, &test);
  EXPECT_EQ(train, (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 7, 8}));
  EXPECT_EQ(valid, (std::vector<int32_t>{9}));
  EXPECT_EQ(test, (std::vector<int32_t>{6}));
  // Each group is tested against train first: "b" (2) overflows train and
  // goes to valid, yet the later, smaller "c" still fits into train.
  gt::scaffold_split({"a", "a", "a", "a", "a", "a", "a", "b", "b", "c"}, &train, &valid, &test);
  EXPECT_EQ(train, (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 9}));
  EXPECT_EQ(valid, (std::vector<int32_t>{7, 8}));
  EXPECT_EQ(test, (std::vector<int32_t>{}));
  // A group too big for valid skips it and goes to test, leaving valid empty.
  gt::scaffold_split({"a", "a", "a", "a", "a", "a", "a", "b", "b", "b"}, &train, &valid, &test);
  EXPECT_EQ(train, (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(valid, (std::vector<int32_t>{}));
  EXPECT_EQ(test, (std::vector<int32_t>{7, 8, 9}));
}

// Errors found before featurisation: the same with or without RDKit.
TEST(SmilesCsv, ColumnErrorsListColumnsAndSuggest) {
  EXPECT_EQ(read_error("Smiles,y\nC,1\n"),
            "m.csv: no column \"smiles\" (the SMILES column); the header has \"Smiles\", \"y\" (did you mean "
            "\"Smiles\"?)");
  gt::SmilesCsvOptions opt;
  opt.targets = {"logp"};
  EXPECT_EQ(read_error("smiles,logP\nC,1\n", opt),
            "m.csv: no column \"logp\" (a target column); the header has \"smiles\", \"logP\" (did you mean "
            "\"logP\"?)");
  opt = {};
  opt.split_column = "split";
  EXPECT_EQ(read_error("smiles,y,fold\nC,1,train\n", opt),
            "m.csv: no column \"split\" (the split column); the header has \"smiles\", \"y\", \"fold\"");
  EXPECT_EQ(read_error("smiles,name\nC,methane\n"),
            "m.csv: no numeric target column besides \"smiles\"; name the target columns explicitly");
  EXPECT_EQ(read_error("smiles,y\n"), "m.csv: no data rows after the header");
  const std::string missing = "/nonexistent/dir/m.csv";
  try {
    gt::read_smiles_csv(missing, {});
    ADD_FAILURE() << "no error";
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(missing + ": cannot open file", 0), 0u) << e.what();
  }
}

TEST(SmilesCsv, ValueErrorsNameFileLineAndColumn) {
  EXPECT_EQ(read_error("smiles,y\nC,1.5\nCC,abc\n", only_target("y")),
            "m.csv:3: column \"y\": \"abc\" is not a number");
  EXPECT_EQ(
      read_error("smiles,y\nC,1.5\nCC,2\nCC,nan\n"),
      "m.csv:4: column \"y\": \"nan\" is not a finite 32-bit number (leave the field empty for a missing "
      "binary label)");
  EXPECT_EQ(
      read_error("smiles,y\nC,inf\n"),
      "m.csv:2: column \"y\": \"inf\" is not a finite 32-bit number (leave the field empty for a missing "
      "binary label)");
  EXPECT_EQ(
      read_error("smiles,y\nC,1e39\n"),
      "m.csv:2: column \"y\": \"1e39\" is not a finite 32-bit number (leave the field empty for a missing "
      "binary label)");
  EXPECT_EQ(read_error("smiles,y\nC,1.5\nCC,\n"),
            "m.csv:3: column \"y\": is empty: a regression target cannot be missing (the task is regression "
            "because some labels are neither 0 nor 1)");
  EXPECT_EQ(
      read_error("smiles,y\nC,1\nCC,2\nN,3\nO,x\n"),
      "m.csv:5: column \"y\": \"x\" is not a number, yet most of the column is numeric; name the target "
      "columns explicitly to leave this column out");
  gt::SmilesCsvOptions opt;
  opt.task = "binary";
  EXPECT_EQ(read_error("smiles,y\nC,1\nCC,0.5\n", opt),
            "m.csv:3: column \"y\": \"0.5\" is not a binary label (0 or 1)");
  opt.task = "classification";
  EXPECT_EQ(read_error("smiles,y\nC,1\n", opt),
            "m.csv: unknown task \"classification\" (expected \"regression\", \"binary\" or \"\" to infer)");
  opt = {};
  opt.split_column = "split";
  EXPECT_EQ(
      read_error("smiles,y,split\nC,1,train\nCC,0,dev\n", opt),
      "m.csv:3: column \"split\": \"dev\" is not a split name (expected train, valid (or val) or test)");
  EXPECT_EQ(
      read_error("smiles,y\nC,1\n\"CC,0\n"),
      "m.csv:3: column \"smiles\": quoted field is never closed (a \" opened here has no matching \" before "
      "the end of the file)");
  EXPECT_EQ(
      read_error("smiles,y\nC,1\nCC,0,1\n"),
      "m.csv:3: row has 3 fields but the header has 2 (\"smiles\", \"y\"); a field holding a comma or a line "
      "break must be quoted");
}

#ifdef GT_HAVE_RDKIT

// Featurises every SMILES of four OGB data sets and compares node features,
// edges and edge features with OGB's raw files, molecule by molecule.
TEST(SmilesCsvOgb, FeaturesEqualOgbRawFiles) {
  for (const std::string name : {"ogbg_molbace", "ogbg_molbbbp", "ogbg_molesol", "ogbg_molfreesolv"}) {
    const std::string dir = ogb_dir(name);
    const gt::CsvTable mapping = gt::read_csv(dir + "/mapping/mol.csv.gz");
    const int32_t col = mapping.require_column("smiles", "SMILES");
    std::vector<std::string> smiles;
    for (int64_t r = 0; r < mapping.num_rows(); ++r) smiles.emplace_back(mapping.field(r, col));
    std::vector<gt::SourceGraph> graphs;
    std::vector<std::string> errors;
    gt::smiles_to_ogb_graphs(smiles, &graphs, &errors);

    const auto nn = read_int_rows(dir + "/raw/num-node-list.csv.gz");
    const auto ne = read_int_rows(dir + "/raw/num-edge-list.csv.gz");
    const auto nf = read_int_rows(dir + "/raw/node-feat.csv.gz");
    const auto edges = read_int_rows(dir + "/raw/edge.csv.gz");
    const auto ef = read_int_rows(dir + "/raw/edge-feat.csv.gz");
    ASSERT_EQ(nn.size(), smiles.size()) << name;
    ASSERT_EQ(ne.size(), smiles.size()) << name;
    size_t node_at = 0, edge_at = 0, matches = 0;
    for (size_t i = 0; i < smiles.size(); ++i) {
      const int64_t n = nn[i].at(0), m = ne[i].at(0);
      ASSERT_LE(node_at + n, nf.size());
      ASSERT_LE(edge_at + m, edges.size());
      const std::string why =
          errors[i].empty() ? compare_graph(graphs[i], n, m, nf, node_at, edges, ef, edge_at) : errors[i];
      if (why.empty())
        ++matches;
      else
        ADD_FAILURE() << name << " graph " << i << " " << smiles[i] << ": " << why;
      node_at += n;
      edge_at += m;
    }
    EXPECT_EQ(node_at, nf.size());
    EXPECT_EQ(edge_at, edges.size());
    std::cout << "[ OGB      ] " << name << ": " << matches << " / " << smiles.size()
              << " molecules identical to OGB's raw features (" << gt::ogb_mol_featurizer_version() << ")\n";
    EXPECT_EQ(matches, smiles.size()) << name;
  }
}

// read_smiles_csv on OGB's own mapping CSVs: the task, labels and the scaffold
// split it computes (no split column) against OGB's graph-label and
// split/scaffold files.
TEST(SmilesCsvOgb, ReadsMappingCsvAndReproducesScaffoldSplit) {
  struct Case {
    std::string name, target;
    gt::TaskType task;
  };
  const std::vector<Case> cases{
      {"ogbg_molbace", "Class", gt::TaskType::Binary},
      {"ogbg_molbbbp", "p_np", gt::TaskType::Binary},
      {"ogbg_molesol", "measured log solubility in mols per litre", gt::TaskType::Regression},
      {"ogbg_molfreesolv", "expt", gt::TaskType::Regression}};
  for (const Case& c : cases) {
    const std::string dir = ogb_dir(c.name);
    const gt::SourceDataset d = gt::read_smiles_csv(dir + "/mapping/mol.csv.gz", {});
    EXPECT_EQ(d.task, c.task) << c.name;
    EXPECT_EQ(d.task_names, (std::vector<std::string>{c.target})) << c.name;  // mol_id is not a target
    EXPECT_EQ(d.node.vocab, (std::vector<int32_t>{119, 5, 12, 12, 10, 6, 6, 2, 2}));
    EXPECT_EQ(d.edge.vocab, (std::vector<int32_t>{5, 6, 2}));
    const std::string labels = gt::read_file_bytes(dir + "/raw/graph-label.csv.gz");
    gt::LineReader reader(labels);
    std::string_view line;
    for (const gt::SourceGraph& g : d.graphs) {
      ASSERT_TRUE(reader.next(&line));
      ASSERT_EQ(g.y.size(), 1u);
      EXPECT_EQ(g.y[0], static_cast<float>(gt::parse_finite_double(line, "", "label"))) << c.name;
    }
    const auto train = read_index_list(dir + "/split/scaffold/train.csv.gz");
    const auto valid = read_index_list(dir + "/split/scaffold/valid.csv.gz");
    const auto test = read_index_list(dir + "/split/scaffold/test.csv.gz");
    EXPECT_EQ(d.train, train) << c.name;
    EXPECT_EQ(d.val, valid) << c.name;
    EXPECT_EQ(d.test, test) << c.name;
    std::cout << "[ OGB      ] " << c.name << ": scaffold split " << d.train.size() << "/" << d.val.size()
              << "/" << d.test.size() << ", OGB's " << train.size() << "/" << valid.size() << "/"
              << test.size()
              << ((d.train == train && d.val == valid && d.test == test) ? ", identical" : ", DIFFERENT")
              << "\n";
  }
}

TEST(SmilesCsvOgb, MurckoScaffoldsMatchRdkitDocExamples) {
  // MurckoScaffold.py's doctests; an acyclic molecule has the empty scaffold;
  // stereo centres whose substituents are cut off lose their chirality, and
  // ones inside the scaffold keep it (includeChirality=True).
  const auto s =
      gt::murcko_scaffolds({"Cc1cc(Oc2nccc(CCC)c2)ccc1", "Cc1ccccc1", "CCO", "C[C@H]1CC[C@@H](C)N1C1CCCC1",
                            "O[C@@H]1CC[C@H](c2ccccc2)CC1", "CCc1ccc([C@H]2CCCN2)cc1"});
  EXPECT_EQ(s[0], "c1ccc(Oc2ccccn2)cc1");
  EXPECT_EQ(s[1], "c1ccccc1");
  EXPECT_EQ(s[2], "");
  EXPECT_EQ(s[3], "C1CCC(N2CCCC2)C1");
  EXPECT_EQ(s[4], "c1ccc(C2CCCCC2)cc1");
  EXPECT_EQ(s[5], "c1ccc([C@H]2CCCN2)cc1");
}

TEST(SmilesCsvOgb, AtomAndBondFeaturesOfSmallMolecules) {
  std::vector<gt::SourceGraph> g;
  std::vector<std::string> errors;
  gt::smiles_to_ogb_graphs({"C[C@H](N)O", "[NH4+]", "C/C=C/C", "c1ccccc1", "[Fe+7]", " CCO "}, &g, &errors);
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  // C[C@H](N)O atom 1: C (5), CCW (2), degree 4, charge 0 (5), 1 H, 0 radicals, SP3 (2), not aromatic, no
  // ring.
  EXPECT_EQ(std::vector<int32_t>(g[0].node_cat.begin() + 9, g[0].node_cat.begin() + 18),
            (std::vector<int32_t>{5, 2, 4, 5, 1, 0, 2, 0, 0}));
  EXPECT_EQ(g[0].src, (std::vector<int32_t>{0, 1, 1, 2, 1, 3}));
  EXPECT_EQ(g[0].dst, (std::vector<int32_t>{1, 0, 2, 1, 3, 1}));
  EXPECT_EQ(g[1].node_cat, (std::vector<int32_t>{6, 0, 4, 6, 4, 0, 2, 0, 0}));  // N+, 4 H
  // The double bond of trans-2-butene: DOUBLE (1), STEREOE (2), conjugated? no.
  EXPECT_EQ(std::vector<int32_t>(g[2].edge_cat.begin() + 6, g[2].edge_cat.begin() + 9),
            (std::vector<int32_t>{1, 2, 0}));
  // Benzene: aromatic SP2 ring atoms, aromatic conjugated bonds.
  EXPECT_EQ(std::vector<int32_t>(g[3].node_cat.begin(), g[3].node_cat.begin() + 9),
            (std::vector<int32_t>{5, 0, 3, 5, 1, 0, 1, 1, 1}));
  EXPECT_EQ(std::vector<int32_t>(g[3].edge_cat.begin(), g[3].edge_cat.begin() + 3),
            (std::vector<int32_t>{3, 0, 1}));
  EXPECT_EQ(g[4].node_cat[0], 25);  // Fe: atomic number 26
  EXPECT_EQ(g[4].node_cat[3], 11);  // charge +7 is "misc"
  EXPECT_EQ(g[5].id, "CCO");        // surrounding blanks dropped
  EXPECT_EQ(g[5].num_nodes, 3);
}

TEST(SmilesCsv, TargetsTaskAndSplitColumn) {
  const std::string text =
      "id,smiles,tox_a,tox_b,name,fold\n"
      "7,CCO,1,,ethanol,train\n"
      "8,c1ccccc1,0,1,benzene,Valid\n"
      "9,CC(=O)O,,0,\"acetic acid, glacial\",val\n"
      "10,CCN,1,1,ethylamine,test\n";
  gt::SmilesCsvOptions opt;
  opt.split_column = "fold";
  const gt::SourceDataset d = read_text(text, opt);
  EXPECT_EQ(d.task, gt::TaskType::Binary);
  EXPECT_EQ(d.task_names, (std::vector<std::string>{"tox_a", "tox_b"}));
  ASSERT_EQ(d.graphs.size(), 4u);
  EXPECT_EQ(d.graphs[0].y[0], 1.0f);
  EXPECT_TRUE(std::isnan(d.graphs[0].y[1]));
  EXPECT_TRUE(std::isnan(d.graphs[2].y[0]));
  EXPECT_EQ(d.graphs[1].id, "c1ccccc1");
  EXPECT_EQ(d.name, "m.csv");
  EXPECT_EQ(d.train, (std::vector<int32_t>{0}));
  EXPECT_EQ(d.val, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(d.test, (std::vector<int32_t>{3}));
  // Named targets and an explicit task.
  opt.targets = {"tox_b"};
  opt.task = "regression";
  EXPECT_EQ(read_error(text, opt),
            "m.csv:2: column \"tox_b\": is empty: a regression target cannot be missing");
  opt.targets = {"id"};
  const gt::SourceDataset r = read_text(text, opt);
  EXPECT_EQ(r.task, gt::TaskType::Regression);
  EXPECT_EQ(r.graphs[3].y, (std::vector<float>{10.0f}));
}

TEST(SmilesCsvOgb, BadSmilesNameLineAndStaySilent) {
  testing::internal::CaptureStderr();
  const std::string unparsable = read_error("smiles,y\nCCO,1\nC1CC(,0\nCC,1\nXyz,0\n");
  const std::string valence = read_error("smiles,y\nCCO,1\nC(C)(C)(C)(C)C,0\n");
  const std::string rdkit_output = testing::internal::GetCapturedStderr();
  EXPECT_EQ(unparsable,
            "m.csv:3: column \"smiles\": RDKit cannot parse \"C1CC(\" (and 1 more rows with bad SMILES)");
  EXPECT_EQ(valence.rfind("m.csv:3: column \"smiles\": RDKit cannot parse \"C(C)(C)(C)(C)C\" (", 0), 0u)
      << valence;
  EXPECT_NE(valence.find("valence"), std::string::npos) << valence;
  EXPECT_EQ(rdkit_output, "") << "RDKit's logger should be silenced";
  EXPECT_EQ(read_error("smiles,y\nCCO,1\n,0\n"), "m.csv:3: column \"smiles\": empty SMILES");
  EXPECT_EQ(
      read_error("smiles,y\nCCO,1\n\"C C\",0\n"),
      "m.csv:3: column \"smiles\": \"C C\" contains whitespace (RDKit would read only what precedes it)");
}

#else  // GT_HAVE_RDKIT

TEST(SmilesCsvNoRdkit, ClearErrorWithoutRdkit) {
  EXPECT_FALSE(gt::ogb_mol_featurizer_supported());
  EXPECT_NE(read_error("smiles,y\nCCO,1.5\n").find("gt was built without RDKit"), std::string::npos);
}

#endif  // GT_HAVE_RDKIT
