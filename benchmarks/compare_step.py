#!/usr/bin/env python3
"""lpl's training step against PyTorch's from Python, back to back on one machine.

Runs `lpl bench` (lpl's step) and benchmarks/pytorch_step.py (the same step in plain PyTorch)
alternately, --rounds times each, so that a machine whose speed drifts slows both sides alike, and
prints every round's medians, their ratio, and the median of the ratios:

    /usr/bin/python3 benchmarks/compare_step.py                        # ResNet-32, batch 128, CE, 2 threads
    /usr/bin/python3 benchmarks/compare_step.py --rounds 8 --steps 12 --threads 2
    /usr/bin/python3 benchmarks/compare_step.py --lpl "java -jar lpl-runner/target/lpl-runner.jar" -- --set training.channels-last=false

Arguments after `--` go to `lpl bench` only. The lpl command defaults to ./lpl in the repository.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, env=None):
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f'{" ".join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}')
    return result.stdout


def main():
    argv = sys.argv[1:]
    extra = []
    if '--' in argv:
        extra = argv[argv.index('--') + 1:]
        argv = argv[:argv.index('--')]
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--lpl', default=os.path.join(ROOT, 'lpl'), help='the lpl command (default: ./lpl)')
    p.add_argument('--python', default=sys.executable, help='the Python with PyTorch (default: this one)')
    p.add_argument('--model', default='resnet32')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--rounds', type=int, default=6)
    p.add_argument('--steps', type=int, default=10, help='timed steps per side and round')
    p.add_argument('--warmup', type=int, default=3)
    a = p.parse_args(argv)

    env = dict(os.environ, OPT_OUT_TRACKING='true', DJL_OFFLINE='true')
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.rounds):
            lpl_json = os.path.join(tmp, f'lpl-{r}.json')
            py_json = os.path.join(tmp, f'py-{r}.json')
            order = ['lpl', 'py'] if r % 2 == 0 else ['py', 'lpl']  # neither side always runs first
            for side in order:
                if side == 'lpl':
                    run(a.lpl.split() + ['bench', '--model', a.model, '--batch', str(a.batch), '--methods', 'ce',
                                         '--rounds', str(a.steps), '--warmup', str(a.warmup), '--no-eval',
                                         '--pipeline-batches', '0', '--set', f'training.threads={a.threads}',
                                         '--json', lpl_json] + extra, env)
                else:
                    run([a.python, os.path.join(HERE, 'pytorch_step.py'), '--model', a.model, '--batch',
                         str(a.batch), '--threads', str(a.threads), '--steps', str(a.steps), '--warmup',
                         str(a.warmup), '--json', py_json], env)
            with open(lpl_json) as f:
                lpl = statistics.median(json.load(f)['methods'][0]['step_ms'])
            with open(py_json) as f:
                py = statistics.median(json.load(f)['stepMillis'])
            rows.append((lpl, py, lpl / py))
            print(f'round {r + 1}: lpl {lpl:7.1f} ms   pytorch {py:7.1f} ms   ratio {lpl / py:.3f}', flush=True)
    ratios = sorted(x[2] for x in rows)
    print(f'{a.model}, batch {a.batch}, {a.threads} threads, {a.rounds} rounds of {a.steps} steps: '
          f'lpl {statistics.median(x[0] for x in rows):.1f} ms, pytorch {statistics.median(x[1] for x in rows):.1f} ms, '
          f'ratio lpl/pytorch median {statistics.median(ratios):.3f} (min {ratios[0]:.3f}, max {ratios[-1]:.3f})')


if __name__ == '__main__':
    main()
