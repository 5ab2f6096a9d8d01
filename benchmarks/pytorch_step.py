#!/usr/bin/env python3
"""One training step of lpl's bundled networks in plain PyTorch, timed as `lpl bench` times lpl's.

The reference for `lpl bench` (issue: lpl's step must be no slower than PyTorch's from Python):
the same network (interop/lpl_models.py builds exactly lpl's blocks), batch, loss (mean
cross-entropy), optimizer (torch.optim.SGD, momentum 0.9, weight decay 2e-4, lpl's defaults) and
thread count, on one random batch whose labels follow a long-tailed class distribution (rho = 100).
One step = forward, loss, backward, SGD update, zero_grad (set_to_none, PyTorch's default), as in
the training loops of the reference implementations.

    /usr/bin/python3 benchmarks/pytorch_step.py --model resnet32 --batch 128 --threads 2 --steps 12
    /usr/bin/python3 benchmarks/pytorch_step.py --precision bf16      # torch.autocast("cpu", bfloat16)

Prints the median, p10 and p90 step time in milliseconds and images/s; --json FILE keeps every step.
benchmarks/README.md says how to compare it with `lpl bench` back to back.
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'interop'))
import lpl_models  # noqa: E402


def long_tail_labels(classes, batch, generator, rho=100.0):
    counts = torch.tensor([5000 * rho ** (-c / (classes - 1)) for c in range(classes)])
    return torch.multinomial(counts / counts.sum(), batch, replacement=True, generator=generator)


def quantile(values, q):
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo, hi = int(pos), min(int(pos) + 1, len(s) - 1)
    return s[lo] + (pos - lo) * (s[hi] - s[lo])


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--model', default='resnet32')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--classes', type=int, default=10)
    p.add_argument('--image', default='3x32x32', help='CxHxW')
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--steps', type=int, default=12)
    p.add_argument('--precision', choices=['fp32', 'bf16'], default='fp32')
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--json', help='also write every step time to this file')
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    c, h, w = (int(v) for v in a.image.split('x'))
    model = lpl_models.build(a.model, num_classes=a.classes, head='linear', in_channels=c)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=2e-4)
    g = torch.Generator().manual_seed(a.seed)
    x = torch.rand(a.batch, c, h, w, generator=g) * 2 - 1
    y = long_tail_labels(a.classes, a.batch, g)

    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=a.precision == 'bf16'):
            logits = model(x)
        loss = F.cross_entropy(logits.float(), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f'pytorch {torch.__version__} {a.model} batch {a.batch} {a.precision} threads {a.threads}: '
          f'median {median:.1f} ms  p10 {quantile(times, 0.1):.1f}  p90 {quantile(times, 0.9):.1f}  '
          f'{a.batch * 1000 / median:.0f} images/s')
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'model': a.model, 'batch': a.batch, 'precision': a.precision, 'threads': a.threads,
                       'torch': torch.__version__, 'stepMillis': times}, f)


if __name__ == '__main__':
    main()
