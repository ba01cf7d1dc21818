"""The official SBM training protocol (SPEC §5) shared by the PyTorch trainers
(torch_train_sbm.py on the CPU, torch_train_sbm_gpu.py on a GPU): the config's training
parameters, torch.optim.Adam, ReduceLROnPlateau on the validation loss, one metrics.jsonl
row and one atomic checkpoint per epoch, resume after the last checkpointed epoch, and the
stop (lr < min_lr, max_time or params.epochs) with the last epoch's numbers in final.json.
What differs between the trainers (data layout, the step) comes in as run_epoch().
"""
import json
import os
import sys
import time

import torch

TRAINING_KEYS = ("seed", "epochs", "batch_size", "init_lr", "lr_reduce_factor",
                 "lr_schedule_patience", "min_lr", "weight_decay")


def read_config(path):
    """(config, params) of an official-format config; a config that cannot be read or lacks
    a training parameter is an error naming the file and the keys."""
    try:
        with open(path) as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"{path}: {e}")
    params = config.get("params", {})
    missing = [key for key in TRAINING_KEYS if key not in params]
    if missing:
        sys.exit(f"{path}: params lacks {', '.join(missing)} (an official-format config)")
    return config, params


def setup(args, parse_config):
    """(config, params, seed, cfg) of args.config for an SBM run: --seed overrides
    params.seed; cfg = parse_config(config) (gt_reference's), node classification only."""
    config, params = read_config(args.config)
    seed = args.seed if args.seed is not None else int(params["seed"])
    cfg = parse_config(config)
    if cfg.task != "node_classification" or cfg.edge_feat:
        sys.exit(f"{args.config}: not an SBM (node classification) config")
    return config, params, seed, cfg


def sign_flips(k):
    """train_SBMs_node_classification.py: one random sign per PE column for the whole batch
    (torch's CPU RNG, as the official code)."""
    s = torch.rand(k)
    s[s >= 0.5] = 1.0
    s[s < 0.5] = -1.0
    return s


def epoch_row(train, val, test, k):
    """The metrics of one epoch from (loss, acc) of train and val and (loss, acc, acc with
    zeroed encodings) of test; without encodings (k = 0) the last is the test accuracy."""
    return {"train_loss": train[0], "train_acc": train[1], "val_loss": val[0],
            "val_acc": val[1], "test_loss": test[0], "test_acc": test[1],
            "test_acc_zero_pe": test[2] if k else test[1]}


def make_optimizer(model, params):
    opt = torch.optim.Adam(model.parameters(), lr=params["init_lr"],
                           weight_decay=params["weight_decay"])
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode="min", factor=params["lr_reduce_factor"],
        patience=params["lr_schedule_patience"])
    return opt, sched


def save_atomically(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _load(path):
    try:  # torch >= 2.6 loads weights only by default; the checkpoint holds the RNG state too
        return torch.load(path, weights_only=False)
    except TypeError:  # torch 1.13 has no weights_only
        return torch.load(path)


def restore(out, model, opt, sched):
    """Loads OUT/checkpoint.pt if there is one; returns (epochs done, seconds so far). The
    log keeps only the checkpointed epochs: a run killed between its log line and its
    checkpoint logged an epoch that it will run again."""
    ckpt, log_path = os.path.join(out, "checkpoint.pt"), os.path.join(out, "metrics.jsonl")
    if not os.path.exists(ckpt):
        return 0, 0.0
    st = _load(ckpt)
    model.load_state_dict(st["model"])
    opt.load_state_dict(st["opt"])
    sched.load_state_dict(st["sched"])
    torch.set_rng_state(st["rng"])
    done = st["epoch"] + 1
    print(f"resuming after epoch {done} from {ckpt}", flush=True)
    if os.path.exists(log_path):
        with open(log_path) as f:
            kept = [line for line in f if line.strip() and json.loads(line)["epoch"] <= done]
        with open(log_path + ".tmp", "w") as f:
            f.writelines(kept)
        os.replace(log_path + ".tmp", log_path)
    return done, st["elapsed"]


def run(args, params, seed, model, opt, sched, run_epoch, extra=None):
    """Epochs until the protocol's stop, or args.max_epochs / args.time_limit of this
    invocation (then the checkpoint continues it). run_epoch() trains one epoch and evaluates;
    it returns the row's train/val/test losses and accuracies (test_acc_zero_pe included).
    extra: fields added to every row (e.g. the device)."""
    os.makedirs(args.out, exist_ok=True)
    # params.max_time (hours of epochs, SPEC §5) unless the caller overrides it (args.max_time;
    # 0: no limit): the budget was set for a GPU, and a CPU check that needs the min-lr stop
    # can take longer than 24 h of epochs.
    override = getattr(args, "max_time", None)
    max_hours = float(params.get("max_time", 24) if override is None else override)
    final_path = os.path.join(args.out, "final.json")
    if os.path.exists(final_path):
        print(f"{args.out}: finished already ({final_path})", flush=True)
        return 0
    epoch0, elapsed = restore(args.out, model, opt, sched)
    started, row, stop = time.time(), None, None
    for epoch in range(epoch0, int(params["epochs"])):
        t0 = time.time()
        lr = opt.param_groups[0]["lr"]
        m = run_epoch()
        sched.step(m["val_loss"])
        elapsed += time.time() - t0
        row = dict({"epoch": epoch + 1, "lr": lr}, **m, seconds=time.time() - t0, seed=seed,
                   **(extra or {}))
        with open(os.path.join(args.out, "metrics.jsonl"), "a") as f:
            f.write(json.dumps(row) + "\n")
        save_atomically({"model": model.state_dict(), "opt": opt.state_dict(),
                         "sched": sched.state_dict(), "rng": torch.get_rng_state(),
                         "epoch": epoch, "elapsed": elapsed}, os.path.join(args.out, "checkpoint.pt"))
        print(f"epoch {epoch + 1} lr {lr:.3g} train {m['train_acc']:.2f} val {m['val_acc']:.2f} "
              f"test {m['test_acc']:.2f} (zero PE {m['test_acc_zero_pe']:.2f}) "
              f"{row['seconds']:.1f} s", flush=True)
        stop = ("lr below min_lr" if opt.param_groups[0]["lr"] < params["min_lr"] else
                "max_time" if max_hours and elapsed > max_hours * 3600 else None)
        if stop or (args.max_epochs and epoch + 1 - epoch0 >= args.max_epochs):
            break
        if getattr(args, "time_limit", 0) and time.time() - started > args.time_limit:
            print(f"time limit: stopping after epoch {epoch + 1}; rerun to continue", flush=True)
            break
    else:
        stop = "params.epochs reached"
    if stop and row:
        # The protocol's end (SPEC §5): the last epoch's numbers are the result.
        with open(final_path + ".tmp", "w") as f:
            json.dump(dict(row, stop_reason=stop, total_seconds=elapsed), f, indent=1)
        os.replace(final_path + ".tmp", final_path)
        print(f"done ({stop}): test acc {row['test_acc']:.4f} after {row['epoch']} epochs",
              flush=True)
    return 0
