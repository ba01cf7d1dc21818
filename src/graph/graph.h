// Graphs as gt stores them: one graph as loaded from a data set, and a batch of
// many graphs collated into one block-diagonal, destination-sorted CSR.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gt {

// One graph. Edges are directed; undirected data stores both directions.
struct Graph {
  int32_t num_nodes = 0;
  std::vector<int32_t> node_type;  // [n] categorical node feature (atom type, ...)
  std::vector<int32_t> src, dst;   // [m] directed edges, no self-loops
  std::vector<int32_t> edge_type;  // [m] categorical edge feature (bond type, ...)
  std::vector<float> pe;           // [n * pe_dim] Laplacian PE, row-major; empty if none
  std::vector<int32_t> node_label; // [n] per-node class (node classification); empty otherwise
  float y = 0.0f;                  // graph-level target
  int32_t num_edges() const { return static_cast<int32_t>(src.size()); }
};

// A split of a data set (train, val or test) with its vocabulary sizes.
struct GraphDataset {
  std::string name;            // e.g. "ZINC/train"
  std::vector<Graph> graphs;
  int32_t pe_dim = 0;          // columns of Graph::pe (0: no PE computed)
  int32_t num_node_types = 0;  // vocabulary of Graph::node_type
  int32_t num_edge_types = 0;  // vocabulary of Graph::edge_type
};

// Many graphs as one block-diagonal graph. Nodes of graph g occupy
// [graph_ptr[g], graph_ptr[g+1]). Edges are sorted by destination (CSR):
// the in-edges of node i are positions [dst_ptr[i], dst_ptr[i+1]), with
// source src[e] and feature edge_type[e]. Every per-edge tensor of the model
// is stored in this order. by_src lists edge positions grouped by source
// (src_ptr is its offset array): the transpose, used to gather gradients
// back to source nodes without atomics.
struct GraphBatch {
  int32_t num_graphs = 0, num_nodes = 0, num_edges = 0, pe_dim = 0;
  std::vector<int32_t> graph_ptr;   // [G+1]
  std::vector<int32_t> node_graph;  // [N] graph index of each node
  std::vector<int32_t> node_type;   // [N]
  std::vector<float> pe;            // [N * pe_dim]
  std::vector<int32_t> dst_ptr;     // [N+1]
  std::vector<int32_t> src;         // [M] source of edge e (CSR order)
  std::vector<int32_t> dst;         // [M] destination of edge e (CSR order)
  std::vector<int32_t> edge_type;   // [M] (CSR order)
  std::vector<int32_t> src_ptr;     // [N+1]
  std::vector<int32_t> by_src;      // [M] edge positions grouped by source
  std::vector<float> y;             // [G]
  std::vector<int32_t> node_label;  // [N] when the data set has per-node labels
};

// Collates graphs[indices[0..count)] of a data set into out, reusing its
// storage. Edges within each destination keep their input order (stable),
// so collation is deterministic.
void collate(const GraphDataset& data, const int32_t* indices, int32_t count, GraphBatch* out);

// Builds the CSR fields (dst_ptr, src, dst, edge_type, src_ptr, by_src) of a
// batch from an unsorted directed edge list over num_nodes nodes.
void build_csr(int32_t num_nodes, const std::vector<int32_t>& src, const std::vector<int32_t>& dst,
               const std::vector<int32_t>& edge_type, GraphBatch* out);

}  // namespace gt
