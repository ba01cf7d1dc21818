// libFuzzer target for the OGB graph-property reader (src/data/ogb.cpp).
//
// The input is a text that names the files of one data set:
//   @@num-node-list          <- following lines become raw/num-node-list.csv.gz
//   3
//   @@edge.gz                <- ".gz": the section is written gzip'd
//   0,1
//   @@node-feat.gzcut        <- ".gzcut": gzip'd, then cut to half its size
// Sections: num-node-list, num-edge-list, edge, node-feat, edge-feat,
// graph-label (raw/), train, valid, test (split/scaffold/), mapping
// (mapping/mol.csv.gz) and master (../master.csv, written plain). A file not
// named is absent. A line "@@generic" names the folder "fuzz_set" (a
// non-molecule set: columns inferred) instead of "ogbg_molfuzz".
// read_ogb_graphprop must either return a data set that keeps its promises
// (checked below) or throw gt::Error; any other exception, a sanitizer report
// or a broken invariant is a finding.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#if __has_include(<zlib.h>)
#include <zlib.h>
#define GT_FUZZ_ZLIB 1
#endif

#include "core/error.h"
#include "fuzz_util.h"
#include "data/ogb.h"

namespace fs = std::filesystem;

namespace {

constexpr const char* kFuzzTarget = "ogb";

const std::map<std::string, std::string> kFiles = {
    {"num-node-list", "raw/num-node-list.csv.gz"}, {"num-edge-list", "raw/num-edge-list.csv.gz"},
    {"edge", "raw/edge.csv.gz"},                   {"node-feat", "raw/node-feat.csv.gz"},
    {"edge-feat", "raw/edge-feat.csv.gz"},         {"graph-label", "raw/graph-label.csv.gz"},
    {"train", "split/scaffold/train.csv.gz"},      {"valid", "split/scaffold/valid.csv.gz"},
    {"test", "split/scaffold/test.csv.gz"},        {"mapping", "mapping/mol.csv.gz"},
    {"master", "../master.csv"},
};

const fs::path& work_dir() { return gt::fuzz::scratch_root(kFuzzTarget); }

std::string gzip(const std::string& data) {
#ifdef GT_FUZZ_ZLIB
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    gt::fuzz::finding(kFuzzTarget, "deflateInit2");
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) gt::fuzz::finding(kFuzzTarget, "deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
#else
  return data;
#endif
}

struct Section {
  std::string file;  // key of kFiles
  int mode = 0;      // 0 plain, 1 gzip, 2 gzip cut in half
  std::string text;
};

// Splits the input into sections; returns the data set folder.
fs::path write_files(const std::string& input) {
  std::vector<Section> sections;
  bool generic = false;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t end = input.find('\n', pos);
    if (end == std::string::npos) end = input.size();
    std::string line = input.substr(pos, end - pos);
    const bool has_newline = end < input.size();
    pos = end + 1;
    if (line.rfind("@@", 0) == 0) {
      std::string name = line.substr(2);
      if (!name.empty() && name.back() == '\r') name.pop_back();
      int mode = 0;
      for (const auto& [suffix, m] : {std::pair<std::string, int>{".gzcut", 2}, {".gz", 1}})
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
          name.resize(name.size() - suffix.size());
          mode = m;
          break;
        }
      if (name == "generic") generic = true;
      sections.push_back({kFiles.count(name) ? name : "", mode, ""});
      continue;
    }
    if (!sections.empty()) sections.back().text += line + (has_newline ? "\n" : "");
  }
  fs::remove_all(work_dir());
  const fs::path dir = work_dir() / (generic ? "fuzz_set" : "ogbg_molfuzz");
  fs::create_directories(dir);
  for (const Section& s : sections) {
    if (s.file.empty()) continue;
    const fs::path path = dir / kFiles.at(s.file);
    fs::create_directories(path.parent_path());
    std::string bytes = s.mode == 0 ? s.text : gzip(s.text);
    if (s.mode == 2) bytes.resize(bytes.size() / 2);
    std::ofstream(path, std::ios::binary) << bytes;
  }
  return dir;
}

void check_features(const gt::FeatureColumns& cols, const std::vector<int32_t>& cat,
                    const std::vector<float>& cont, size_t rows) {
  FUZZ_REQUIRE(cols.names.size() == cols.vocab.size());
  FUZZ_REQUIRE(cat.size() == rows * cols.vocab.size());
  FUZZ_REQUIRE(cont.size() == rows * static_cast<size_t>(cols.continuous));
  for (size_t i = 0; i < cat.size(); ++i) FUZZ_REQUIRE(cat[i] >= 0 && cat[i] < cols.vocab[i % cols.vocab.size()]);
  for (float v : cont) FUZZ_REQUIRE(std::isfinite(v));
}

void check_dataset(const gt::SourceDataset& d) {
  FUZZ_REQUIRE(!d.graphs.empty());
  FUZZ_REQUIRE(!d.task_names.empty());
  for (size_t i = 0; i < d.graphs.size(); ++i) {
    const gt::SourceGraph& g = d.graphs[i];
    FUZZ_REQUIRE(g.id == std::to_string(i));
    FUZZ_REQUIRE(g.num_nodes >= 1);
    FUZZ_REQUIRE(g.src.size() == g.dst.size());
    for (size_t e = 0; e < g.src.size(); ++e) {
      FUZZ_REQUIRE(g.src[e] >= 0 && g.src[e] < g.num_nodes);
      FUZZ_REQUIRE(g.dst[e] >= 0 && g.dst[e] < g.num_nodes);
    }
    check_features(d.node, g.node_cat, g.node_cont, static_cast<size_t>(g.num_nodes));
    check_features(d.edge, g.edge_cat, g.edge_cont, g.src.size());
    FUZZ_REQUIRE(g.y.size() == d.task_names.size());
    for (float y : g.y) {
      FUZZ_REQUIRE(std::isnan(y) || std::isfinite(y));
      if (d.task == gt::TaskType::Binary) FUZZ_REQUIRE(std::isnan(y) || y == 0.0f || y == 1.0f);
      if (d.task == gt::TaskType::MultiClass) FUZZ_REQUIRE(y >= 0 && y < d.num_classes && y == std::floor(y));
    }
  }
  std::vector<int> seen(d.graphs.size(), 0);
  for (const std::vector<int32_t>* split : {&d.train, &d.val, &d.test})
    for (int32_t g : *split) {
      FUZZ_REQUIRE(g >= 0 && static_cast<size_t>(g) < d.graphs.size());
      FUZZ_REQUIRE(seen[static_cast<size_t>(g)]++ == 0);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;  // keep runs fast; size does not reach new code
  const fs::path dir = write_files(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const gt::SourceDataset d = gt::read_ogb_graphprop(dir.string());
    check_dataset(d);
    if (std::getenv("FUZZ_VERBOSE")) std::fprintf(stderr, "fuzz_ogb: read %zu graphs\n", d.graphs.size());
  } catch (const gt::Error& e) {
    // The expected outcome for malformed input; FUZZ_VERBOSE=1 shows why
    // (to check that a seed reads, or what a reproducer trips over).
    if (std::getenv("FUZZ_VERBOSE")) std::fprintf(stderr, "fuzz_ogb: gt::Error: %s\n", e.what());
  }
  return 0;
}
