#!/bin/bash
# The script that wrote gt_s41_pe_probe.txt (session 9, run as is from /root/gt-runs/probe):
# gt CLUSTER seed 41 trained to epochs 2, 5, 10, 20, 33 (one run, continued with --resume;
# the same seed and build give the same run, but not bit-identical to results/'s s41, which
# an older build made), each checkpoint scored with and without its encodings.
cd /work/main
out=/root/gt-runs/probe/cluster_s41
r=()
for E in 2 5 10 20 33; do
  /root/gt-runs/gt-bin-v16 train --config configs/cluster_sparse_bn_lappe.json --seed 41 --out $out --threads 1 --epochs $E "${r[@]}" >> /root/gt-runs/probe/train.log 2>&1 || { echo "train failed at $E"; exit 1; }
  r=(--resume)
  a=$(/root/gt-runs/gt-bin-v16 eval --checkpoint $out/checkpoint.safetensors --threads 1 2>&1 | tail -1)
  b=$(/root/gt-runs/gt-bin-v16 eval --checkpoint $out/checkpoint.safetensors --threads 1 --zero-pe 2>&1 | tail -1)
  echo "epoch $E | $a | $b"
done
