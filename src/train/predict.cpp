#include "train/predict.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "core/file_io.h"
#include "data/ogb.h"
#include "data/smiles_csv.h"
#include "data/tu.h"
#include "train/datasets.h"
#include "train/trainer.h"
#include "train/user_data.h"

namespace gt {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

TaskType source_task(const DataInfo& info) {
  return info.task == "binary" ? TaskType::Binary
         : info.task == "multiclass" ? TaskType::MultiClass
                                     : TaskType::Regression;
}

// The input as the model's data format describes it.
SourceDataset read_input(const PredictOptions& o, const DataInfo& info) {
  if (info.format == "zinc" || info.format == "sbm")
    fail(o.checkpoint + ": gt predict applies models trained on your own data (OGB, TU or SMILES "
         "CSV); evaluate benchmark models with gt eval");
  std::string format = o.format;
  if (format.empty()) {
    const bool molecules = info.node_vocab == ogb_atom_vocab() && info.edge_vocab == ogb_bond_vocab();
    const bool file = std::filesystem::is_regular_file(o.input);
    format = molecules && file ? "smiles_csv" : info.format;
  }
  if (format == "smiles_csv") {
    if (info.node_vocab != ogb_atom_vocab() || info.edge_vocab != ogb_bond_vocab())
      fail(o.checkpoint + ": the model was not trained on OGB molecule features, so it cannot read SMILES");
    const std::vector<std::string> names =
        info.task == "multiclass" ? std::vector<std::string>{} : info.task_names;
    return read_smiles_csv_for_prediction(o.input, info.smiles_column.empty() ? "smiles" : info.smiles_column,
                                          names, source_task(info));
  }
  if (format == "ogb") return read_ogb_graphprop(o.input, "");
  if (format == "tu") return read_tu(o.input);
  fail("--format \"" + format + "\" is not one of smiles_csv, ogb, tu");
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// The predictions CSV (see predict.h).
std::string predictions_csv(const SourceDataset& s, const DataInfo& info, const std::vector<float>& out) {
  const int C = info.num_outputs();
  std::string text = "id";
  if (info.task == "multiclass") {
    text += ",class";
    for (int c = 0; c < C; ++c)
      text += ",p_" + (info.class_values.empty() ? std::to_string(c) : std::to_string(info.class_values[c]));
  } else {
    for (const std::string& t : info.task_names) text += "," + csv_field(t);
  }
  text += "\n";
  for (size_t g = 0; g < s.graphs.size(); ++g) {
    const float* o = out.data() + g * C;
    text += csv_field(s.graphs[g].id);
    if (info.task == "multiclass") {
      const int best = static_cast<int>(std::max_element(o, o + C) - o);
      double z = 0.0;
      for (int c = 0; c < C; ++c) z += std::exp(static_cast<double>(o[c] - o[best]));
      text += "," + (info.class_values.empty() ? std::to_string(best) : std::to_string(info.class_values[best]));
      for (int c = 0; c < C; ++c) text += "," + num(std::exp(static_cast<double>(o[c] - o[best])) / z);
    } else {
      for (int c = 0; c < C; ++c)
        text += "," + num(info.task == "binary" ? 1.0 / (1.0 + std::exp(-static_cast<double>(o[c]))) : o[c]);
    }
    text += "\n";
  }
  return text;
}

bool has_labels(const GraphDataset& d) {
  for (const Graph& g : d.graphs)
    for (float y : g.y)
      if (!std::isnan(y)) return true;
  return false;
}

}  // namespace

PredictResult run_prediction(const PredictOptions& o) {
  const Config config = checkpoint_config(o.checkpoint);
  const DataInfo info = checkpoint_data_info(o.checkpoint);
  PredictResult r;
  const auto t0 = Clock::now();
  SourceDataset source = read_input(o, info);
  align_to_info(info, &source);
  DataSplits data;
  data.info = info;
  data.test = to_graph_dataset(source, info, config.net.lap_pos_enc ? config.net.pos_enc_dim : 0);
  apply_pe_solver(config, &data.test, 4);  // the checkpoint's solver, for its own input
  r.read_seconds = since(t0);
  r.graphs = static_cast<int64_t>(data.test.graphs.size());

  Trainer trainer(config, data);
  trainer.load_checkpoint(o.checkpoint);
  const auto t1 = Clock::now();
  std::vector<float> out;
  r.scored = has_labels(data.test);
  if (r.scored) {
    const EvalResult e = trainer.evaluate(data.test, &out);
    r.metric = trainer.task().metric_name();
    r.value = e.metric;
  } else {
    trainer.predict(data.test, &out);  // no labels: the same batches, no metric
  }
  r.model_seconds = since(t1);
  if (!o.out.empty()) write_file_atomic(o.out, predictions_csv(source, info, out));
  return r;
}

}  // namespace gt
