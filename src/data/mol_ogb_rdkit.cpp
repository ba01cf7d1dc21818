// OGB's smiles2graph (ogb/utils/features.py) and the Bemis-Murcko scaffolds
// of its scaffold splitter, on RDKit's C++ API. Every accessor below is the
// C++ call behind the Python one OGB uses, so the features are OGB's for the
// same RDKit version (tests/cpp/test_smiles_csv.cpp checks them against the
// raw files of four ogbg-mol data sets).
#include <GraphMol/ChemTransforms/ChemTransforms.h>
#include <GraphMol/GraphMol.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <GraphMol/SmilesParse/SmilesWrite.h>
#include <RDGeneral/RDLog.h>
#include <RDGeneral/versions.h>

#include <exception>
#include <memory>

#include "core/error.h"
#include "data/smiles_csv.h"
#include "data/text_table.h"

namespace gt {

namespace {

// OGB's safe_index over an integer list lo, lo+1, ..., lo+count-1 followed by
// "misc": the position in the list, or count (misc) for any other value.
int32_t range_index(int value, int lo, int count) {
  return value >= lo && value < lo + count ? value - lo : count;
}

// possible_chirality_list. OGB uses list.index() here (no misc fallback), so
// RDKit's newer tags (CHI_TETRAHEDRAL, CHI_ALLENE, ...) would raise in
// Python; the list's own "misc" entry is the natural place for them.
int32_t chirality_index(RDKit::Atom::ChiralType tag) {
  switch (tag) {
    case RDKit::Atom::CHI_UNSPECIFIED: return 0;
    case RDKit::Atom::CHI_TETRAHEDRAL_CW: return 1;
    case RDKit::Atom::CHI_TETRAHEDRAL_CCW: return 2;
    case RDKit::Atom::CHI_OTHER: return 3;
    default: return 4;
  }
}

// possible_hybridization_list: S, SP2D, UNSPECIFIED and OTHER are misc.
int32_t hybridization_index(RDKit::Atom::HybridizationType h) {
  switch (h) {
    case RDKit::Atom::SP: return 0;
    case RDKit::Atom::SP2: return 1;
    case RDKit::Atom::SP3: return 2;
    case RDKit::Atom::SP3D: return 3;
    case RDKit::Atom::SP3D2: return 4;
    default: return 5;
  }
}

// possible_bond_type_list: dative, zero-order, ... bonds are misc.
int32_t bond_type_index(RDKit::Bond::BondType t) {
  switch (t) {
    case RDKit::Bond::SINGLE: return 0;
    case RDKit::Bond::DOUBLE: return 1;
    case RDKit::Bond::TRIPLE: return 2;
    case RDKit::Bond::AROMATIC: return 3;
    default: return 4;
  }
}

// possible_bond_stereo_list has no misc entry (OGB uses list.index()); RDKit
// 2022.09 has no other value, and any future one is stereo of unknown kind,
// which STEREOANY (the last index) already means.
int32_t bond_stereo_index(RDKit::Bond::BondStereo s) {
  switch (s) {
    case RDKit::Bond::STEREONONE: return 0;
    case RDKit::Bond::STEREOZ: return 1;
    case RDKit::Bond::STEREOE: return 2;
    case RDKit::Bond::STEREOCIS: return 3;
    case RDKit::Bond::STEREOTRANS: return 4;
    default: return 5;
  }
}

// atom_to_feature_vector, appended to *out.
void atom_features(const RDKit::ROMol& mol, const RDKit::Atom* atom, std::vector<int32_t>* out) {
  const bool in_ring = mol.getRingInfo()->numAtomRings(atom->getIdx()) != 0;  // Atom.IsInRing()
  const int32_t features[9] = {
      range_index(atom->getAtomicNum(), 1, 118),
      chirality_index(atom->getChiralTag()),
      range_index(static_cast<int>(atom->getTotalDegree()), 0, 11),
      range_index(atom->getFormalCharge(), -5, 11),
      range_index(static_cast<int>(atom->getTotalNumHs()), 0, 9),
      range_index(static_cast<int>(atom->getNumRadicalElectrons()), 0, 5),
      hybridization_index(atom->getHybridization()),
      atom->getIsAromatic() ? 1 : 0,
      in_ring ? 1 : 0,
  };
  out->insert(out->end(), features, features + 9);
}

// Trims the blanks RDKit's Python parser would also ignore around a SMILES
// (ogbg-molesol's mol.csv has "...C3O "); inner whitespace is an error
// since RDKit would silently read the rest as the molecule's name.
std::string clean_smiles(const std::string& smiles, std::string* error) {
  size_t begin = 0, end = smiles.size();
  while (begin < end && (smiles[begin] == ' ' || smiles[begin] == '\t')) ++begin;
  while (end > begin && (smiles[end - 1] == ' ' || smiles[end - 1] == '\t')) --end;
  const std::string s = smiles.substr(begin, end - begin);
  if (s.empty()) *error = "empty SMILES";
  for (char c : s)
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      *error = quote_field(s) + " contains whitespace (RDKit would read only what precedes it)";
      break;
    }
  return s;
}

// Parses with RDKit's defaults (sanitised, Hs removed), as Chem.MolFromSmiles;
// *cleaned gets the SMILES without surrounding blanks.
std::unique_ptr<RDKit::RWMol> parse_smiles(const std::string& raw, std::string* cleaned, std::string* error) {
  *cleaned = clean_smiles(raw, error);
  const std::string& smiles = *cleaned;
  if (!error->empty()) return nullptr;
  std::unique_ptr<RDKit::RWMol> mol;
  try {
    mol.reset(RDKit::SmilesToMol(smiles));
  } catch (const std::exception& e) {  // sanitisation (valence, kekulisation) errors
    *error = "RDKit cannot parse " + quote_field(smiles) + " (" + e.what() + ")";
    return nullptr;
  }
  if (!mol) *error = "RDKit cannot parse " + quote_field(smiles);
  return mol;
}

// smiles2graph for one SMILES into *g; returns "" or why it failed.
std::string featurize(const std::string& smiles, SourceGraph* g) {
  std::string error, cleaned;
  const std::unique_ptr<RDKit::RWMol> mol = parse_smiles(smiles, &cleaned, &error);
  if (!mol) return error;
  if (mol->getNumAtoms() == 0) return quote_field(cleaned) + " has no atoms";
  g->id = cleaned;
  g->num_nodes = static_cast<int32_t>(mol->getNumAtoms());
  g->node_cat.reserve(9 * mol->getNumAtoms());
  for (const RDKit::Atom* atom : mol->atoms()) atom_features(*mol, atom, &g->node_cat);
  const size_t m = mol->getNumBonds();
  g->src.reserve(2 * m);
  g->dst.reserve(2 * m);
  g->edge_cat.reserve(6 * m);
  for (const RDKit::Bond* bond : mol->bonds()) {
    const auto u = static_cast<int32_t>(bond->getBeginAtomIdx());
    const auto v = static_cast<int32_t>(bond->getEndAtomIdx());
    const int32_t type = bond_type_index(bond->getBondType());
    const int32_t stereo = bond_stereo_index(bond->getStereo());
    const int32_t conjugated = bond->getIsConjugated() ? 1 : 0;
    g->src.insert(g->src.end(), {u, v});
    g->dst.insert(g->dst.end(), {v, u});
    g->edge_cat.insert(g->edge_cat.end(), {type, stereo, conjugated, type, stereo, conjugated});
  }
  return "";
}

// MurckoScaffold.MurckoScaffoldSmiles(smiles, includeChirality=True): its
// GetScaffoldForMol step by step, then an isomeric canonical SMILES.
std::string scaffold_smiles(const std::string& smiles) {
  std::string error, cleaned;
  const std::unique_ptr<RDKit::RWMol> mol = parse_smiles(smiles, &cleaned, &error);
  if (!mol) fail("scaffold of " + quote_field(smiles) + ": " + error);
  try {
    std::unique_ptr<RDKit::ROMol> scaffold(RDKit::MurckoDecompose(*mol));
    scaffold->clearComputedProps();
    scaffold->updatePropertyCache();
    RDKit::MolOps::symmetrizeSSSR(*scaffold);
    return RDKit::MolToSmiles(*scaffold, /*doIsomericSmiles=*/true);
  } catch (const std::exception& e) {
    fail("scaffold of " + quote_field(smiles) + ": RDKit failed (" + e.what() + ")");
  }
}

}  // namespace

bool ogb_mol_featurizer_supported() { return true; }

std::string ogb_mol_featurizer_version() { return std::string("rdkit ") + RDKit::rdkitVersion; }

void smiles_to_ogb_graphs(const std::vector<std::string>& smiles, std::vector<SourceGraph>* graphs,
                          std::vector<std::string>* errors) {
  // RDKit prints its own parse errors to stderr; ours name file and line instead.
  RDLog::LogStateSetter quiet;
  graphs->assign(smiles.size(), SourceGraph{});
  errors->assign(smiles.size(), std::string());
  for (size_t i = 0; i < smiles.size(); ++i) {
    (*errors)[i] = featurize(smiles[i], &(*graphs)[i]);
    if (!(*errors)[i].empty()) (*graphs)[i] = SourceGraph{};
  }
}

std::vector<std::string> murcko_scaffolds(const std::vector<std::string>& smiles) {
  RDLog::LogStateSetter quiet;
  std::vector<std::string> out;
  out.reserve(smiles.size());
  for (const std::string& s : smiles) out.push_back(scaffold_smiles(s));
  return out;
}

}  // namespace gt
