// OGB molecule featurisation when gt is built without RDKit: the CSV side
// (smiles_csv.cpp) still builds, and using SMILES ends in a clear error.
// CMake compiles *_rdkit.cpp only when RDKit is found but compiles this file
// always, hence the guard.
#ifndef GT_HAVE_RDKIT
#include "core/error.h"
#include "data/smiles_csv.h"

namespace gt {

namespace {

[[noreturn]] void no_rdkit(const std::string& what) {
  fail("gt was built without RDKit, so it cannot " + what +
       " (install RDKit, e.g. scripts/setup.sh or apt-get install librdkit-dev libboost-dev, "
       "and rebuild)");
}

}  // namespace

bool ogb_mol_featurizer_supported() { return false; }

std::string ogb_mol_featurizer_version() { return "none"; }

void smiles_to_ogb_graphs(const std::vector<std::string>& smiles, std::vector<SourceGraph>* graphs,
                          std::vector<std::string>* errors) {
  no_rdkit("turn SMILES into molecular graphs");
}

std::vector<std::string> murcko_scaffolds(const std::vector<std::string>& smiles) {
  no_rdkit("compute Bemis-Murcko scaffolds for a scaffold split");
}

}  // namespace gt
#endif  // GT_HAVE_RDKIT
