// torch.optim.lr_scheduler.ReduceLROnPlateau in mode "min" with a relative
// threshold, stepped once per epoch on the validation loss (SPEC §5).
#pragma once
#include <limits>

namespace gt {

struct ReduceLROnPlateau {
  double factor = 0.5;
  int patience = 15;
  double threshold = 1e-4;  // relative
  int cooldown = 0;
  double min_lr = 0.0;      // the official code leaves the scheduler's floor at 0
  double eps = 1e-8;        // smaller reductions are ignored, as in PyTorch

  // State (checkpointed).
  double best = std::numeric_limits<double>::infinity();
  int num_bad_epochs = 0;
  int cooldown_counter = 0;

  // Returns the learning rate to use from now on.
  double step(double metric, double lr) {
    if (metric < best * (1.0 - threshold)) {
      best = metric;
      num_bad_epochs = 0;
    } else {
      ++num_bad_epochs;
    }
    if (cooldown_counter > 0) {
      --cooldown_counter;
      num_bad_epochs = 0;
    }
    if (num_bad_epochs > patience) {
      const double new_lr = lr * factor > min_lr ? lr * factor : min_lr;
      if (lr - new_lr > eps) lr = new_lr;
      cooldown_counter = cooldown;
      num_bad_epochs = 0;
    }
    return lr;
  }
};

}  // namespace gt
