// The RFC 4180 CSV parser (src/data/csv.h): quoting, line ends, line
// numbers, and an error naming file, line and column for each malformation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "data/csv.h"

using namespace std::string_literals;

namespace fs = std::filesystem;
using gt::CsvTable;
using gt::parse_csv;

namespace {

// The gt::Error message of parse_csv(text), or "" when it parses.
std::string csv_error(const std::string& text) {
  try {
    parse_csv("t.csv", text);
  } catch (const gt::Error& e) {
    return e.what();
  }
  return "";
}

// The fields of every row, for compact comparisons.
std::vector<std::vector<std::string>> rows_of(const CsvTable& t) {
  std::vector<std::vector<std::string>> out(static_cast<size_t>(t.num_rows()));
  for (int64_t r = 0; r < t.num_rows(); ++r)
    for (int32_t c = 0; c < t.num_columns(); ++c) out[r].emplace_back(t.field(r, c));
  return out;
}

using Rows = std::vector<std::vector<std::string>>;
using Names = std::vector<std::string>;

}  // namespace

TEST(Csv, PlainTable) {
  const CsvTable t = parse_csv("t.csv", "smiles,y\nCCO,1.5\nc1ccccc1,-2\n");
  EXPECT_EQ(t.columns, (Names{"smiles", "y"}));
  EXPECT_EQ(rows_of(t), (Rows{{"CCO", "1.5"}, {"c1ccccc1", "-2"}}));
  EXPECT_EQ(t.line(0), 2);
  EXPECT_EQ(t.line(1), 3);
  EXPECT_EQ(t.find_column("y"), 1);
  EXPECT_EQ(t.find_column("Y"), -1);
  EXPECT_EQ(t.where(1, 1), "t.csv:3: column \"y\": ");
}

TEST(Csv, QuotedFieldsHoldCommasQuotesAndNewlines) {
  const std::string text =
      "name,smiles\n"
      "\"4-methoxy-N,N-dimethyl\",CC\n"
      "\"say \"\"hi\"\"\",\"C\nC\"\n"
      "\"\",O\n"
      "last,N\n";
  const CsvTable t = parse_csv("t.csv", text);
  EXPECT_EQ(rows_of(t),
            (Rows{{"4-methoxy-N,N-dimethyl", "CC"}, {"say \"hi\"", "C\nC"}, {"", "O"}, {"last", "N"}}));
  // The row after a field spanning two lines starts two lines further on.
  EXPECT_EQ(t.line(1), 3);
  EXPECT_EQ(t.line(2), 5);
  EXPECT_EQ(t.line(3), 6);
}

TEST(Csv, BomCrlfLoneCrBlankLinesAndNoFinalNewline) {
  const CsvTable t = parse_csv("t.csv", "\xEF\xBB\xBFsmiles,y\r\nC,1\r\n\r\n\nN,2\rO,3");
  EXPECT_EQ(t.columns, (Names{"smiles", "y"}));  // no BOM in the first name
  EXPECT_EQ(rows_of(t), (Rows{{"C", "1"}, {"N", "2"}, {"O", "3"}}));
  EXPECT_EQ(t.line(0), 2);
  EXPECT_EQ(t.line(1), 5);
  EXPECT_EQ(t.line(2), 6);
  // CRLF inside quotes is data, kept as written.
  EXPECT_EQ(parse_csv("t.csv", "a\r\n\"x\r\ny\"\r\n").field(0, 0), "x\r\ny");
}

TEST(Csv, EmptyFieldsTrailingCommaAndLiteralQuote) {
  const CsvTable t = parse_csv("t.csv", "a,b,c\n,,\n1,2,\n5\"in,x\"y,\"\"");
  EXPECT_EQ(rows_of(t), (Rows{{"", "", ""}, {"1", "2", ""}, {"5\"in", "x\"y", ""}}));
  // Unnamed columns (a pandas index) may repeat; a header-only file has no rows.
  const CsvTable u = parse_csv("t.csv", ",,smiles\n");
  EXPECT_EQ(u.columns, (Names{"", "", "smiles"}));
  EXPECT_EQ(u.num_rows(), 0);
}

TEST(Csv, Errors) {
  EXPECT_EQ(csv_error(""), "t.csv: empty file (expected a header row naming the columns)");
  EXPECT_EQ(csv_error("\n\r\n"), "t.csv: empty file (expected a header row naming the columns)");
  EXPECT_EQ(csv_error("smiles,name\nC,x\nCC,\"never closed\nN,y\n"),
            "t.csv:3: column \"name\": quoted field is never closed (a \" opened here has no matching "
            "\" before the end of the file)");
  EXPECT_EQ(csv_error("\"a\nb"),
            "t.csv:1: field 1: quoted field is never closed (a \" opened here has no matching \" before "
            "the end of the file)");
  EXPECT_EQ(csv_error("smiles,name\n\"C\"x,y\n"),
            "t.csv:2: column \"smiles\": unexpected \"x\" after a closing quote (inside a quoted field "
            "write a quote as \"\")");
  EXPECT_EQ(csv_error("smiles,y\nC,1\nCC,1,2\n"),
            "t.csv:3: row has 3 fields but the header has 2 (\"smiles\", \"y\"); a field holding a comma "
            "or a line break must be quoted");
  EXPECT_EQ(csv_error("smiles,y\nC\n"),
            "t.csv:2: row has 1 field but the header has 2 (\"smiles\", \"y\"); a field holding a comma "
            "or a line break must be quoted");
  EXPECT_EQ(csv_error("y,smiles,y\n"), "t.csv:1: column \"y\" appears twice in the header (columns 1 and 3)");
  EXPECT_EQ(csv_error("smiles\nC\nC\0C\n"s), "t.csv:3: contains a NUL byte (not a text CSV file?)");
}

TEST(Csv, MissingColumnListsColumnsAndSuggests) {
  const CsvTable t = parse_csv("t.csv", "SMILES,p_np,mol_id\nC,1,a\n");
  try {
    t.require_column("smiles", "the SMILES column");
    FAIL() << "no error";
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "t.csv: no column \"smiles\" (the SMILES column); the header has \"SMILES\", \"p_np\", "
              "\"mol_id\" (did you mean \"SMILES\"?)");
  }
  EXPECT_EQ(gt::closest_name("pnp", t.columns), "p_np");
  EXPECT_EQ(gt::closest_name("activity", t.columns), "");
}

TEST(Csv, ReadsFilesAndGzipAndNamesMissingOnes) {
  EXPECT_THROW(
      {
        try {
          gt::read_csv("/nonexistent/x.csv");
        } catch (const gt::Error& e) {
          EXPECT_NE(std::string(e.what()).find("/nonexistent/x.csv: cannot open file"), std::string::npos);
          throw;
        }
      },
      gt::Error);
  // A real gzip'd OGB mapping file whose names hold quoted commas.
  const std::string path =
      std::string(GT_SOURCE_DIR) + "/data/ogb/ogbg_molfreesolv/mapping/mol.csv.gz";
  ASSERT_TRUE(fs::exists(path)) << path << " is missing (the OGB test data; see its README.md)";
  const CsvTable t = gt::read_csv(path);
  EXPECT_EQ(t.columns, (Names{"expt", "smiles", "mol_id"}));
  ASSERT_EQ(t.num_rows(), 642);
  EXPECT_EQ(t.field(0, 2), "4-methoxy-N,N-dimethyl-benzamide");
  EXPECT_EQ(t.field(0, 1), "CN(C)C(=O)c1ccc(cc1)OC");
}
