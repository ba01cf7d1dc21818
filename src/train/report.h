// `gt report`: the README's results table (SPEC §6) from run directories.
//
// A run directory holds results.json (written by `gt train` when a run ends)
// and/or metrics.jsonl (one line per epoch, so a run in progress shows too).
// Finished runs are grouped by config cell (data set, sparse/full attention,
// BN/LN, LapPE/no PE) and compared with the paper's mean ± s.d. over seeds;
// runs with only metrics.jsonl are listed in a second "in progress" table.
// scripts/results_table.py prints the same table (the fallback of
// scripts/update_readme_results.py when no gt binary is built).
#pragma once
#include <string>
#include <vector>

namespace gt {

// The markdown tables for the runs under `dirs`. Each entry is a run
// directory (has results.json or metrics.jsonl) or a directory that contains
// run directories (its immediate subdirectories are scanned, in name order).
// Runs of data sets other than ZINC, SBM_PATTERN and SBM_CLUSTER (by the
// config in results.json, or config.json beside metrics.jsonl) and directories
// with neither file are skipped. Per cell: the seeds, test metric mean ±
// sample s.d. (none for one seed), train metric mean, mean final epoch,
// s/epoch, hours per run, the paper's mean ± s.d. and (gt - paper) / paper s.d.
// gt::Error names the file when a results.json or metrics.jsonl is malformed.
std::string results_report(const std::vector<std::string>& dirs);

}  // namespace gt
