// gt data sbm --kind pattern|cluster [--seed S] [--out DIR] [--pe K]
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/parallel.h"
#include "data/sbm.h"
#include "train/datasets.h"

namespace gt::cli {

int cmd_data(int argc, char** argv) {
  Args args("data sbm", "gt data sbm --kind pattern|cluster [--seed S] [--out DIR] [--pe K]");
  args.option("kind", "pattern or cluster (SPEC §7)")
      .option("seed", "generator seed (default: the one gt train uses)")
      .option("out", "output directory (default: the data cache gt train reads)")
      .option("pe", "Laplacian PE columns (default: 2 for PATTERN, 10 for CLUSTER)")
      .option("threads", "CPU threads (the output does not depend on it)")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  if (argc < 3 || std::string(argv[2]) != "sbm")
    fail("the only generator is `sbm`\n" + args.help());
  args.parse(argc, argv, 3);
  if (!args.has("kind")) fail("--kind pattern|cluster is required");
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  const SbmKind kind = parse_sbm_kind(args.get("kind"));
  const uint64_t seed = static_cast<uint64_t>(args.get_int("seed", static_cast<long long>(kSbmDataSeed), 0));
  const int pe = static_cast<int>(args.get_int("pe", sbm_default_pe_dim(kind), 0));
  const std::string out = args.get("out", default_data_dir() + "/cache");
  write_sbm_dataset(kind, seed, pe, out, stdout);
  return 0;
}

}  // namespace gt::cli
