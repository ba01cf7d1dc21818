// libFuzzer target for the TU Dortmund reader (src/data/tu.cpp).
//
// The input is a text that names the files of one data set "F":
//   @@A                      <- following lines become F_A.txt
//   1, 2
//   @@graph_indicator
//   ...
// Sections are A, graph_indicator, graph_labels, node_labels, edge_labels,
// node_attributes, edge_attributes (others are ignored); a file not named is
// absent, so the fuzzer explores missing and optional files as well as their
// contents. read_tu must either return a data set that keeps its promises
// (checked below) or throw gt::Error; any other exception, a sanitizer report
// or a broken invariant is a finding.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz_util.h"
#include "data/tu.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kFuzzTarget = "tu";

const char* const kSections[] = {"A",           "graph_indicator", "graph_labels",   "node_labels",
                                 "edge_labels", "node_attributes", "edge_attributes"};

bool known_section(const std::string& s) {
  for (const char* k : kSections)
    if (s == k) return true;
  return false;
}

// The TU files go into a subfolder of the scratch root, emptied before every input.
const fs::path& work_dir() {
  static const fs::path* dir = [] {
    auto* d = new fs::path(gt::fuzz::scratch_root(kFuzzTarget) / "F");
    fs::create_directories(*d);
    return d;
  }();
  return *dir;
}

void write_files(const std::string& text) {
  for (const char* s : kSections) fs::remove(work_dir() / ("F_" + std::string(s) + ".txt"));
  std::ofstream out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    const bool has_newline = end < text.size();
    pos = end + 1;
    if (line.rfind("@@", 0) == 0) {
      if (out.is_open()) out.close();
      std::string section = line.substr(2);
      if (!section.empty() && section.back() == '\r') section.pop_back();  // CRLF seeds
      if (known_section(section)) out.open(work_dir() / ("F_" + section + ".txt"), std::ios::binary);
      continue;
    }
    if (out.is_open()) out << line << (has_newline ? "\n" : "");
  }
}

void check_dataset(const gt::SourceDataset& d) {
  FUZZ_REQUIRE(d.task == gt::TaskType::MultiClass);
  FUZZ_REQUIRE(d.num_classes >= 1);
  FUZZ_REQUIRE(!d.graphs.empty());
  FUZZ_REQUIRE(d.train.empty() && d.val.empty() && d.test.empty());
  for (const gt::SourceGraph& g : d.graphs) {
    FUZZ_REQUIRE(g.num_nodes >= 1);
    FUZZ_REQUIRE(g.src.size() == g.dst.size());
    for (size_t e = 0; e < g.src.size(); ++e) {
      FUZZ_REQUIRE(g.src[e] >= 0 && g.src[e] < g.num_nodes);
      FUZZ_REQUIRE(g.dst[e] >= 0 && g.dst[e] < g.num_nodes);
    }
    FUZZ_REQUIRE(g.y.size() == 1 && g.y[0] >= 0 && g.y[0] < d.num_classes);
    FUZZ_REQUIRE(g.node_cat.size() == static_cast<size_t>(g.num_nodes) * d.node.categorical());
    FUZZ_REQUIRE(g.edge_cat.size() == g.src.size() * d.edge.categorical());
    FUZZ_REQUIRE(g.node_cont.size() == static_cast<size_t>(g.num_nodes) * d.node.continuous);
    FUZZ_REQUIRE(g.edge_cont.size() == g.src.size() * d.edge.continuous);
    for (size_t i = 0; i < g.node_cat.size(); ++i)
      FUZZ_REQUIRE(g.node_cat[i] >= 0 && g.node_cat[i] < d.node.vocab[i % d.node.vocab.size()]);
    for (size_t i = 0; i < g.edge_cat.size(); ++i)
      FUZZ_REQUIRE(g.edge_cat[i] >= 0 && g.edge_cat[i] < d.edge.vocab[i % d.edge.vocab.size()]);
    for (float v : g.node_cont) FUZZ_REQUIRE(std::isfinite(v));
    for (float v : g.edge_cont) FUZZ_REQUIRE(std::isfinite(v));
  }
}

// Every graph in exactly one fold whenever folds can be made.
void check_folds(const gt::SourceDataset& d) {
  const int k = d.graphs.size() >= 3 ? 3 : 2;
  if (d.graphs.size() < 2) return;
  std::vector<int> seen(d.graphs.size(), 0);
  for (const std::vector<int32_t>& fold : gt::stratified_kfold(d, k, 1))
    for (int32_t g : fold) {
      FUZZ_REQUIRE(g >= 0 && static_cast<size_t>(g) < d.graphs.size());
      seen[g]++;
    }
  for (int s : seen) FUZZ_REQUIRE(s == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;  // keep runs fast; size does not reach new code
  write_files(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const gt::SourceDataset d = gt::read_tu(work_dir().string());
    check_dataset(d);
    check_folds(d);
  } catch (const gt::Error&) {
    // The expected outcome for malformed input.
  }
  return 0;
}
