// OGB graph-property data sets (ogbg-molbace, ogbg-molhiv, ...) in OGB's raw
// CSV format, the files OGB downloads before building its own cache
// (data/ogb/README.md). A data set is a folder DIR holding
//   raw/num-node-list.csv.gz  required  one int n_g per graph (n_g >= 1)
//   raw/num-edge-list.csv.gz  required  one int m_g per graph (bonds, one direction)
//   raw/edge.csv.gz           required  sum(m_g) rows "src,dst", ids local to the graph, 0-based
//   raw/node-feat.csv.gz      required* sum(n_g) rows of feature columns
//   raw/edge-feat.csv.gz      required* sum(m_g) rows of feature columns
//   raw/graph-label.csv.gz    required  one row per graph, one field per task
//   split/<split>/{train,valid,test}.csv.gz   one 0-based graph index per line
//   mapping/mol.csv.gz        optional  its header names the tasks
// and DIR/../master.csv, OGB's meta table, when present (* a feature file may
// be absent only when master.csv says has_node_attr / has_edge_attr False).
// No CSV file has a header. Each X.csv.gz may also be a plain X.csv; gzip is
// detected from the bytes, not the name.
#pragma once
#include <string>

#include "data/graph_source.h"

namespace gt {

// Reads the OGB data set in `dir` with the split of that name (empty: the
// split master.csv names, else "scaffold").
//
// Output (SourceDataset):
//  - name: the folder name with '_' -> '-' (ogbg_molbace -> "ogbg-molbace"),
//    which is also the master.csv column that describes it.
//  - meta from master.csv: add_inverse_edge, task type (binary/regression/
//    multiclass; num classes), num tasks, eval metric, data type. Without a
//    master.csv column: add_inverse_edge = true, Binary when every label is
//    0, 1 or missing, Regression otherwise; eval_metric empty; a molecule set
//    when the name starts with "ogbg-mol".
//  - molecule sets: 9 categorical atom columns with OGB's vocabularies
//    [119,5,12,12,10,6,6,2,2] and 3 bond columns [5,6,2]; a value outside its
//    vocabulary is an error. Other sets: a column of non-negative integers is
//    categorical with vocab = max + 1; any other column is continuous (float).
//  - edges: with add_inverse_edge every bond (u,v) becomes (u,v),(v,u) with
//    its features repeated, exactly as OGB's read_csv_graph_raw; otherwise
//    the rows as they are.
//  - y: one float per task; an empty field or "nan" is a missing label (NaN).
//  - SourceGraph::id is the graph's 0-based index as text; train/val/test are
//    the split files' indices in file order.
// Throws gt::Error naming file, line and field for malformed input: a missing
// file, counts that disagree between files, a node id outside its graph, an
// empty graph, a feature outside its vocabulary or not finite, a split index
// out of range or listed twice, a wrong column count, corrupt gzip.
SourceDataset read_ogb_graphprop(const std::string& dir, const std::string& split = "scaffold");

}  // namespace gt
