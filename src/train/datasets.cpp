#include "train/datasets.h"

#include <cstdlib>

#include "core/error.h"
#include "data/zinc.h"

namespace gt {

std::string default_data_dir() {
  if (const char* env = std::getenv("GT_DATA_DIR")) return env;
  return std::string(GT_SOURCE_DIR) + "/data";
}

DataSplits load_splits(const Config& config, const std::string& data_dir) {
  const int pe_dim = config.net.lap_pos_enc ? config.net.pos_enc_dim : 0;
  const std::string cache = data_dir + "/cache";
  DataSplits s;
  if (config.dataset == "ZINC") {
    const std::string dir = data_dir + "/zinc";
    s.train = load_zinc_split(dir, "train", pe_dim, cache);
    s.val = load_zinc_split(dir, "val", pe_dim, cache);
    s.test = load_zinc_split(dir, "test", pe_dim, cache);
    return s;
  }
  fail("data set \"" + config.dataset + "\" is not available yet in this build (supported: ZINC)");
}

ModelSpec model_spec(const Config& config, const GraphDataset& train) {
  const NetParams& net = config.net;
  if (net.full_graph) fail("full_graph: true is not implemented yet (sparse attention only)");
  if (net.dropout > 0 || net.in_feat_dropout > 0)
    fail("dropout > 0 is not implemented yet: the paper's configs all use 0");
  if (!net.edge_feat && config.dataset == "ZINC")
    fail("edge_feat: false on ZINC is not implemented yet (the paper's ZINC models use bond features)");
  ModelSpec m;
  m.layers = net.L;
  m.dim = net.hidden_dim;
  m.heads = net.n_heads;
  m.num_node_types = train.num_node_types;
  m.num_edge_types = train.num_edge_types;
  m.pe_dim = net.lap_pos_enc ? net.pos_enc_dim : 0;
  m.edge_features = net.edge_feat;
  m.layer_norm = net.layer_norm;
  m.batch_norm = net.batch_norm;
  m.residual = net.residual;
  m.readout = net.readout == "sum" ? ops::Readout::Sum
              : net.readout == "max" ? ops::Readout::Max
                                     : ops::Readout::Mean;
  m.node_level = false;
  m.num_outputs = 1;
  return m;
}

}  // namespace gt
