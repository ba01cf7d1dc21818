// The ZINC typing rule (data/zinc/README.md) on RDKit's C++ API:
// kekulise with aromatic flags cleared, let RDKit's SMILES writer decide which
// atoms need brackets, and name bracket atoms `Symbol[ H<n>][ +|-]`.
#include "data/smiles_rdkit.h"

#include <GraphMol/GraphMol.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <exception>
#include <memory>

namespace gt {

namespace {

// Token of one atom of a kekulised molecule.
std::string atom_token(const RDKit::Atom* atom) {
  // Exactly the writer's call for a kekulé, isomeric SMILES: whether it
  // brackets the atom (charge, chirality, unusual valence, explicit H on a
  // non-default valence, ...) is what separates "C" from "C H1".
  const std::string written = RDKit::SmilesWrite::GetAtomSmiles(
      atom, /*doKekule=*/true, /*bondIn=*/nullptr, /*allHsExplicit=*/false, /*isomericSmiles=*/true);
  std::string token = atom->getSymbol();
  if (written.empty() || written[0] != '[') return token;
  // Bracket atom: H count and charge sign; chirality and isotope are dropped.
  const unsigned hydrogens = atom->getTotalNumHs();
  if (hydrogens > 0) token += " H" + std::to_string(hydrogens);
  const int charge = atom->getFormalCharge();
  if (charge > 0) token += " +";
  if (charge < 0) token += " -";
  return token;
}

// Featurises one SMILES into *out; returns "" or the reason it failed.
std::string featurize(const std::string& smiles, TypedMolecule* out) {
  for (char c : smiles)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      return "\"" + smiles + "\" contains whitespace (RDKit would read the rest as a name)";
  std::unique_ptr<RDKit::RWMol> mol;
  try {
    mol.reset(RDKit::SmilesToMol(smiles));
  } catch (const std::exception& e) {  // sanitisation (valence, aromaticity) errors
    return "RDKit cannot parse \"" + smiles + "\" (" + e.what() + ")";
  }
  if (!mol) return "RDKit cannot parse \"" + smiles + "\"";
  try {
    RDKit::MolOps::Kekulize(*mol, /*markAtomsBonds=*/true);  // clears aromatic flags
  } catch (const std::exception& e) {
    return "RDKit cannot kekulise \"" + smiles + "\" (" + e.what() + ")";
  }
  out->atom_tokens.reserve(mol->getNumAtoms());
  for (const RDKit::Atom* atom : mol->atoms()) out->atom_tokens.push_back(atom_token(atom));
  for (const RDKit::Bond* bond : mol->bonds()) {
    int32_t type = 0;
    switch (bond->getBondType()) {
      case RDKit::Bond::SINGLE: type = 1; break;
      case RDKit::Bond::DOUBLE: type = 2; break;
      case RDKit::Bond::TRIPLE: type = 3; break;
      default:
        return "bond " + std::to_string(bond->getIdx()) + " of \"" + smiles + "\" has RDKit type " +
               std::to_string(static_cast<int>(bond->getBondType())) +
               ", not SINGLE, DOUBLE or TRIPLE after kekulisation";
    }
    out->bond_begin.push_back(static_cast<int32_t>(bond->getBeginAtomIdx()));
    out->bond_end.push_back(static_cast<int32_t>(bond->getEndAtomIdx()));
    out->bond_type.push_back(type);
  }
  return "";
}

}  // namespace

void smiles_to_typed_molecules(const std::vector<std::string>& smiles,
                               std::vector<TypedMolecule>* molecules,
                               std::vector<std::string>* errors) {
  // RDKit prints its own parse errors to stderr; ours name file and line instead.
  RDLog::LogStateSetter quiet;
  molecules->assign(smiles.size(), TypedMolecule{});
  errors->assign(smiles.size(), std::string());
  for (size_t i = 0; i < smiles.size(); ++i) {
    (*errors)[i] = featurize(smiles[i], &(*molecules)[i]);
    if (!(*errors)[i].empty()) (*molecules)[i] = TypedMolecule{};
  }
}

std::string smiles_featurizer_version() { return std::string("rdkit ") + RDKit::rdkitVersion; }

}  // namespace gt
