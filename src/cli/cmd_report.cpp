// gt report DIR... : the README's results table from run directories.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/error.h"
#include "train/report.h"

namespace gt::cli {

namespace {

const char* kReportHelp =
    "usage: gt report DIR...\n"
    "\n"
    "Prints the markdown results table (SPEC §6) of training runs: one row per config\n"
    "cell (data set, sparse/full attention, BN/LN, LapPE/no PE) with the seeds found,\n"
    "test metric mean ± sample s.d., train metric mean, epochs, s/epoch, hours per run,\n"
    "the paper's mean ± s.d. and (gt - paper) / paper s.d.; runs without results.json\n"
    "(metrics.jsonl only) are listed as in progress. Only ZINC, SBM_PATTERN and\n"
    "SBM_CLUSTER runs are reported.\n"
    "\n"
    "  DIR   a run directory written by gt train (results.json and/or metrics.jsonl),\n"
    "        or a directory holding run directories (e.g. `gt report results`)\n"
    "\n"
    "options:\n"
    "  --help   show this help\n";

}  // namespace

int cmd_report(int argc, char** argv) {
  std::vector<std::string> dirs;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kReportHelp, stdout);
      return 0;
    }
  }
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.size() > 1 && a[0] == '-') fail("unknown option " + a + "\n" + kReportHelp);
    dirs.push_back(a);
  }
  if (dirs.empty()) fail("give at least one run directory (gt report DIR...)\n" + std::string(kReportHelp));
  std::fputs(results_report(dirs).c_str(), stdout);
  return 0;
}

}  // namespace gt::cli
