// gt: train, evaluate and benchmark graph transformers.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"
#include "gt/gt.h"
#include "core/error.h"

namespace {

const char* kUsage =
    "gt - Graph Transformers in C++\n"
    "\n"
    "usage: gt <command> [options]\n"
    "\n"
    "commands:\n"
    "  train   train a model from a JSON config (official format; --cv: k-fold cross-validation)\n"
    "  eval    evaluate a checkpoint on a split\n"
    "  predict apply a checkpoint to new graphs (SMILES CSV, OGB or TU) and write a CSV\n"
    "  report  print the results table (SPEC §6) of run directories: gt report results\n"
    "  info    print a config's model and its parameter count\n"
    "  bench   time training steps and inference, count GEMM FLOPs, measure the GEMM peak\n"
    "  data    generate a data set (gt data sbm --kind pattern|cluster)\n"
    "\n"
    "`gt <command> --help` lists a command's options.\n";

int run_command(const std::string& cmd, int argc, char** argv) {
  if (cmd == "train") return gt::cli::cmd_train(argc, argv);
  if (cmd == "eval") return gt::cli::cmd_eval(argc, argv);
  if (cmd == "info") return gt::cli::cmd_info(argc, argv);
  if (cmd == "bench") return gt::cli::cmd_bench(argc, argv);
  if (cmd == "data") return gt::cli::cmd_data(argc, argv);
  if (cmd == "predict") return gt::cli::cmd_predict(argc, argv);
  if (cmd == "report") return gt::cli::cmd_report(argc, argv);
  std::fprintf(stderr, "gt: unknown command \"%s\"\n\n%s", cmd.c_str(), kUsage);
  return 2;
}

// Prints the error; on one of several ranks, names the rank and ends the
// whole job (MPI_Abort), so that no other rank waits forever in a collective.
int report_error(const std::string& cmd, const char* kind, const char* what, int code) {
  if (gt::distributed_size() > 1) {
    std::fprintf(stderr, "gt %s (rank %d of %d): %s%s\n", cmd.c_str(), gt::distributed_rank(),
                 gt::distributed_size(), kind, what);
    std::fflush(stderr);
    gt::abort_distributed(code);
  }
  std::fprintf(stderr, "gt %s: %s%s\n", cmd.c_str(), kind, what);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  try {
    // Under mpirun: join the job's ranks (only `gt train` runs on several).
    gt::init_distributed(&argc, &argv);
    if (gt::distributed_size() > 1 && cmd != "train")
      gt::fail("only `gt train` runs on several ranks; start `gt " + cmd + "` without mpirun");
    const int rc = run_command(cmd, argc, argv);
    gt::finalize_distributed();
    return rc;
  } catch (const gt::Error& e) {
    return report_error(cmd, "error: ", e.what(), 1);
  } catch (const std::bad_alloc&) {
    return report_error(cmd, "error: ", "out of memory", 1);
  } catch (const std::exception& e) {
    return report_error(cmd, "internal error: ", e.what(), 3);
  }
}
