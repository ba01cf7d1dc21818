// gt predict --checkpoint FILE --input PATH [--format F] [--out FILE] [--threads T]
#include <cstdio>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/parallel.h"
#include "train/predict.h"

namespace gt::cli {

int cmd_predict(int argc, char** argv) {
  Args args("predict", "gt predict --checkpoint FILE --input PATH [options]");
  args.option("checkpoint", "a checkpoint written by gt train on your own data (required)")
      .option("input", "graphs to predict: a SMILES CSV, an OGB folder or a TU folder (required)")
      .option("format", "smiles_csv, ogb or tu (default: the model's; molecule models read SMILES CSVs)")
      .option("out", "predictions CSV to write (default: none)")
      .option("threads", "CPU threads (default: all cores)")
      .flag("help", "show this help");
  if (args.print_help_if_asked(argc, argv, 2)) return 0;
  args.parse(argc, argv, 2);
  if (!args.has("checkpoint") || !args.has("input"))
    fail("--checkpoint FILE and --input PATH are required\n" + args.help());
  if (args.has("threads")) set_num_threads(static_cast<int>(args.get_int("threads", 0, 1)));
  PredictOptions o;
  o.checkpoint = args.get("checkpoint");
  o.input = args.get("input");
  o.format = args.get("format");
  o.out = args.get("out");
  const PredictResult r = run_prediction(o);
  const double total = r.read_seconds + r.model_seconds;
  std::printf("%lld graphs: read and featurised in %.3f s, predicted in %.3f s (%.0f graphs/s; %.0f "
              "graphs/s end to end)\n",
              static_cast<long long>(r.graphs), r.read_seconds, r.model_seconds,
              r.model_seconds > 0 ? r.graphs / r.model_seconds : 0.0, total > 0 ? r.graphs / total : 0.0);
  if (r.scored) std::printf("%s: %.4f (over the input's labels)\n", r.metric.c_str(), r.value);
  if (!o.out.empty()) std::printf("predictions: %s\n", o.out.c_str());
  return 0;
}

}  // namespace gt::cli
