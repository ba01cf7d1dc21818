// gt report (train/report.h): the results table from run directories, and
// the --seeds list parser of gt train.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "expect_error.h"
#include "gt/gt.h"
#include "temp_dir.h"
#include "train/report.h"

namespace {

std::string results_json(const std::string& dataset, long long seed, const std::string& metric,
                         double test, double train, int epochs, double spe, double total, bool full,
                         bool bn, bool pe) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "{\"dataset\": \"%s\", \"seed\": %lld, \"epochs\": %d, \"metric\": \"%s\",\n"
                " \"train_%s\": %.17g, \"val_%s\": 0.5, \"test_%s\": %.17g,\n"
                " \"total_seconds\": %.17g, \"seconds_per_epoch\": %.17g,\n"
                " \"config\": {\"dataset\": \"%s\", \"net_params\": {\"full_graph\": %s,"
                " \"batch_norm\": %s, \"layer_norm\": %s, \"lap_pos_enc\": %s}}}\n",
                dataset.c_str(), seed, epochs, metric.c_str(), metric.c_str(), train, metric.c_str(),
                metric.c_str(), test, total, spe, dataset.c_str(), full ? "true" : "false",
                bn ? "true" : "false", bn ? "false" : "true", pe ? "true" : "false");
  return buf;
}

// Run directories under one parent: two ZINC seeds of one cell, one SBM_PATTERN
// seed, a ZINC cell the paper lacks, a run in progress, and what must be skipped.
void write_runs(const gt::test::TempDir& t) {
  namespace fs = std::filesystem;
  for (const char* d : {"zinc_s95", "zinc_s41", "pattern_full", "zinc_full_ln_nope", "zinc_live",
                        "tu_run", "tu_live", "empty"})
    fs::create_directories(t.file(d));
  // Directory order (zinc_s41 after zinc_s95) differs from seed order on purpose.
  t.write("zinc_s95/results.json",
          results_json("ZINC", 95, "mae", 0.27, 0.09, 300, 20.0, 7200.0, false, true, true));
  t.write("zinc_s41/results.json",
          results_json("ZINC", 41, "mae", 0.25, 0.07, 200, 10.0, 3600.0, false, true, true));
  // s/epoch is the median epoch of the run's log (11 here: the 500 s epoch, a
  // pause, does not count); zinc_s95 has no log and falls back to results.json.
  t.write("zinc_s41/metrics.jsonl",
          "{\"epoch\":1,\"lr\":0.0007,\"test_mae\":0.9,\"val_mae\":0.9,\"seconds\":9}\n"
          "{\"epoch\":2,\"lr\":0.0007,\"test_mae\":0.8,\"val_mae\":0.8,\"seconds\":500}\n"
          "{\"epoch\":3,\"lr\":0.0007,\"test_mae\":0.7,\"val_mae\":0.7,\"seconds\":11}\n");
  t.write("pattern_full/results.json",
          results_json("SBM_PATTERN", 41, "acc", 50.0, 51.0, 100, 30.0, 3000.0, true, true, true));
  t.write("zinc_full_ln_nope/results.json",
          results_json("ZINC", 7, "mae", 0.5, 0.4, 10, 1.0, 10.0, true, false, false));
  t.write("zinc_live/metrics.jsonl",
          "{\"epoch\":1,\"lr\":0.0007,\"train_mae\":0.7,\"val_mae\":0.6,\"test_mae\":0.65,\"seconds\":10.0}\n"
          "{\"epoch\":2,\"lr\":0.00035,\"train_mae\":0.6,\"val_mae\":0.5,\"test_mae\":0.55,\"seconds\":20.0}\n\n"
          "{\"epoch\":3,\"lr\":0.00035,\"train_mae\":0.5,\"val_mae\":0.4,\"test_mae\":0.45,\"seconds\":900.0}\n");
  // Not a benchmark data set: skipped whether finished or in progress.
  t.write("tu_run/results.json",
          results_json("data/tu/MUTAG", 41, "acc", 90.0, 95.0, 10, 1.0, 10.0, false, true, true));
  t.write("tu_live/metrics.jsonl",
          "{\"epoch\":1,\"lr\":0.001,\"train_acc\":60,\"val_acc\":60,\"test_acc\":60,\"seconds\":1.0}\n");
  t.write("tu_live/config.json", "{\"dataset\": \"data/tu/MUTAG\"}\n");
}

const char* kExpected =
    "| data set | attention | norm | PE | seeds | test metric (gt) | train metric (gt) | paper | "
    "(gt - paper) / paper s.d. | epochs | s/epoch (paper) | hours (paper) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    // (50 - 54.941) / 3.739 = -1.32; one seed: no s.d.
    "| SBM_PATTERN | full | BN | LapPE | 41 | 50.000 | 51.000 | 54.941 ± 3.739 | -1.3 | 100 | 30.0 | 0.83 |\n"
    // No paper number for this cell.
    "| ZINC | full | LN | no PE | 7 | 0.500 | 0.400 | — | — | 10 | 1.0 | 0.00 |\n"
    // mean 0.26, sample s.d. sqrt(2 * 0.01^2 / 1) = 0.0141; (0.26 - 0.226) / 0.014 = +2.43.
    // s/epoch: mean of s41's median epoch (11) and s95's results.json value (20).
    "| ZINC | sparse | BN | LapPE | 41,95 | 0.260 ± 0.014 | 0.080 | 0.226 ± 0.014 | +2.4 | 250 | 15.5 (27.78) "
    "| 1.50 (2.25) |\n"
    "\n"
    "Runs in progress (continued with `gt train --resume`); latest epoch of each:\n"
    "\n"
    "| run | epochs so far | lr | val metric | test metric | s/epoch |\n"
    "|---|---|---|---|---|---|\n"
    // The median of 10, 20 and 900 s (the mean would be 310).
    "| zinc_live | 3 | 3.50e-04 | mae 0.4000 | mae 0.4500 | 20.0 |\n";

TEST(Report, TableOfRunDirectories) {
  gt::test::TempDir t;
  write_runs(t);
  const std::vector<std::string> dirs = {t.file("empty"),     t.file("pattern_full"), t.file("tu_live"),
                                         t.file("tu_run"),    t.file("zinc_full_ln_nope"),
                                         t.file("zinc_live"), t.file("zinc_s41"),     t.file("zinc_s95")};
  EXPECT_EQ(gt::results_report(dirs), kExpected);
}

TEST(Report, ParentDirectoryIsScanned) {
  gt::test::TempDir t;
  write_runs(t);
  EXPECT_EQ(gt::results_report({t.str()}), kExpected);
  // A trailing slash names the same directory.
  EXPECT_EQ(gt::results_report({t.str() + "/"}), kExpected);
}

// A run on another generated SBM draw ("data_seed" in results.json) is its own
// row, still compared with the paper's cell; the default draw (1) is not marked.
TEST(Report, OtherSbmDrawOrPeSignIsItsOwnRow) {
  gt::test::TempDir t;
  namespace fs = std::filesystem;
  const auto with_draw = [](std::string json, long long draw) {
    return "{\"data_seed\": " + std::to_string(draw) + ", " + json.substr(1);
  };
  const auto with_random_signs = [](std::string json) {
    const std::string at = "\"config\": {";
    return json.insert(json.find(at) + at.size(), "\"pe_sign\": \"random\", ");
  };
  for (const char* d : {"c41", "c95", "c41_draw2", "c41_signs", "c12_draw2_signs"})
    fs::create_directories(t.file(d));
  t.write("c41/results.json",
          with_draw(results_json("SBM_CLUSTER", 41, "acc", 71.0, 85.0, 120, 60.0, 7200.0, false, true, true), 1));
  t.write("c95/results.json",
          results_json("SBM_CLUSTER", 95, "acc", 72.0, 86.0, 130, 60.0, 7200.0, false, true, true));
  t.write("c41_draw2/results.json",
          with_draw(results_json("SBM_CLUSTER", 41, "acc", 73.0, 85.0, 125, 64.0, 8000.0, false, true, true), 2));
  t.write("c41_signs/results.json", with_random_signs(results_json("SBM_CLUSTER", 41, "acc", 72.5, 85.0,
                                                                     120, 60.0, 7200.0, false, true, true)));
  t.write("c12_draw2_signs/results.json",
          with_draw(with_random_signs(results_json("SBM_CLUSTER", 12, "acc", 73.5, 85.0, 120, 60.0, 7200.0,
                                                   false, true, true)), 2));
  EXPECT_EQ(gt::results_report({t.str()}),
            "| data set | attention | norm | PE | seeds | test metric (gt) | train metric (gt) | paper | "
            "(gt - paper) / paper s.d. | epochs | s/epoch (paper) | hours (paper) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
            // mean 71.5, s.d. 0.707; (71.5 - 73.169) / 0.622 = -2.68.
            "| SBM_CLUSTER | sparse | BN | LapPE | 41,95 | 71.500 ± 0.707 | 85.500 | 73.169 ± 0.622 | -2.7 | 125 "
            "| 60.0 (201.06) | 2.00 (7.20) |\n"
            // (73 - 73.169) / 0.622 = -0.27.
            "| SBM_CLUSTER (random PE signs) | sparse | BN | LapPE | 41 | 72.500 | 85.000 | 73.169 ± 0.622 "
            "| -1.1 | 120 | 60.0 (201.06) | 2.00 (7.20) |\n"
            "| SBM_CLUSTER (draw 2) | sparse | BN | LapPE | 41 | 73.000 | 85.000 | 73.169 ± 0.622 | -0.3 | 125 "
            "| 64.0 (201.06) | 2.22 (7.20) |\n"
            "| SBM_CLUSTER (draw 2, random PE signs) | sparse | BN | LapPE | 12 | 73.500 | 85.000 | "
            "73.169 ± 0.622 | +0.5 | 120 | 60.0 (201.06) | 2.00 (7.20) |\n");
}

TEST(Report, NoRunsGivesHeaderOnly) {
  gt::test::TempDir t;
  const std::string r = gt::results_report({t.str(), t.file("missing")});
  EXPECT_EQ(r,
            "| data set | attention | norm | PE | seeds | test metric (gt) | train metric (gt) | paper | "
            "(gt - paper) / paper s.d. | epochs | s/epoch (paper) | hours (paper) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

TEST(Report, MalformedResultsNameTheFile) {
  gt::test::TempDir t;
  std::filesystem::create_directories(t.file("bad"));
  t.write("bad/results.json", "{\"seed\": 41,}");
  gt::test::expect_error([&] { gt::results_report({t.file("bad")}); }, {"bad/results.json"});
}

TEST(SeedList, Parses) {
  EXPECT_EQ(gt::parse_seed_list("41,95,22,35"), (std::vector<int64_t>{41, 95, 22, 35}));
  EXPECT_EQ(gt::parse_seed_list("0"), (std::vector<int64_t>{0}));
}

TEST(SeedList, NamesEveryBadItem) {
  gt::test::expect_error([] { gt::parse_seed_list("41,,x"); },
                         {"--seeds \"41,,x\"", "item 2 is empty", "item 3 \"x\" is not a non-negative integer"});
  gt::test::expect_error([] { gt::parse_seed_list(""); }, {"item 1 is empty"});
  gt::test::expect_error([] { gt::parse_seed_list("41,-3"); }, {"item 2 \"-3\""});
  gt::test::expect_error([] { gt::parse_seed_list("41, 95"); }, {"item 2 \" 95\""});
  gt::test::expect_error([] { gt::parse_seed_list("41,95,41"); }, {"item 3 repeats seed 41"});
  gt::test::expect_error([] { gt::parse_seed_list("99999999999999999999"); }, {"item 1"});
}

TEST(SeedList, TrainRejectsSeedsWithSeedOrCv) {
  gt::TrainOptions o;
  o.config_path = "unused.json";
  o.seeds = {41, 95};
  o.seed = 41;
  gt::test::expect_error([&] { gt::train(o); }, {"seed", "seeds"});
  o.seed = -1;
  o.cross_validation = true;
  gt::test::expect_error([&] { gt::train(o); }, {"cross-validation"});
}

}  // namespace
