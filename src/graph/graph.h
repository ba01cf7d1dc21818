// Graphs as gt stores them: one graph as loaded from a data set, and a batch of
// many graphs collated into one block-diagonal, destination-sorted CSR.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gt {

// One graph. Edges are directed; undirected data stores both directions.
// Features are row-major with the data set's column counts: ZINC and SBM
// have one categorical column per node (atom type, community feature) and
// per edge (bond type); OGB molecules 9 per atom and 3 per bond.
struct Graph {
  int32_t num_nodes = 0;
  std::vector<int32_t> node_type;  // [n * node_vocab.size()] categorical node features
  std::vector<float> node_cont;    // [n * node_cont] continuous node features
  std::vector<int32_t> src, dst;   // [m] directed edges
  std::vector<int32_t> edge_type;  // [m * edge_vocab.size()] categorical edge features
  std::vector<float> edge_cont;    // [m * edge_cont] continuous edge features
  std::vector<float> pe;           // [n * pe_dim] Laplacian PE, row-major; empty if none
  std::vector<int32_t> node_label; // [n] per-node class (node classification); empty otherwise
  std::vector<float> y;            // [num_targets] graph-level targets; NaN = missing label
  int32_t num_edges() const { return static_cast<int32_t>(src.size()); }
};

// A data set (or one split of it) with its feature scheme.
struct GraphDataset {
  std::string name;                 // e.g. "ZINC/train"
  std::vector<Graph> graphs;
  int32_t pe_dim = 0;               // columns of Graph::pe (0: no PE computed)
  std::vector<int32_t> node_vocab;  // per categorical node column: values in [0, vocab)
  std::vector<int32_t> edge_vocab;  // per categorical edge column
  int32_t node_cont = 0;            // continuous node columns
  int32_t edge_cont = 0;            // continuous edge columns
  int32_t num_targets = 1;          // entries of Graph::y (0 for node-level data sets)
  int32_t node_cols() const { return static_cast<int32_t>(node_vocab.size()); }
  int32_t edge_cols() const { return static_cast<int32_t>(edge_vocab.size()); }
};

// The same data set with only the graphs at `indices` (a split of it).
GraphDataset subset(const GraphDataset& data, const std::vector<int32_t>& indices,
                    const std::string& name);

// Many graphs as one block-diagonal graph. Nodes of graph g occupy
// [graph_ptr[g], graph_ptr[g+1]). Edges are sorted by destination (CSR):
// the in-edges of node i are positions [dst_ptr[i], dst_ptr[i+1]), with
// source src[e] and feature edge_type[e]. Every per-edge tensor of the model
// is stored in this order. by_src lists edge positions grouped by source
// (src_ptr is its offset array): the transpose, used to gather gradients
// back to source nodes without atomics.
struct GraphBatch {
  int32_t num_graphs = 0, num_nodes = 0, num_edges = 0, pe_dim = 0;
  int32_t node_cols = 1, edge_cols = 1, node_cont = 0, edge_cont = 0, num_targets = 1;
  std::vector<int32_t> graph_ptr;   // [G+1]
  std::vector<int32_t> node_graph;  // [N] graph index of each node
  std::vector<int32_t> node_type;   // [N * node_cols]
  std::vector<float> node_cont_x;   // [N * node_cont]
  std::vector<float> pe;            // [N * pe_dim]
  std::vector<int32_t> dst_ptr;     // [N+1]
  std::vector<int32_t> src;         // [M] source of edge e (CSR order)
  std::vector<int32_t> dst;         // [M] destination of edge e (CSR order)
  std::vector<int32_t> edge_type;   // [M * edge_cols] (CSR order)
  std::vector<float> edge_cont_x;   // [M * edge_cont] (CSR order)
  std::vector<int32_t> src_ptr;     // [N+1]
  std::vector<int32_t> by_src;      // [M] edge positions grouped by source
  std::vector<float> y;             // [G * num_targets]; NaN = missing
  std::vector<int32_t> node_label;  // [N] when the data set has per-node labels
  // Data parallelism: where this batch's first node and first edge (CSR
  // order) sit in the global batch it is one rank's shard of (0 otherwise).
  // Dropout masks are drawn by global position, so P ranks drop what one
  // process would.
  int64_t node_offset = 0, edge_offset = 0;
};

// Collates graphs[indices[0..count)] of a data set into out, reusing its
// storage. Edges within each destination keep their input order (stable),
// so collation is deterministic.
//
// full_graph (the official "full_graph": true, SPEC §6): each graph's edges
// are replaced by its complete graph, every ordered pair (i, j), i != j, once
// (no self-loops; a one-node graph has no edges), with every categorical
// edge column 0 (ZINC: bond index 0, "NONE") and every continuous edge
// column 0. In CSR order the in-edges of node j come by increasing source.
// Nodes, node features, PE, targets and labels are those of the sparse
// collation (the PE stays the sparse graph's).
void collate(const GraphDataset& data, const int32_t* indices, int32_t count, GraphBatch* out,
             bool full_graph = false);

// Only what a loss and a metric read (num_graphs, num_nodes, num_targets,
// graph_ptr, y, node_label) of graphs[indices[0..count)]: the labels of a
// global batch whose graphs are spread over data-parallel ranks.
void collate_targets(const GraphDataset& data, const int32_t* indices, int32_t count,
                     GraphBatch* out);

// Builds the CSR fields (dst_ptr, src, dst, edge_type, edge_cont_x, src_ptr,
// by_src) of a batch from an unsorted directed edge list over num_nodes
// nodes, carrying out->edge_cols categorical and out->edge_cont continuous
// features per edge (edge_cont may be empty when edge_cont is 0).
void build_csr(int32_t num_nodes, const std::vector<int32_t>& src, const std::vector<int32_t>& dst,
               const std::vector<int32_t>& edge_type, const std::vector<float>& edge_cont,
               GraphBatch* out);

}  // namespace gt
