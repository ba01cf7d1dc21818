// Reading a parity dump (docs/architecture.md, "Parity dump") back into gt:
// its config, its batch and its initial weights. `gt bench --dump FILE` uses
// it so that gt and the PyTorch baseline (bench/pytorch_step.py) time the
// identical batch with the identical model.
#pragma once
#include <string>

#include "core/safetensors.h"
#include "graph/graph.h"
#include "nn/graph_transformer.h"
#include "train/config.h"

namespace gt {

// The resolved config stored in the dump's "config" metadata.
Config dump_config(const SafetensorsFile& dump);

// The dump's batch (batch.node_type, edge_type, src, dst, node_graph, pe, y
// and, for node-level tasks, node_label), collated into gt's CSR. Every index
// is checked against the batch and the config's vocabulary: gt::Error naming
// the file and tensor on a malformed dump.
GraphBatch dump_batch(const SafetensorsFile& dump, const Config& config);

// Copies every parameter and buffer of the model from the dump (the dump's
// initial weights); gt::Error if one is missing or has another shape.
void load_dump_weights(const SafetensorsFile& dump, GraphTransformer* model);

}  // namespace gt
