// Generic molecule data: a CSV with a SMILES column and target columns,
// featurised exactly as OGB's smiles2graph (ogb/utils/features.py) does, so a
// model trained on ogbg-mol* data reads a user's own molecules the same way.
// Without a split column the molecules get OGB's scaffold split.
//
// The CSV side (smiles_csv.cpp) needs no RDKit. Featurisation and scaffolds
// live in mol_ogb_rdkit.cpp, built only when CMake finds RDKit; otherwise
// mol_ogb_none.cpp makes them throw "gt was built without RDKit ...".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data/graph_source.h"

namespace gt {

struct SmilesCsvOptions {
  std::string smiles_column = "smiles";
  // Target columns. Empty: every other column whose values are numbers
  // (empty = missing allowed), except the split column and id-like columns
  // ("", "id", "index", "*_id", "Unnamed: *").
  std::vector<std::string> targets;
  // Column holding train / valid (or val) / test per row. Empty: scaffold split.
  std::string split_column;
  // "regression" | "binary" | "" = binary when every label is 0 or 1.
  std::string task;
};

// Reads and featurises a SMILES CSV (csv.h rules; gzip'd files are read too).
// Graph i is data row i; SourceGraph::id is its SMILES. Throws gt::Error
// naming file, line and column on any bad input (see the tests).
SourceDataset read_smiles_csv(const std::string& path, const SmilesCsvOptions& opt);

// New molecules for a trained model (gt predict): the SMILES column and,
// where the file has them, the model's target columns (labels to score the
// predictions; a missing column or empty field is NaN). task is the
// model's: Binary labels must be 0 or 1. No split is made. Graphs come back
// featurised as read_smiles_csv's, in row order.
SourceDataset read_smiles_csv_for_prediction(const std::string& path, const std::string& smiles_column,
                                             const std::vector<std::string>& task_names, TaskType task);

// --- OGB molecule featurisation (RDKit) ---------------------------------

// Vocabulary of each OGB atom / bond feature column; the last value of a
// column is "misc" (anything outside OGB's allowable list).
const std::vector<int32_t>& ogb_atom_vocab();  // [119, 5, 12, 12, 10, 6, 6, 2, 2]
const std::vector<int32_t>& ogb_bond_vocab();  // [5, 6, 2]
const std::vector<std::string>& ogb_atom_feature_names();
const std::vector<std::string>& ogb_bond_feature_names();

// True when this build has RDKit (the functions below work).
bool ogb_mol_featurizer_supported();
// "rdkit <version>": OGB features follow RDKit's perception (aromaticity,
// hybridisation), so caches should key on it.
std::string ogb_mol_featurizer_version();

// smiles2graph for every SMILES: (*graphs)[i] gets num_nodes, node_cat
// (9 per atom, RDKit atom order), src/dst/edge_cat (each bond (u, v) in
// RDKit bond order as u->v then v->u, 3 features each) and id = SMILES.
// (*errors)[i] is "" or why SMILES i failed, without location, e.g.
// `RDKit cannot parse "C1CC("`; the graph is then empty. RDKit's own logging
// is silenced meanwhile (callers report the errors with file and line).
void smiles_to_ogb_graphs(const std::vector<std::string>& smiles, std::vector<SourceGraph>* graphs,
                          std::vector<std::string>* errors);

// Bemis-Murcko scaffold SMILES of each molecule, as OGB's splitter computes
// it: RDKit MurckoScaffold.MurckoScaffoldSmiles(smiles, includeChirality=True).
// Acyclic molecules get "". Throws gt::Error (without location) naming the
// first SMILES that does not parse; read_smiles_csv featurises first, so it
// has already reported such rows with their line.
std::vector<std::string> murcko_scaffolds(const std::vector<std::string>& smiles);

// --- Scaffold split (no RDKit) ------------------------------------------

// OGB / deepchem scaffold_split on precomputed scaffolds: group molecules by
// scaffold, order groups by (size, first index) descending (Python's
// sorted(..., reverse=True)), then put each whole group into train while
// train stays <= frac_train * n, else into valid while train + valid stays
// <= (frac_train + frac_valid) * n, else into test. Each list comes out
// sorted ascending, as OGB's split files list them.
void scaffold_split(const std::vector<std::string>& scaffolds, std::vector<int32_t>* train,
                    std::vector<int32_t>* valid, std::vector<int32_t>* test, double frac_train = 0.8,
                    double frac_valid = 0.1);

}  // namespace gt
