// ZINC 12k molecular regression (data/zinc/README.md): reading the splits,
// typing atoms into the 28-token dictionary, the binary cache and the
// Laplacian PE. With RDKit (GT_HAVE_RDKIT) graphs are built from the SMILES in
// <split>.csv; without it, from the pre-typed <split>_graphs.txt (same graphs).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/graph.h"

namespace gt {

// Bond vocabulary of bond_types.txt: 0 NONE (used by full-graph models),
// 1 SINGLE, 2 DOUBLE, 3 TRIPLE.
constexpr int32_t kZincNumEdgeTypes = 4;
// Bump when the typing or graph layout changes: invalidates existing caches.
constexpr uint32_t kZincFeaturizerVersion = 1;

// Loads one split: "train", "val" or "test". pe_dim > 0 also computes the
// Laplacian PE (graph/laplacian_pe.h). With a non-empty cache_dir (created if
// missing) the result is cached in <cache_dir>/zinc_<split>_pe<k>.gtg and
// reused while the source file, dictionary, pe_dim, featuriser and
// eigen-solver are unchanged. Edges: each bond (u, v), in RDKit bond order,
// becomes u->v then v->u. Throws gt::Error naming file, line and field on bad input.
GraphDataset load_zinc_split(const std::string& zinc_dir, const std::string& split, int pe_dim,
                             const std::string& cache_dir);

// Atom-type dictionary (atom_types.txt): lines "<index> <token>", indices
// 0, 1, 2, ... in order; a token may contain spaces ("N H1 +").
struct AtomTypeDictionary {
  std::string path;                               // for error messages
  std::vector<std::string> tokens;                // index -> token
  std::unordered_map<std::string, int32_t> index; // token -> index
};
AtomTypeDictionary read_atom_type_dictionary(const std::string& path);
AtomTypeDictionary parse_atom_type_dictionary(const std::string& path, std::string_view text);

// One data row of a `smiles,y` CSV.
struct SmilesRow {
  int64_t line;  // 1-based line in the file, for error messages
  std::string smiles;
  float y;
};
// Reads a CSV with header `smiles,y` (no RDKit needed: text checks only:
// header, two fields, non-empty SMILES without whitespace, finite y). Blank
// lines are skipped. Throws gt::Error "<path>:<line>: field ...".
std::vector<SmilesRow> read_smiles_csv(const std::string& path);
std::vector<SmilesRow> parse_smiles_csv(const std::string& path, std::string_view text);

// Reads a pre-typed graph file (<split>_graphs.txt, format in the README):
// `y n m a_0..a_{n-1} u_0 v_0 b_0 ...`, one graph per line, atom types checked
// against num_node_types. Sets name = path, pe_dim = 0.
GraphDataset read_zinc_typed_graphs(const std::string& path, int32_t num_node_types = 28);
GraphDataset parse_zinc_typed_graphs(const std::string& path, std::string_view text,
                                     int32_t num_node_types);

// Builds graphs from a `smiles,y` CSV with RDKit. Throws gt::Error when this
// build has no RDKit (see zinc_smiles_supported()).
GraphDataset featurize_zinc_csv(const std::string& path, std::string_view text,
                                const AtomTypeDictionary& dictionary);
bool zinc_smiles_supported();

}  // namespace gt
