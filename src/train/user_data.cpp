#include "train/user_data.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>

#include "core/error.h"
#include "core/file_io.h"
#include "data/graph_cache.h"
#include "data/ogb.h"
#include "data/smiles_csv.h"
#include "data/tu.h"
#include "graph/eigen.h"
#include "graph/laplacian_pe.h"

namespace gt {

namespace fs = std::filesystem;

namespace {

bool exists_any(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec) || fs::exists(fs::path(p.string() + ".gz"), ec);
}

// The data set's folder or file as an absolute path without a trailing '/'
// ("data/ogb/x/" and "./" name their folder).
fs::path normal_path(const std::string& path) {
  fs::path p = fs::absolute(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p;
}

// Every regular file the data set is read from, sorted: the cache key.
std::vector<fs::path> input_files(const std::string& path, const std::string& format) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::recursive_directory_iterator(path, ec))
      if (e.is_regular_file()) files.push_back(e.path());
    if (format == "ogb") {
      const fs::path master = normal_path(path).parent_path() / "master.csv";
      if (fs::is_regular_file(master, ec)) files.push_back(master);
    }
  } else {
    files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

uint64_t source_hash(const std::string& path, const std::string& format, const Config& config,
                     int pe_dim) {
  Config key_config;  // only what shapes the data: the data and task options
  key_config.dataset = "./";
  key_config.data = config.data;
  key_config.data.fold = 0;  // every fold of a k-fold split shares one cache (it holds all folds)
  key_config.task = config.task;
  std::string key = format + "\n" + config_to_json(key_config).dump() + "\npe " +
                    std::to_string(pe_dim) + "\n" + symmetric_eigen_solver_name() + "\n";
  if (format == "smiles_csv") key += ogb_mol_featurizer_version() + "\n";
  uint64_t h = fnv1a64(key.data(), key.size());
  for (const fs::path& f : input_files(path, format)) {
    const std::string name = f.lexically_relative(path).string() + "\n";
    const std::string bytes = read_file(f.string());  // as stored: hashing needs no gunzip
    h = fnv1a64(name.data(), name.size(), h);
    h = fnv1a64(bytes.data(), bytes.size(), h);
  }
  return h;
}

Json index_list(const std::vector<int32_t>& v) {
  Json a = Json::array();
  for (int32_t i : v) a.items().push_back(Json(i));
  return a;
}

std::vector<int32_t> read_index_list(const Json& a, int64_t n) {
  std::vector<int32_t> out;
  for (const Json& x : a.items()) out.push_back(static_cast<int32_t>(x.as_int64(0, n - 1)));
  return out;
}

// test = fold, val = fold + 1 (mod k), train = the other folds.
void tu_fold_split(const std::vector<std::vector<int32_t>>& folds, const DataParams& opt,
                   std::vector<int32_t>* train, std::vector<int32_t>* val, std::vector<int32_t>* test) {
  if (opt.fold < 0 || opt.fold >= opt.folds || static_cast<int>(folds.size()) != opt.folds)
    fail("data.fold " + std::to_string(opt.fold) + " is not in 0.." + std::to_string(opt.folds - 1));
  *test = folds[opt.fold];
  *val = folds[(opt.fold + 1) % opt.folds];
  train->clear();
  for (int f = 0; f < opt.folds; ++f)
    if (f != opt.fold && f != (opt.fold + 1) % opt.folds)
      train->insert(train->end(), folds[f].begin(), folds[f].end());
  std::sort(train->begin(), train->end());
}

}  // namespace

std::string detect_format(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    fail(path + ": no such file or folder (the \"dataset\" of the config; relative paths start at " +
         fs::current_path(ec).string() + ")");
  if (!fs::is_directory(path, ec)) return "smiles_csv";
  if (exists_any(fs::path(path) / "raw" / "num-node-list.csv")) return "ogb";
  const std::string name = fs::path(path).lexically_normal().filename().string();
  const std::string base = name.empty() ? fs::path(path).lexically_normal().parent_path().filename().string() : name;
  if (exists_any(fs::path(path) / (base + "_A.txt"))) return "tu";
  fail(path + ": cannot tell the format of this folder: neither OGB (raw/num-node-list.csv[.gz]) nor TU (" +
       base + "_A.txt); set \"data.format\"");
}

SourceDataset read_source(const std::string& path, const std::string& format, const DataParams& opt,
                          const std::string& task_type) {
  const std::string f = format == "auto" ? detect_format(path) : format;
  if (f == "ogb") return read_ogb_graphprop(path, opt.split);
  if (f == "tu") return read_tu(path);
  if (f == "smiles_csv") {
    SmilesCsvOptions o;
    o.smiles_column = opt.smiles_column;
    o.targets = opt.targets;
    o.split_column = opt.split_column;
    if (task_type == "regression" || task_type == "binary") o.task = task_type;
    return read_smiles_csv(path, o);
  }
  fail("unknown data format \"" + f + "\" (valid: ogb, tu, smiles_csv)");
}

GraphDataset to_graph_dataset(const SourceDataset& s, const DataInfo& info, int pe_dim) {
  GraphDataset d = info.scheme(0);
  d.name = s.name;
  const bool constant_node = s.node.categorical() == 0 && info.node_columns == std::vector<std::string>{"constant"};
  const size_t node_cols = s.node.vocab.size(), edge_cols = s.edge.vocab.size();
  GT_CHECK(constant_node || node_cols == info.node_vocab.size(), "node columns differ from the scheme");
  GT_CHECK(edge_cols == info.edge_vocab.size() || info.edge_vocab.empty(), "edge columns differ");
  const bool edges_used = !info.edge_vocab.empty() || info.edge_cont > 0;
  d.graphs.resize(s.graphs.size());
  for (size_t i = 0; i < s.graphs.size(); ++i) {
    const SourceGraph& g = s.graphs[i];
    Graph& o = d.graphs[i];
    const std::string where = s.path + ": graph " + g.id + " (#" + std::to_string(i) + ")";
    if (g.num_nodes < 1) fail(where + " has no nodes");
    o.num_nodes = g.num_nodes;
    o.node_type = constant_node ? std::vector<int32_t>(g.num_nodes, 0) : g.node_cat;
    o.node_cont = g.node_cont;
    o.src = g.src;
    o.dst = g.dst;
    if (edges_used) o.edge_type = g.edge_cat, o.edge_cont = g.edge_cont;
    for (float x : o.node_cont)
      if (!std::isfinite(x)) fail(where + ": a node attribute is " + std::to_string(x));
    for (float x : o.edge_cont)
      if (!std::isfinite(x)) fail(where + ": an edge attribute is " + std::to_string(x));
    if (info.task == "multiclass") {
      if (g.y.size() != 1 || !std::isfinite(g.y[0]))
        fail(where + " has no class label (multi-class labels cannot be missing)");
      if (g.y[0] < 0 || g.y[0] >= info.num_classes || g.y[0] != std::floor(g.y[0]))
        fail(where + ": class " + std::to_string(g.y[0]) + " is not in 0.." +
             std::to_string(info.num_classes - 1));
      o.y = {g.y[0]};
    } else {
      o.y = g.y;
      for (float y : o.y)
        if (std::isinf(y)) fail(where + ": a target is infinite");
    }
  }
  compute_laplacian_pe(&d, pe_dim);
  return d;
}

void align_to_info(const DataInfo& info, SourceDataset* s) {
  const auto align = [&](const char* what, const FeatureColumns& cols, const std::vector<int32_t>& vocab,
                         const std::vector<std::vector<int64_t>>& values, int32_t cont,
                         std::vector<int32_t> SourceGraph::*field) {
    const bool constant = vocab == std::vector<int32_t>{1} && cols.categorical() == 0;
    if (!constant && cols.categorical() != static_cast<int32_t>(vocab.size()))
      fail(s->path + ": " + std::to_string(cols.categorical()) + " categorical " + what +
           " columns, the model was trained on " + std::to_string(vocab.size()));
    if (cols.continuous != cont)
      fail(s->path + ": " + std::to_string(cols.continuous) + " continuous " + what +
           " columns, the model was trained on " + std::to_string(cont));
    const size_t C = vocab.size();
    if (constant) return;  // featureless data: to_graph_dataset fills the constant category
    for (SourceGraph& g : s->graphs)
      for (size_t k = 0; k < (g.*field).size(); ++k) {
        int32_t& v = (g.*field)[k];
        const size_t c = k % C;
        if (!values.empty()) {  // TU: index in this file -> label value -> training index
          const int64_t raw = cols.values[c][v];
          const auto it = std::find(values[c].begin(), values[c].end(), raw);
          if (it == values[c].end())
            fail(s->path + ": graph " + g.id + ": " + what + " label " + std::to_string(raw) +
                 " (column " + std::to_string(c) + ") never occurred in training");
          v = static_cast<int32_t>(it - values[c].begin());
        } else if (v >= vocab[c]) {
          fail(s->path + ": graph " + g.id + ": " + what + " feature " + std::to_string(v) + " (column " +
               std::to_string(c) + ") is outside the trained vocabulary 0.." + std::to_string(vocab[c] - 1));
        }
      }
  };
  align("node", s->node, info.node_vocab, info.node_values, info.node_cont, &SourceGraph::node_cat);
  if (info.task == "multiclass" && !info.class_values.empty()) {
    // TU classes: index in this file -> label value -> the model's class index.
    for (SourceGraph& g : s->graphs) {
      if (g.y.size() != 1 || std::isnan(g.y[0])) continue;
      const int64_t raw = s->class_values.at(static_cast<size_t>(g.y[0]));
      const auto it = std::find(info.class_values.begin(), info.class_values.end(), raw);
      if (it == info.class_values.end())
        fail(s->path + ": graph " + g.id + ": class label " + std::to_string(raw) +
             " is not one of the model's classes");
      g.y[0] = static_cast<float>(it - info.class_values.begin());
    }
    s->class_values = info.class_values;
  }
  if (!info.edge_vocab.empty() || info.edge_cont > 0)
    align("edge", s->edge, info.edge_vocab, info.edge_values, info.edge_cont, &SourceGraph::edge_cat);
  s->node.values = info.node_values;
  s->edge.values = info.edge_values;
}

UserSplits load_user_splits(const Config& config, const std::string& cache_dir) {
  const std::string& path = config.dataset;
  const std::string format = config.data.format == "auto" ? detect_format(path) : config.data.format;
  const int pe_dim = config.net.lap_pos_enc ? config.net.pos_enc_dim : 0;
  const uint64_t hash = source_hash(path, format, config, pe_dim);
  std::string cache_path;
  if (!cache_dir.empty()) {
    std::error_code ec;
    fs::create_directories(cache_dir, ec);
    if (ec) fail(cache_dir + ": cannot create the cache directory (" + ec.message() + ")");
    const std::string stem = normal_path(path).filename().string();
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    cache_path = cache_dir + "/user_" + (stem.empty() ? "data" : stem) + "_" + hex + ".gtg";
  }
  GraphDataset all;
  std::string meta;
  std::vector<int32_t> train, val, test;
  std::vector<std::vector<int32_t>> folds;  // TU: all k folds (the cache serves every fold)
  UserSplits out;
  if (!cache_path.empty() && load_graph_cache(cache_path, hash, &all, nullptr, &meta)) {
    const Json j = Json::parse(meta, cache_path + " (meta)");
    out.info = data_info_from_json(j.at("info"), cache_path);
    const int64_t n = static_cast<int64_t>(all.graphs.size());
    if (format == "tu") {
      for (const Json& f : j.at("folds").items()) folds.push_back(read_index_list(f, n));
      tu_fold_split(folds, config.data, &train, &val, &test);
    } else {
      train = read_index_list(j.at("train"), n);
      val = read_index_list(j.at("val"), n);
      test = read_index_list(j.at("test"), n);
    }
  } else {
    const SourceDataset source = read_source(path, format, config.data, config.task.type);
    out.info = source_info(source, format, config.task.type, config.task.loss, config.task.metric,
                           "config of " + path);
    out.info.smiles_column = format == "smiles_csv" ? config.data.smiles_column : "";
    if (format == "tu") {
      folds = stratified_kfold(source, config.data.folds, static_cast<uint64_t>(config.data.fold_seed));
      tu_fold_split(folds, config.data, &train, &val, &test);
    } else {
      train = source.train, val = source.val, test = source.test;
    }
    all = to_graph_dataset(source, out.info, pe_dim);
    if (!cache_path.empty()) {
      Json j = Json::object();
      j.set("info", data_info_to_json(out.info));
      if (format == "tu") {
        Json f = Json::array();
        for (const auto& fold : folds) f.items().push_back(index_list(fold));
        j.set("folds", std::move(f));
      } else {
        j.set("train", index_list(train));
        j.set("val", index_list(val));
        j.set("test", index_list(test));
      }
      try {
        save_graph_cache(cache_path, all, hash, j.dump());
      } catch (const Error& e) {  // the cache only saves time; the data is still good
        std::cerr << "gt: warning: could not write the graph cache: " << e.what() << "\n";
      }
    }
  }
  for (const auto* split : {&train, &val, &test})
    if (split->empty())
      fail(path + ": the " + std::string(split == &train ? "training" : split == &val ? "validation" : "test") +
           " split is empty (" + (format == "tu" ? "too few graphs for data.folds" : "check the split") + ")");
  const std::string name = out.info.name;
  out.train = subset(all, train, name + "/train");
  out.val = subset(all, val, name + "/val");
  out.test = subset(all, test, name + "/test");
  if (config.max_num_graphs)
    for (GraphDataset* d : {&out.train, &out.val, &out.test})
      if (static_cast<int64_t>(d->graphs.size()) > *config.max_num_graphs)
        d->graphs.resize(static_cast<size_t>(*config.max_num_graphs));
  return out;
}

}  // namespace gt
