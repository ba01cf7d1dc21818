// libFuzzer target for the CSV parser (src/data/csv.cpp) and the CSV side of
// the SMILES reader (src/data/smiles_csv.cpp).
//
// The input is the CSV text itself. For each input:
//  1. parse_csv either throws gt::Error or returns a table that keeps its
//     promises: rows have header-many fields, row lines increase, and writing
//     the table back out fully quoted parses to the same table (round trip);
//  2. scaffold_split on the first column's values (any strings serve as
//     scaffolds) returns a partition of the rows that keeps each scaffold
//     group in one list and keeps train within 80%;
//  3. read_smiles_csv on the text written to a file, with options picked by
//     a hash of the input, throws gt::Error and nothing else. The fuzz build
//     has no RDKit (mol_ogb_none.cpp), so every input that passes the CSV,
//     column, label and split checks ends in the "built without RDKit" error;
//     those checks are what is fuzzed here. read_smiles_csv_for_prediction
//     (gt predict) likewise.
// Any other exception, a sanitizer report or a broken invariant is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/csv.h"
#include "data/smiles_csv.h"

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_csv: %s\n", what.c_str());
  std::abort();
}

std::string quote_all(const std::string& field) {
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Writes the table back as CSV with every field quoted.
std::string write_back(const gt::CsvTable& t) {
  std::string out;
  for (int32_t c = 0; c < t.num_columns(); ++c) out += (c ? "," : "") + quote_all(t.columns[c]);
  out += "\n";
  for (int64_t r = 0; r < t.num_rows(); ++r) {
    for (int32_t c = 0; c < t.num_columns(); ++c)
      out += (c ? "," : "") + quote_all(std::string(t.field(r, c)));
    out += "\r\n";
  }
  return out;
}

void check_table(const gt::CsvTable& t, size_t input_size) {
  if (t.num_columns() < 1) finding("table without columns");
  size_t total = 0;
  for (int64_t r = 0; r < t.num_rows(); ++r) {
    if (t.line(r) < 2 || (r > 0 && t.line(r) <= t.line(r - 1))) finding("row lines do not increase");
    for (int32_t c = 0; c < t.num_columns(); ++c) total += t.field(r, c).size();
  }
  if (total > input_size) finding("fields hold more bytes than the input");
  const gt::CsvTable again = gt::parse_csv("again.csv", write_back(t));
  if (again.columns != t.columns || again.num_rows() != t.num_rows()) finding("round trip changed the shape");
  for (int64_t r = 0; r < t.num_rows(); ++r)
    for (int32_t c = 0; c < t.num_columns(); ++c)
      if (again.field(r, c) != t.field(r, c)) finding("round trip changed a field");
  if (t.find_column(t.columns[0]) != 0 && !t.columns[0].empty()) finding("find_column misses column 0");
  gt::closest_name(t.columns.back(), t.columns);
}

void check_split(const gt::CsvTable& t) {
  std::vector<std::string> scaffolds;
  for (int64_t r = 0; r < t.num_rows(); ++r) scaffolds.emplace_back(t.field(r, 0));
  std::vector<int32_t> lists[3];
  gt::scaffold_split(scaffolds, &lists[0], &lists[1], &lists[2]);
  std::vector<int> where(scaffolds.size(), -1);
  for (int l = 0; l < 3; ++l)
    for (size_t k = 0; k < lists[l].size(); ++k) {
      const int32_t i = lists[l][k];
      if (i < 0 || static_cast<size_t>(i) >= scaffolds.size() || where[i] != -1)
        finding("split is no partition");
      if (k > 0 && lists[l][k - 1] >= i) finding("split list not ascending");
      where[i] = l;
    }
  std::map<std::string, int> group_list;
  for (size_t i = 0; i < scaffolds.size(); ++i) {
    if (where[i] < 0) finding("row missing from the split");
    const auto [it, fresh] = group_list.emplace(scaffolds[i], where[i]);
    if (!fresh && it->second != where[i]) finding("a scaffold group was split across lists");
  }
  // Only train's cut-off is a bound on the result: OGB's loop tests each group
  // against train first, so a small group placed after valid filled up can
  // still push train + valid past 90% (a first fuzz finding, true of OGB too).
  if (lists[0].size() > 0.8 * static_cast<double>(scaffolds.size())) finding("train exceeds 80%");
}

const std::string& temp_path() {
  // Never destroyed, so the exit handler below can still read it.
  static const std::string* path = [] {
    const auto* p = new std::string(
        (std::filesystem::temp_directory_path() / ("gt_fuzz_csv_" + std::to_string(::getpid()) + ".csv"))
            .string());
    // libFuzzer ends a timed run with exit(), so this removes the file.
    std::atexit([] { std::remove(temp_path().c_str()); });
    return p;
  }();
  return *path;
}

void check_reader(const uint8_t* data, size_t size) {
  uint32_t h = 2166136261u;  // FNV-1a: options vary with the input, reproducibly
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  gt::SmilesCsvOptions opt;
  if (h & 1) opt.split_column = "split";
  if (h & 2) opt.targets = {"y"};
  if (h & 4) opt.smiles_column = "SMILES";
  const char* tasks[] = {"", "regression", "binary", ""};
  opt.task = tasks[(h >> 3) & 3];
  {
    std::ofstream f(temp_path(), std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    gt::read_smiles_csv(temp_path(), opt);
    finding("read_smiles_csv returned without RDKit");
  } catch (const gt::Error&) {
  }  // gt predict's reader: labels optional, no split; same contract.
  try {
    const gt::TaskType task = (h >> 5) & 1 ? gt::TaskType::Binary : gt::TaskType::Regression;
    gt::read_smiles_csv_for_prediction(temp_path(), opt.smiles_column, {"y", "z"}, task);
    finding("read_smiles_csv_for_prediction returned without RDKit");
  } catch (const gt::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const gt::CsvTable t = gt::parse_csv("fuzz.csv", text);
    check_table(t, size);
    check_split(t);
  } catch (const gt::Error&) {
  } catch (const std::exception& e) {
    finding(std::string("unexpected exception: ") + e.what());
  }
  try {
    check_reader(data, size);
  } catch (const std::exception& e) {
    finding(std::string("unexpected exception from read_smiles_csv: ") + e.what());
  }
  return 0;
}
