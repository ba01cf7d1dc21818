// Binary cache of a featurised data set (graphs plus Laplacian PE), so runs
// after the first skip SMILES parsing and eigen-decompositions.
//
// File layout, all little-endian, no padding:
//   char[8]  magic "GTGRAPH\0"        uint32 format version (kGraphCacheVersion)
//   uint32   has_node_labels (0 or 1) uint64 source hash (see below)
//   int32    pe_dim, node_cols Fn, edge_cols Fe, node_cont Cn, edge_cont Ce,
//            num_targets T, name length L, meta length ML
//   int64    graphs G, total nodes N, total edges M
//   char[L]  data-set name            char[ML] meta (opaque to the cache: the
//                                     reader's description, e.g. JSON)
//   int32 node_vocab[Fn], int32 edge_vocab[Fe]
//   int32 num_nodes[G], int32 num_edges[G], float y[G * T] (NaN = missing)
//   int32 node_type[N * Fn], float node_cont[N * Cn]
//   int32 src[M], int32 dst[M], int32 edge_type[M * Fe], float edge_cont[M * Ce]
//   float pe[N * pe_dim]              (per graph, row-major, graphs in order)
//   int32 node_label[N]               (only when has_node_labels is 1)
//   uint64   checksum of every preceding byte (checksum64; detects corruption)
// The source hash is chosen by the reader (for ZINC: FNV-1a over the source
// file bytes, the dictionary bytes, pe_dim, the featuriser version and the
// eigen-solver), so any change of inputs or code version invalidates the file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/graph.h"

namespace gt {

constexpr uint32_t kGraphCacheVersion = 2;
constexpr uint64_t kFnv1a64Offset = 14695981039346656037ull;

// FNV-1a 64-bit hash of size bytes, continuing from state (chain calls to
// hash several pieces as one stream).
uint64_t fnv1a64(const void* data, size_t size, uint64_t state = kFnv1a64Offset);

// Corruption check of the cache body: FNV-1a's xor-multiply step applied to
// 8-byte little-endian words (then the tail bytes), 8x faster than byte-wise
// FNV on multi-megabyte caches. Any change confined to one word changes it.
uint64_t checksum64(const void* data, size_t size);

// Writes data to path atomically: a temporary file next to it (path +
// ".tmp.<pid>", so concurrent writers never share one), flushed and fsync'ed,
// then renamed over path. Throws gt::Error naming the path on I/O failure.
void save_graph_cache(const std::string& path, const GraphDataset& data, uint64_t source_hash,
                      const std::string& meta = "");

// Loads a cache written by save_graph_cache into *out. Returns false when the
// file is missing (silently), or when it is stale (other source hash or format
// version), truncated or corrupted: then one line on stderr says why, *out is
// left untouched, and *reason (if given) receives the same explanation.
// Never crashes on a bad file: every size is checked before it is used.
// *meta (if given) receives the meta bytes saved with the data.
bool load_graph_cache(const std::string& path, uint64_t expected_hash, GraphDataset* out,
                      std::string* reason = nullptr, std::string* meta = nullptr);

}  // namespace gt
