#include "data/zinc.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "core/error.h"
#include "data/graph_cache.h"
#include "data/smiles_rdkit.h"
#include "data/text_table.h"
#include "graph/eigen.h"
#include "graph/laplacian_pe.h"

namespace gt {

namespace {

// Labels are stored as float; a finite double can still overflow it.
float parse_label(std::string_view field, const std::string& where) {
  const double value = parse_finite_double(field, where, "y");
  const float label = static_cast<float>(value);
  if (!std::isfinite(label)) fail(where + "field \"y\": " + quote_field(field) + " does not fit a 32-bit float");
  return label;
}

// Field names are built only for error messages.
std::string field_name(const char* what, int64_t i, const char* suffix) {
  return std::string(what) + " " + std::to_string(i) + (suffix[0] ? " " : "") + suffix;
}

// Fast path for the many integer tokens of a graph line; the slow,
// message-building parse_int runs only when the token is bad.
int64_t parse_int_fast(std::string_view token, const std::string& where, const char* what, int64_t i,
                       const char* suffix) {
  int64_t value = 0;
  const char* last = token.data() + token.size();
  const auto r = std::from_chars(token.data(), last, value);
  if (r.ec == std::errc() && r.ptr == last && !token.empty()) return value;
  return parse_int(token, where, field_name(what, i, suffix));  // throws with the field named
}

// One line of a pre-typed graph file into a Graph.
Graph parse_typed_graph_line(std::string_view line, const std::string& where, int32_t num_node_types,
                             std::vector<std::string_view>* tokens) {
  split_tokens(line, tokens);
  const std::vector<std::string_view>& t = *tokens;
  if (t.size() < 3) fail(where + "expected at least 3 tokens (y n m), found " + std::to_string(t.size()));
  Graph g;
  g.y = {parse_label(t[0], where)};
  const int64_t n = parse_int(t[1], where, "n");
  const int64_t m = parse_int(t[2], where, "m");
  if (n < 1 || n > 1000000) fail(where + "field \"n\": " + std::to_string(n) + " atoms is not in 1..1000000");
  if (m < 0 || m > 10000000) fail(where + "field \"m\": " + std::to_string(m) + " bonds is not in 0..10000000");
  const size_t expected = 3 + static_cast<size_t>(n) + 3 * static_cast<size_t>(m);
  if (t.size() != expected)
    fail(where + "expected 3 + n + 3m = " + std::to_string(expected) + " tokens for n = " +
         std::to_string(n) + ", m = " + std::to_string(m) + ", found " + std::to_string(t.size()));
  g.num_nodes = static_cast<int32_t>(n);
  g.node_type.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t type = parse_int_fast(t[3 + i], where, "atom", i, "type");
    if (type < 0 || type >= num_node_types)
      fail(where + "field \"atom " + std::to_string(i) + " type\": " + std::to_string(type) +
           " is not in 0.." + std::to_string(num_node_types - 1) + " (atom_types.txt)");
    g.node_type[i] = static_cast<int32_t>(type);
  }
  g.src.reserve(2 * m);
  g.dst.reserve(2 * m);
  g.edge_type.reserve(2 * m);
  for (int64_t j = 0; j < m; ++j) {
    const size_t at = 3 + static_cast<size_t>(n) + 3 * static_cast<size_t>(j);
    const int64_t u = parse_int_fast(t[at], where, "bond", j, "u");
    const int64_t v = parse_int_fast(t[at + 1], where, "bond", j, "v");
    const int64_t b = parse_int_fast(t[at + 2], where, "bond", j, "type");
    for (int64_t x : {u, v})
      if (x < 0 || x >= n)
        fail(where + "field \"bond " + std::to_string(j) + (x == u ? " u" : " v") + "\": atom " +
             std::to_string(x) + " is out of range for " + std::to_string(n) + " atoms");
    if (u == v) fail(where + "bond " + std::to_string(j) + " joins atom " + std::to_string(u) + " to itself");
    if (b < 1 || b > 3)
      fail(where + "field \"bond " + std::to_string(j) + " type\": " + std::to_string(b) +
           " is not 1 (SINGLE), 2 (DOUBLE) or 3 (TRIPLE)");
    // Both directions, u->v first (the edge order every reader shares).
    g.src.push_back(static_cast<int32_t>(u));
    g.dst.push_back(static_cast<int32_t>(v));
    g.src.push_back(static_cast<int32_t>(v));
    g.dst.push_back(static_cast<int32_t>(u));
    g.edge_type.push_back(static_cast<int32_t>(b));
    g.edge_type.push_back(static_cast<int32_t>(b));
  }
  return g;
}

}  // namespace

AtomTypeDictionary parse_atom_type_dictionary(const std::string& path, std::string_view text) {
  AtomTypeDictionary dict;
  dict.path = path;
  LineReader reader(text);
  std::string_view line;
  while (reader.next(&line)) {
    if (line.empty()) continue;
    const std::string where = location(path, reader.line_number());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || space + 1 == line.size())
      fail(where + "expected \"<index> <token>\", found " + quote_field(line));
    const int64_t index = parse_int(line.substr(0, space), where, "index");
    if (index != static_cast<int64_t>(dict.tokens.size()))
      fail(where + "field \"index\": expected " + std::to_string(dict.tokens.size()) + ", found " +
           std::to_string(index) + " (indices must be 0, 1, 2, ... in order)");
    const std::string token(line.substr(space + 1));
    if (!dict.index.emplace(token, static_cast<int32_t>(index)).second)
      fail(where + "field \"token\": " + quote_field(token) + " appears twice");
    dict.tokens.push_back(token);
  }
  if (dict.tokens.empty()) fail(path + ": no atom types (the file is empty)");
  return dict;
}

AtomTypeDictionary read_atom_type_dictionary(const std::string& path) {
  return parse_atom_type_dictionary(path, read_file_bytes(path));
}

std::vector<SmilesRow> parse_smiles_csv(const std::string& path, std::string_view text) {
  LineReader reader(text);
  std::string_view line;
  if (!reader.next(&line)) fail(path + ": file is empty (expected the header \"smiles,y\")");
  if (line != "smiles,y") fail(location(path, 1) + "expected the header \"smiles,y\", found " + quote_field(line));
  std::vector<SmilesRow> rows;
  std::vector<std::string_view> fields;
  while (reader.next(&line)) {
    if (line.empty()) continue;
    const std::string where = location(path, reader.line_number());
    split_fields(line, ',', &fields);
    if (fields.size() != 2)
      fail(where + "expected 2 fields (smiles,y), found " + std::to_string(fields.size()));
    if (fields[0].empty()) fail(where + "field \"smiles\" is empty");
    if (fields[0].find_first_of(" \t") != std::string_view::npos)
      fail(where + "field \"smiles\": " + quote_field(fields[0]) + " contains whitespace");
    rows.push_back(SmilesRow{reader.line_number(), std::string(fields[0]), parse_label(fields[1], where)});
  }
  if (rows.empty()) fail(path + ": no data rows after the header");
  return rows;
}

std::vector<SmilesRow> read_smiles_csv(const std::string& path) {
  return parse_smiles_csv(path, read_file_bytes(path));
}

GraphDataset parse_zinc_typed_graphs(const std::string& path, std::string_view text, int32_t num_node_types) {
  GraphDataset data;
  data.name = path;
  data.node_vocab = {num_node_types};
  data.edge_vocab = {kZincNumEdgeTypes};
  if (text.empty()) fail(path + ": file is empty (expected one graph per line)");
  LineReader reader(text);
  std::string_view line;
  std::vector<std::string_view> tokens;
  while (reader.next(&line)) {
    if (line.empty()) continue;
    data.graphs.push_back(
        parse_typed_graph_line(line, location(path, reader.line_number()), num_node_types, &tokens));
  }
  if (data.graphs.empty()) fail(path + ": no graphs (only blank lines)");
  return data;
}

GraphDataset read_zinc_typed_graphs(const std::string& path, int32_t num_node_types) {
  return parse_zinc_typed_graphs(path, read_file_bytes(path), num_node_types);
}

bool zinc_smiles_supported() {
#ifdef GT_HAVE_RDKIT
  return true;
#else
  return false;
#endif
}

GraphDataset featurize_zinc_csv(const std::string& path, std::string_view text,
                                const AtomTypeDictionary& dictionary) {
#ifdef GT_HAVE_RDKIT
  const std::vector<SmilesRow> rows = parse_smiles_csv(path, text);
  std::vector<std::string> smiles(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) smiles[i] = rows[i].smiles;
  std::vector<TypedMolecule> molecules;
  std::vector<std::string> errors;
  smiles_to_typed_molecules(smiles, &molecules, &errors);
  GraphDataset data;
  data.name = path;
  data.node_vocab = {static_cast<int32_t>(dictionary.tokens.size())};
  data.edge_vocab = {kZincNumEdgeTypes};
  data.graphs.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string where = location(path, rows[i].line) + "field \"smiles\": ";
    if (!errors[i].empty()) fail(where + errors[i]);
    const TypedMolecule& mol = molecules[i];
    Graph& g = data.graphs[i];
    g.num_nodes = static_cast<int32_t>(mol.atom_tokens.size());
    if (g.num_nodes == 0) fail(where + quote_field(rows[i].smiles) + " has no heavy atoms");
    g.node_type.resize(g.num_nodes);
    for (int32_t a = 0; a < g.num_nodes; ++a) {
      const auto it = dictionary.index.find(mol.atom_tokens[a]);
      if (it == dictionary.index.end())
        fail(where + "atom " + std::to_string(a) + " of " + quote_field(rows[i].smiles) + " has type " +
             quote_field(mol.atom_tokens[a]) + " which is not in the " +
             std::to_string(dictionary.tokens.size()) + "-token dictionary (" + dictionary.path + ")");
      g.node_type[a] = it->second;
    }
    for (size_t b = 0; b < mol.bond_type.size(); ++b) {  // u->v then v->u, as in the typed files
      g.src.insert(g.src.end(), {mol.bond_begin[b], mol.bond_end[b]});
      g.dst.insert(g.dst.end(), {mol.bond_end[b], mol.bond_begin[b]});
      g.edge_type.insert(g.edge_type.end(), {mol.bond_type[b], mol.bond_type[b]});
    }
    g.y = {rows[i].y};
  }
  return data;
#else
  fail(path + ": reading SMILES needs RDKit, and this build of gt was made without it "
              "(use the pre-typed <split>_graphs.txt)");
#endif
}

namespace {

// Cache key: everything the cached graphs and PE depend on.
uint64_t zinc_source_hash(const std::string& source_kind, const std::string& source_bytes,
                          const std::string& dictionary_bytes, int32_t pe_dim) {
  uint64_t h = fnv1a64(source_kind.data(), source_kind.size());
  h = fnv1a64(source_bytes.data(), source_bytes.size(), h);
  h = fnv1a64(dictionary_bytes.data(), dictionary_bytes.size(), h);
  h = fnv1a64(&pe_dim, sizeof pe_dim, h);
  h = fnv1a64(&kZincFeaturizerVersion, sizeof kZincFeaturizerVersion, h);
  if (pe_dim > 0) {
    // Degenerate eigenspaces come out in a solver-specific basis.
    const std::string solver = symmetric_eigen_solver_name();
    h = fnv1a64(solver.data(), solver.size(), h);
  }
  return h;
}

// Which file a split is built from in this build, and its kind for the cache key.
void zinc_source(const std::string& zinc_dir, const std::string& split, std::string* path,
                 std::string* kind) {
#ifdef GT_HAVE_RDKIT
  *path = zinc_dir + "/" + split + ".csv";
  *kind = "smiles-csv " + smiles_featurizer_version();
#else
  *path = zinc_dir + "/" + split + "_graphs.txt";
  *kind = "typed-graphs";
#endif
}

// Builds the split's graphs (no PE) from its source bytes.
GraphDataset build_zinc_split(const std::string& path, const std::string& bytes,
                              const AtomTypeDictionary& dictionary) {
#ifdef GT_HAVE_RDKIT
  return featurize_zinc_csv(path, bytes, dictionary);
#else
  static std::once_flag notice;
  std::call_once(notice, [] {
    std::cerr << "gt: built without RDKit; reading the pre-typed ZINC graphs (<split>_graphs.txt)\n";
  });
  return parse_zinc_typed_graphs(path, bytes, static_cast<int32_t>(dictionary.tokens.size()));
#endif
}

}  // namespace

GraphDataset load_zinc_split(const std::string& zinc_dir, const std::string& split, int pe_dim,
                             const std::string& cache_dir) {
  if (split != "train" && split != "val" && split != "test")
    fail("unknown ZINC split " + quote_field(split) + " (expected train, val or test)");
  if (pe_dim < 0) fail("Laplacian PE dimension must be >= 0, got " + std::to_string(pe_dim));
  const std::string dictionary_path = zinc_dir + "/atom_types.txt";
  const std::string dictionary_bytes = read_file_bytes(dictionary_path);
  const AtomTypeDictionary dictionary = parse_atom_type_dictionary(dictionary_path, dictionary_bytes);

  // The key needs the source bytes, so read them first; parsing is what the cache saves.
  std::string source_path, kind;
  zinc_source(zinc_dir, split, &source_path, &kind);
  const std::string source_bytes = read_file_bytes(source_path);
  const uint64_t hash = zinc_source_hash(kind, source_bytes, dictionary_bytes, pe_dim);
  std::string cache_path;
  if (!cache_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(cache_dir, ec);
    if (ec) fail(cache_dir + ": cannot create the cache directory (" + ec.message() + ")");
    cache_path = cache_dir + "/zinc_" + split + "_pe" + std::to_string(pe_dim) + ".gtg";
    GraphDataset cached;
    if (load_graph_cache(cache_path, hash, &cached)) return cached;
  }
  GraphDataset data = build_zinc_split(source_path, source_bytes, dictionary);
  data.name = "ZINC/" + split;
  compute_laplacian_pe(&data, pe_dim);
  if (!cache_path.empty()) {
    try {
      save_graph_cache(cache_path, data, hash);
    } catch (const Error& e) {  // the cache only saves time; the data is still good
      std::cerr << "gt: warning: could not write the graph cache: " << e.what() << "\n";
    }
  }
  return data;
}

}  // namespace gt
