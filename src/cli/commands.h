#pragma once

namespace gt::cli {
int cmd_train(int argc, char** argv);
int cmd_info(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_data(int argc, char** argv);
int cmd_predict(int argc, char** argv);
int cmd_report(int argc, char** argv);
}  // namespace gt::cli
