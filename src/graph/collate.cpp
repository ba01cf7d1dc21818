#include "graph/graph.h"

#include "core/error.h"

namespace gt {

namespace {

// Counting sort of edges by key (destination or source): stable, O(N + M).
void counting_offsets(int32_t num_nodes, const int32_t* key, int32_t m, std::vector<int32_t>* ptr) {
  ptr->assign(num_nodes + 1, 0);
  for (int32_t e = 0; e < m; ++e) ++(*ptr)[key[e] + 1];
  for (int32_t i = 0; i < num_nodes; ++i) (*ptr)[i + 1] += (*ptr)[i];
}

}  // namespace

void build_csr(int32_t num_nodes, const std::vector<int32_t>& src, const std::vector<int32_t>& dst,
               const std::vector<int32_t>& edge_type, GraphBatch* out) {
  const int32_t m = static_cast<int32_t>(src.size());
  GT_CHECK(dst.size() == src.size() && edge_type.size() == src.size(), "edge arrays differ in length");
  counting_offsets(num_nodes, dst.data(), m, &out->dst_ptr);
  out->src.resize(m);
  out->dst.resize(m);
  out->edge_type.resize(m);
  std::vector<int32_t> fill(out->dst_ptr.begin(), out->dst_ptr.end() - 1);
  for (int32_t e = 0; e < m; ++e) {
    const int32_t pos = fill[dst[e]]++;
    out->src[pos] = src[e];
    out->dst[pos] = dst[e];
    out->edge_type[pos] = edge_type[e];
  }
  counting_offsets(num_nodes, out->src.data(), m, &out->src_ptr);
  out->by_src.resize(m);
  fill.assign(out->src_ptr.begin(), out->src_ptr.end() - 1);
  for (int32_t e = 0; e < m; ++e) out->by_src[fill[out->src[e]]++] = e;
  out->num_nodes = num_nodes;
  out->num_edges = m;
}

void collate(const GraphDataset& data, const int32_t* indices, int32_t count, GraphBatch* out) {
  int32_t n_total = 0, m_total = 0;
  for (int32_t b = 0; b < count; ++b) {
    const Graph& g = data.graphs[indices[b]];
    n_total += g.num_nodes;
    m_total += g.num_edges();
  }
  const int32_t k = data.pe_dim;
  out->num_graphs = count;
  out->pe_dim = k;
  out->graph_ptr.resize(count + 1);
  out->node_graph.resize(n_total);
  out->node_type.resize(n_total);
  out->pe.resize(static_cast<size_t>(n_total) * k);
  out->y.resize(count);
  const bool labelled = count > 0 && !data.graphs[indices[0]].node_label.empty();
  out->node_label.resize(labelled ? n_total : 0);
  // Unsorted global edge list, reused across calls through thread-local storage.
  thread_local std::vector<int32_t> src, dst, type;
  src.resize(m_total);
  dst.resize(m_total);
  type.resize(m_total);
  int32_t node0 = 0, edge0 = 0;
  for (int32_t b = 0; b < count; ++b) {
    const Graph& g = data.graphs[indices[b]];
    out->graph_ptr[b] = node0;
    out->y[b] = g.y;
    for (int32_t i = 0; i < g.num_nodes; ++i) {
      out->node_graph[node0 + i] = b;
      out->node_type[node0 + i] = g.node_type[i];
    }
    if (labelled) {
      GT_CHECK(g.node_label.size() == static_cast<size_t>(g.num_nodes), "graph without node labels");
      std::copy(g.node_label.begin(), g.node_label.end(), out->node_label.begin() + node0);
    }
    if (k > 0) {
      GT_CHECK(g.pe.size() == static_cast<size_t>(g.num_nodes) * k, "graph PE has the wrong size");
      std::copy(g.pe.begin(), g.pe.end(), out->pe.begin() + static_cast<size_t>(node0) * k);
    }
    for (int32_t e = 0; e < g.num_edges(); ++e) {
      src[edge0 + e] = g.src[e] + node0;
      dst[edge0 + e] = g.dst[e] + node0;
      type[edge0 + e] = g.edge_type[e];
    }
    node0 += g.num_nodes;
    edge0 += g.num_edges();
  }
  out->graph_ptr[count] = node0;
  build_csr(n_total, src, dst, type, out);
}

}  // namespace gt
