#include <climits>
#include <cstring>

#include "core/error.h"
#include "graph/graph.h"

namespace gt {

namespace {

// Counting sort of edges by key (destination or source): stable, O(N + M).
void counting_offsets(int32_t num_nodes, const int32_t* key, int32_t m, std::vector<int32_t>* ptr) {
  ptr->assign(num_nodes + 1, 0);
  for (int32_t e = 0; e < m; ++e) ++(*ptr)[key[e] + 1];
  for (int32_t i = 0; i < num_nodes; ++i) (*ptr)[i + 1] += (*ptr)[i];
}

// Appends a graph's rows of `width` values to out at row offset row0.
template <class T>
void copy_rows(const std::vector<T>& rows, int64_t count, int64_t width, int64_t row0,
               std::vector<T>* out, const char* what) {
  if (width == 0) return;
  GT_CHECK(rows.size() == static_cast<size_t>(count * width), std::string("graph ") + what +
                                                                  " has the wrong size");
  std::copy(rows.begin(), rows.end(), out->begin() + row0 * width);
}

}  // namespace

GraphDataset subset(const GraphDataset& data, const std::vector<int32_t>& indices,
                    const std::string& name) {
  GraphDataset out;
  out.name = name;
  out.pe_dim = data.pe_dim;
  out.node_vocab = data.node_vocab;
  out.edge_vocab = data.edge_vocab;
  out.node_cont = data.node_cont;
  out.edge_cont = data.edge_cont;
  out.num_targets = data.num_targets;
  out.graphs.reserve(indices.size());
  for (int32_t i : indices) {
    GT_CHECK(i >= 0 && static_cast<size_t>(i) < data.graphs.size(), "subset index out of range");
    out.graphs.push_back(data.graphs[i]);
  }
  return out;
}

void build_csr(int32_t num_nodes, const std::vector<int32_t>& src, const std::vector<int32_t>& dst,
               const std::vector<int32_t>& edge_type, const std::vector<float>& edge_cont,
               GraphBatch* out) {
  const int32_t m = static_cast<int32_t>(src.size());
  const int64_t fc = out->edge_cols, fr = out->edge_cont;
  GT_CHECK(dst.size() == src.size() && edge_type.size() == src.size() * fc &&
               edge_cont.size() == src.size() * fr,
           "edge arrays differ in length");
  counting_offsets(num_nodes, dst.data(), m, &out->dst_ptr);
  out->src.resize(m);
  out->dst.resize(m);
  out->edge_type.resize(m * fc);
  out->edge_cont_x.resize(m * fr);
  std::vector<int32_t> fill(out->dst_ptr.begin(), out->dst_ptr.end() - 1);
  for (int32_t e = 0; e < m; ++e) {
    const int64_t pos = fill[dst[e]]++;
    out->src[pos] = src[e];
    out->dst[pos] = dst[e];
    for (int64_t c = 0; c < fc; ++c) out->edge_type[pos * fc + c] = edge_type[e * fc + c];
    for (int64_t c = 0; c < fr; ++c) out->edge_cont_x[pos * fr + c] = edge_cont[e * fr + c];
  }
  counting_offsets(num_nodes, out->src.data(), m, &out->src_ptr);
  out->by_src.resize(m);
  fill.assign(out->src_ptr.begin(), out->src_ptr.end() - 1);
  for (int32_t e = 0; e < m; ++e) out->by_src[fill[out->src[e]]++] = e;
  out->num_nodes = num_nodes;
  out->num_edges = m;
}

namespace {

// The CSR fields of the batch's complete graph (collate with full_graph),
// built in place: destination-sorted with sources increasing within each
// destination, which is what build_csr's stable sort would give for that
// order, and the transpose likewise. Graph g's nodes [a, a + n) own edge
// positions [e0, e0 + n (n - 1)); node j = a + t receives from every other
// node of its graph at e0 + t (n - 1), and the edge from source a + s to
// a + t sits at e0 + t (n - 1) + (s < t ? s : s - 1).
void build_full_csr(int32_t m_total, GraphBatch* out) {
  const int32_t N = out->num_nodes;
  const int64_t fc = out->edge_cols, fr = out->edge_cont;
  out->num_edges = m_total;
  out->dst_ptr.resize(N + 1);
  out->src_ptr.resize(N + 1);
  out->src.resize(m_total);
  out->dst.resize(m_total);
  out->by_src.resize(m_total);
  out->edge_type.assign(static_cast<size_t>(m_total) * fc, 0);
  out->edge_cont_x.assign(static_cast<size_t>(m_total) * fr, 0.0f);
  int32_t e0 = 0;
  for (int32_t g = 0; g < out->num_graphs; ++g) {
    const int32_t a = out->graph_ptr[g], n = out->graph_ptr[g + 1] - a;
    for (int32_t t = 0; t < n; ++t) {
      const int32_t first = e0 + t * (n - 1);
      out->dst_ptr[a + t] = first;
      out->src_ptr[a + t] = first;
      int32_t pos = first;
      for (int32_t s = 0; s < n; ++s) {
        if (s == t) continue;
        out->src[pos] = a + s;
        out->dst[pos] = a + t;
        ++pos;
      }
      // Out-edges of source a + t, by increasing destination (= position).
      pos = first;
      for (int32_t d = 0; d < n; ++d) {
        if (d == t) continue;
        out->by_src[pos++] = e0 + d * (n - 1) + (t < d ? t : t - 1);
      }
    }
    e0 += n * (n - 1);
  }
  out->dst_ptr[N] = e0;
  out->src_ptr[N] = e0;
}

}  // namespace

void collate_targets(const GraphDataset& data, const int32_t* indices, int32_t count,
                     GraphBatch* out) {
  const int32_t T = data.num_targets;
  out->num_graphs = count;
  out->num_targets = T;
  out->num_edges = 0;
  out->node_offset = out->edge_offset = 0;
  out->graph_ptr.resize(count + 1);
  out->y.resize(static_cast<size_t>(count) * T);
  out->graph_ptr[0] = 0;
  for (int32_t b = 0; b < count; ++b)
    out->graph_ptr[b + 1] = out->graph_ptr[b] + data.graphs[indices[b]].num_nodes;
  out->num_nodes = out->graph_ptr[count];
  const bool labelled = count > 0 && !data.graphs[indices[0]].node_label.empty();
  out->node_label.resize(labelled ? out->num_nodes : 0);
  for (int32_t b = 0; b < count; ++b) {
    const Graph& g = data.graphs[indices[b]];
    copy_rows(g.y, 1, T, b, &out->y, "target");
    if (labelled)
      copy_rows(g.node_label, g.num_nodes, 1, out->graph_ptr[b], &out->node_label, "node labels");
  }
}

void collate(const GraphDataset& data, const int32_t* indices, int32_t count, GraphBatch* out,
             bool full_graph) {
  // Counts, graph offsets, targets and node labels: what a loss reads.
  collate_targets(data, indices, count, out);
  const int32_t n_total = out->num_nodes;
  int32_t m_total = 0;
  int64_t full_edges = 0;
  for (int32_t b = 0; b < count; ++b) {
    const Graph& g = data.graphs[indices[b]];
    m_total += g.num_edges();
    full_edges += static_cast<int64_t>(g.num_nodes) * (g.num_nodes - 1);
  }
  if (full_graph) {
    GT_CHECK(full_edges <= INT32_MAX, "full_graph: the batch's complete graph has too many edges");
    m_total = 0;  // the sparse edges are not copied
  }
  const int32_t k = data.pe_dim;
  out->pe_dim = k;
  out->node_cols = data.node_cols();
  out->edge_cols = data.edge_cols();
  out->node_cont = data.node_cont;
  out->edge_cont = data.edge_cont;
  out->node_graph.resize(n_total);
  out->node_type.resize(static_cast<size_t>(n_total) * out->node_cols);
  out->node_cont_x.resize(static_cast<size_t>(n_total) * out->node_cont);
  out->pe.resize(static_cast<size_t>(n_total) * k);
  // Unsorted global edge list, reused across calls through thread-local storage.
  thread_local std::vector<int32_t> src, dst, type;
  thread_local std::vector<float> cont;
  src.resize(m_total);
  dst.resize(m_total);
  type.resize(static_cast<size_t>(m_total) * out->edge_cols);
  cont.resize(static_cast<size_t>(m_total) * out->edge_cont);
  int32_t edge0 = 0;
  for (int32_t b = 0; b < count; ++b) {
    const Graph& g = data.graphs[indices[b]];
    const int32_t node0 = out->graph_ptr[b];
    for (int32_t i = 0; i < g.num_nodes; ++i) out->node_graph[node0 + i] = b;
    copy_rows(g.node_type, g.num_nodes, out->node_cols, node0, &out->node_type, "node features");
    copy_rows(g.node_cont, g.num_nodes, out->node_cont, node0, &out->node_cont_x, "node attributes");
    copy_rows(g.pe, g.num_nodes, k, node0, &out->pe, "PE");
    if (!full_graph) {
      for (int32_t e = 0; e < g.num_edges(); ++e) {
        src[edge0 + e] = g.src[e] + node0;
        dst[edge0 + e] = g.dst[e] + node0;
      }
      copy_rows(g.edge_type, g.num_edges(), out->edge_cols, edge0, &type, "edge features");
      copy_rows(g.edge_cont, g.num_edges(), out->edge_cont, edge0, &cont, "edge attributes");
      edge0 += g.num_edges();
    }
  }
  if (full_graph) {
    build_full_csr(static_cast<int32_t>(full_edges), out);
    return;
  }
  build_csr(n_total, src, dst, type, cont, out);
}

}  // namespace gt
