// Evaluation metrics of whole splits, with the semantics of the reference
// implementations they are compared against (scikit-learn, OGB's
// graphproppred Evaluator), so reported numbers mean the same thing.
// Multi-task inputs are row-major [n, T]; a NaN label is a missing label
// (OGB: is_labeled = y == y). Every metric throws gt::Error rather than
// return a meaningless number when there is nothing to measure.
#pragma once
#include <cstdint>

namespace gt {

// sklearn.metrics.roc_auc_score for binary labels (each exactly 0 or 1): the
// Mann-Whitney U statistic / (positives x negatives), tied scores counting
// 1/2. O(n log n). Throws unless both classes are present, or when a label is
// not 0/1 or a score is not finite (sklearn rejects NaN/inf too).
double roc_auc(const float* score, const float* label, int64_t n);

// ogb.graphproppred.Evaluator's "rocauc": per task, the AUC over its labelled
// rows, kept only if the task has at least one positive and one negative
// label; the mean over kept tasks. Throws OGB's message when none is kept.
double ogb_mean_rocauc(const float* score, const float* label, int64_t n, int64_t T);

// OGB's "rmse": per task sqrt(mean over labelled rows of (pred - y)^2), then
// the mean over tasks. Tasks without any label are skipped; throws when
// every task is.
double masked_rmse(const float* pred, const float* y, int64_t n, int64_t T);

// As masked_rmse with the mean absolute error per task.
double masked_mae(const float* pred, const float* y, int64_t n, int64_t T);

// Fraction (in [0, 1], not a percentage) of i with predicted[i] == label[i].
// Throws when n == 0.
double accuracy(const int32_t* predicted, const int32_t* label, int64_t n);

}  // namespace gt
