// gt: train, evaluate and benchmark graph transformers.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/commands.h"
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  try {
    if (cmd == "train") return gt::cli::cmd_train(argc, argv);
    if (cmd == "eval") return gt::cli::cmd_eval(argc, argv);
    if (cmd == "info") return gt::cli::cmd_info(argc, argv);
    if (cmd == "bench") return gt::cli::cmd_bench(argc, argv);
    if (cmd == "data") return gt::cli::cmd_data(argc, argv);
    if (cmd == "predict") return gt::cli::cmd_predict(argc, argv);
    if (cmd == "report") return gt::cli::cmd_report(argc, argv);
    std::fprintf(stderr, "gt: unknown command \"%s\"\n\n%s", cmd.c_str(), kUsage);
    return 2;
  } catch (const gt::Error& e) {
    std::fprintf(stderr, "gt %s: error: %s\n", cmd.c_str(), e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "gt %s: error: out of memory\n", cmd.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gt %s: internal error: %s\n", cmd.c_str(), e.what());
    return 3;
  }
}
