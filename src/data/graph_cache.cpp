#include "data/graph_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <vector>

#include "core/error.h"

// The format is little-endian and written with plain memory copies.
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "graph_cache.cpp assumes a little-endian host"
#endif

namespace gt {

namespace {

constexpr char kMagic[8] = {'G', 'T', 'G', 'R', 'A', 'P', 'H', '\0'};
// Far above any real data set; bounds the size arithmetic on corrupt headers.
constexpr int64_t kMaxCount = int64_t(1) << 36;

struct Header {
  char magic[8];
  uint32_t version, has_node_labels;  // per-node labels follow the PE when 1
  uint64_t source_hash;
  int32_t pe_dim, node_cols, edge_cols, node_cont, edge_cont, num_targets;
  int32_t name_length, meta_length;
  int64_t num_graphs, total_nodes, total_edges;
};
static_assert(sizeof(Header) == 80, "cache header must have no padding");

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

// Sequential writer into a memory image of the file (written with one
// fwrite, and checksummed in one pass like the reader does).
struct Writer {
  std::string image;
  void bytes(const void* p, size_t n) {
    if (n > 0) image.append(static_cast<const char*>(p), n);
  }
  template <class T>
  void array(const std::vector<T>& v) { bytes(v.data(), v.size() * sizeof(T)); }
};

void write_body(Writer* w, const GraphDataset& data, uint64_t source_hash, const std::string& meta) {
  int64_t nodes = 0, edges = 0;
  for (const Graph& g : data.graphs) {
    nodes += g.num_nodes;
    edges += g.num_edges();
  }
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kGraphCacheVersion;
  h.source_hash = source_hash;
  h.pe_dim = data.pe_dim;
  h.node_cols = data.node_cols();
  h.edge_cols = data.edge_cols();
  h.node_cont = data.node_cont;
  h.edge_cont = data.edge_cont;
  h.num_targets = data.num_targets;
  h.name_length = static_cast<int32_t>(data.name.size());
  h.meta_length = static_cast<int32_t>(meta.size());
  h.num_graphs = static_cast<int64_t>(data.graphs.size());
  h.total_nodes = nodes;
  h.total_edges = edges;
  h.has_node_labels = !data.graphs.empty() && !data.graphs[0].node_label.empty();
  w->bytes(&h, sizeof h);
  w->bytes(data.name.data(), data.name.size());
  w->bytes(meta.data(), meta.size());
  w->array(data.node_vocab);
  w->array(data.edge_vocab);
  std::vector<int32_t> counts(data.graphs.size());
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = data.graphs[i].num_nodes;
  w->array(counts);
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = data.graphs[i].num_edges();
  w->array(counts);
  for (const Graph& g : data.graphs) w->array(g.y);
  for (const Graph& g : data.graphs) w->array(g.node_type);
  for (const Graph& g : data.graphs) w->array(g.node_cont);
  for (const Graph& g : data.graphs) w->array(g.src);
  for (const Graph& g : data.graphs) w->array(g.dst);
  for (const Graph& g : data.graphs) w->array(g.edge_type);
  for (const Graph& g : data.graphs) w->array(g.edge_cont);
  for (const Graph& g : data.graphs) w->array(g.pe);
  if (h.has_node_labels)
    for (const Graph& g : data.graphs) {
      GT_CHECK(g.node_label.size() == static_cast<size_t>(g.num_nodes), "node_label size");
      w->array(g.node_label);
    }
}

// Makes the rename durable too (best effort: some file systems refuse).
void fsync_directory_of(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

uint64_t checksum64(const void* data, size_t size) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t state = kFnv1a64Offset;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    state ^= word;
    state *= 1099511628211ull;
  }
  return fnv1a64(p + i, size - i, state);
}

uint64_t fnv1a64(const void* data, size_t size, uint64_t state) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    state ^= p[i];
    state *= 1099511628211ull;
  }
  return state;
}

void save_graph_cache(const std::string& path, const GraphDataset& data, uint64_t source_hash,
                      const std::string& meta) {
  for (const Graph& g : data.graphs) {
    const size_t n = static_cast<size_t>(g.num_nodes), m = g.src.size();
    GT_CHECK(g.node_type.size() == n * data.node_cols(), "node_type size");
    GT_CHECK(g.node_cont.size() == n * data.node_cont, "node_cont size");
    GT_CHECK(g.dst.size() == m && g.edge_type.size() == m * data.edge_cols() &&
                 g.edge_cont.size() == m * data.edge_cont,
             "edge array sizes");
    GT_CHECK(g.pe.size() == n * data.pe_dim, "pe size");
    GT_CHECK(g.y.size() == static_cast<size_t>(data.num_targets), "target count");
  }
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  File f(std::fopen(tmp.c_str(), "wb"), &std::fclose);
  if (!f) fail(tmp + ": cannot create cache file (" + std::strerror(errno) + ")");
  try {
    Writer w;
    write_body(&w, data, source_hash, meta);
    const uint64_t checksum = checksum64(w.image.data(), w.image.size());
    w.bytes(&checksum, sizeof checksum);
    if (std::fwrite(w.image.data(), 1, w.image.size(), f.get()) != w.image.size())
      fail(tmp + ": write failed (" + std::strerror(errno) + ")");
    // Data on disk before the rename: a crash leaves either the old file or
    // the complete new one, never a torn cache under the final name.
    if (std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0)
      fail(tmp + ": write failed (" + std::strerror(errno) + ")");
    FILE* raw = f.release();
    if (std::fclose(raw) != 0) fail(tmp + ": close failed (" + std::strerror(errno) + ")");
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
      fail(path + ": cannot rename " + tmp + " onto it (" + std::strerror(errno) + ")");
  } catch (...) {
    f.reset();
    std::remove(tmp.c_str());
    throw;
  }
  fsync_directory_of(path);
}

namespace {

// Bounds-checked sequential view of the file bytes; arrays are copied out
// with memcpy because offsets after the name are not aligned.
struct Cursor {
  const char* p;
  template <class T>
  void array(int64_t count, std::vector<T>* out) {
    out->resize(static_cast<size_t>(count));
    std::memcpy(out->data(), p, sizeof(T) * static_cast<size_t>(count));
    p += sizeof(T) * static_cast<size_t>(count);
  }
};

// The header fields that decide the file size, checked so the size
// arithmetic below cannot overflow. Returns a reason or "".
std::string check_header(const Header& h, uint64_t expected_hash, size_t file_size) {
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return "not a gt graph cache (bad magic)";
  if (h.version != kGraphCacheVersion)
    return "format version " + std::to_string(h.version) + ", this build writes " +
           std::to_string(kGraphCacheVersion);
  if (h.source_hash != expected_hash) return "built from a different source or settings";
  for (int32_t width : {h.pe_dim, h.node_cols, h.edge_cols, h.node_cont, h.edge_cont, h.num_targets})
    if (width < 0 || width > 4096) return "corrupted header (impossible column counts)";
  if (h.name_length < 0 || h.name_length > 4096 || h.meta_length < 0 ||
      h.meta_length > (1 << 30) || h.num_graphs < 0 || h.num_graphs > kMaxCount ||
      h.total_nodes < 0 || h.total_nodes > kMaxCount || h.total_edges < 0 ||
      h.total_edges > kMaxCount || h.has_node_labels > 1)
    return "corrupted header (impossible counts)";
  const uint64_t per_node = uint64_t(h.node_cols) + h.node_cont + h.pe_dim + h.has_node_labels;
  const uint64_t per_edge = 2 + uint64_t(h.edge_cols) + h.edge_cont;
  const uint64_t expected = sizeof(Header) + uint64_t(h.name_length) + uint64_t(h.meta_length) +
                            4 * (uint64_t(h.node_cols) + h.edge_cols) +
                            4 * uint64_t(h.num_graphs) * (2 + uint64_t(h.num_targets)) +
                            4 * uint64_t(h.total_nodes) * per_node +
                            4 * uint64_t(h.total_edges) * per_edge + sizeof(uint64_t);
  if (expected != file_size)
    return "truncated or corrupted (" + std::to_string(file_size) + " bytes, expected " +
           std::to_string(expected) + ")";
  return "";
}

// Values of each column of rows[count, vocab.size()] lie in [0, vocab[c]).
bool in_vocab(const std::vector<int32_t>& rows, const std::vector<int32_t>& vocab) {
  const size_t w = vocab.size();
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i] < 0 || rows[i] >= vocab[i % w]) return false;
  return true;
}

bool all_finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

// Splits the flat arrays into graphs, validating every index. Returns a reason or "".
std::string build_graphs(const Header& h, Cursor c, GraphDataset* out) {
  std::vector<int32_t> nodes, edges, node_type, src, dst, edge_type, labels;
  std::vector<float> y, node_cont, edge_cont, pe;
  c.array(h.node_cols, &out->node_vocab);
  c.array(h.edge_cols, &out->edge_vocab);
  c.array(h.num_graphs, &nodes);
  c.array(h.num_graphs, &edges);
  c.array(h.num_graphs * h.num_targets, &y);
  c.array(h.total_nodes * h.node_cols, &node_type);
  c.array(h.total_nodes * h.node_cont, &node_cont);
  c.array(h.total_edges, &src);
  c.array(h.total_edges, &dst);
  c.array(h.total_edges * h.edge_cols, &edge_type);
  c.array(h.total_edges * h.edge_cont, &edge_cont);
  c.array(h.total_nodes * h.pe_dim, &pe);
  c.array(h.has_node_labels ? h.total_nodes : 0, &labels);
  int64_t n_sum = 0, m_sum = 0;
  for (int64_t g = 0; g < h.num_graphs; ++g) {
    if (nodes[g] < 0 || edges[g] < 0) return "corrupted graph table";
    n_sum += nodes[g];
    m_sum += edges[g];
  }
  if (n_sum != h.total_nodes || m_sum != h.total_edges) return "corrupted graph table (sums)";
  for (float t : y)  // NaN marks a missing label; infinities never occur
    if (std::isinf(t)) return "corrupted targets";
  for (int32_t v : out->node_vocab)
    if (v < 1) return "corrupted vocabulary";
  for (int32_t v : out->edge_vocab)
    if (v < 1) return "corrupted vocabulary";
  if (!in_vocab(node_type, out->node_vocab)) return "corrupted node types";
  if (!in_vocab(edge_type, out->edge_vocab)) return "corrupted edge types";
  if (!all_finite(node_cont) || !all_finite(edge_cont) || !all_finite(pe))
    return "corrupted continuous features";
  for (int32_t t : labels)
    if (t < 0) return "corrupted node labels";
  out->graphs.resize(static_cast<size_t>(h.num_graphs));
  int64_t n0 = 0, m0 = 0;
  const auto slice = [](const auto& v, int64_t row0, int64_t rows, int64_t width, auto* dst) {
    dst->assign(v.begin() + row0 * width, v.begin() + (row0 + rows) * width);
  };
  for (int64_t g = 0; g < h.num_graphs; ++g) {
    Graph& gr = out->graphs[g];
    const int32_t n = nodes[g], m = edges[g];
    for (int64_t e = m0; e < m0 + m; ++e)
      if (src[e] < 0 || src[e] >= n || dst[e] < 0 || dst[e] >= n) return "corrupted edge list";
    gr.num_nodes = n;
    slice(y, g, 1, h.num_targets, &gr.y);
    slice(node_type, n0, n, h.node_cols, &gr.node_type);
    slice(node_cont, n0, n, h.node_cont, &gr.node_cont);
    slice(src, m0, m, 1, &gr.src);
    slice(dst, m0, m, 1, &gr.dst);
    slice(edge_type, m0, m, h.edge_cols, &gr.edge_type);
    slice(edge_cont, m0, m, h.edge_cont, &gr.edge_cont);
    slice(pe, n0, n, h.pe_dim, &gr.pe);
    if (h.has_node_labels) slice(labels, n0, n, 1, &gr.node_label);
    n0 += n;
    m0 += m;
  }
  return "";
}

// Reads path fully. Returns false with errno set when it cannot.
bool read_all(const std::string& path, std::string* bytes) {
  File f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return false;
  if (std::fseek(f.get(), 0, SEEK_END) != 0) return false;
  const long size = std::ftell(f.get());
  if (size < 0) return false;
  std::rewind(f.get());
  bytes->resize(static_cast<size_t>(size));
  errno = 0;
  if (std::fread(&(*bytes)[0], 1, bytes->size(), f.get()) == bytes->size()) return true;
  if (errno == 0) errno = EIO;  // short read without an OS error
  return false;
}

// Validates and decodes; returns a reason for rejecting the file, or "".
std::string decode(const std::string& bytes, uint64_t expected_hash, GraphDataset* out,
                   std::string* meta) {
  if (bytes.size() < sizeof(Header) + sizeof(uint64_t))
    return "truncated (" + std::to_string(bytes.size()) + " bytes, shorter than the header)";
  Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  std::string why = check_header(h, expected_hash, bytes.size());
  if (!why.empty()) return why;
  uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - sizeof stored, sizeof stored);
  if (checksum64(bytes.data(), bytes.size() - sizeof stored) != stored)
    return "corrupted (checksum mismatch)";
  GraphDataset data;
  data.name.assign(bytes.data() + sizeof h, static_cast<size_t>(h.name_length));
  data.pe_dim = h.pe_dim;
  data.node_cont = h.node_cont;
  data.edge_cont = h.edge_cont;
  data.num_targets = h.num_targets;
  const char* meta_begin = bytes.data() + sizeof h + h.name_length;
  why = build_graphs(h, Cursor{meta_begin + h.meta_length}, &data);
  if (!why.empty()) return why;
  *out = std::move(data);
  if (meta) meta->assign(meta_begin, static_cast<size_t>(h.meta_length));
  return "";
}

}  // namespace

bool load_graph_cache(const std::string& path, uint64_t expected_hash, GraphDataset* out,
                      std::string* reason, std::string* meta) {
  std::string bytes;
  std::string why;
  if (!read_all(path, &bytes)) {
    if (errno == ENOENT) {  // no cache yet: the normal first run, nothing to say
      if (reason) *reason = "no cache file";
      return false;
    }
    why = std::string("cannot read it (") + std::strerror(errno) + ")";
  } else {
    why = decode(bytes, expected_hash, out, meta);
  }
  if (why.empty()) return true;
  std::cerr << "gt: graph cache " << path << ": " << why << "; rebuilding it\n";
  if (reason) *reason = why;
  return false;
}

}  // namespace gt
