// SMILES -> typed molecular graph through RDKit, by the ZINC typing rule of
// data/zinc/README.md. This header has no RDKit dependency; its functions are
// defined in smiles_rdkit.cpp, which is compiled only when CMake finds RDKit
// (GT_HAVE_RDKIT). Callers must guard their uses with #ifdef GT_HAVE_RDKIT.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gt {

// One molecule as the typing rule names it; mapping tokens to indices is the
// data set's business (it owns the dictionary file).
struct TypedMolecule {
  std::vector<std::string> atom_tokens;  // per heavy atom, RDKit parse order: "C", "N H1 +", ...
  std::vector<int32_t> bond_begin;       // per bond, RDKit bond order
  std::vector<int32_t> bond_end;
  std::vector<int32_t> bond_type;        // 1 SINGLE, 2 DOUBLE, 3 TRIPLE (kekulised)
};

// Featurises every SMILES. (*errors)[i] is "" on success, or a message without
// location, e.g. `RDKit cannot parse "C1CC("`; (*molecules)[i] is then empty.
// RDKit's own logging is silenced meanwhile (callers report the errors).
void smiles_to_typed_molecules(const std::vector<std::string>& smiles,
                               std::vector<TypedMolecule>* molecules,
                               std::vector<std::string>* errors);

// "rdkit <version>": part of cache keys, since typing follows RDKit's writer.
std::string smiles_featurizer_version();

}  // namespace gt
