"""Checks an `lpl export` file in PyTorch: loads it with lpl_models, feeds the images of an .npy file
(B x C x H x W float32, preprocessed as lpl feeds them) and compares the logits with lpl's (.npy,
B x classes).

    python3 interop/compare_logits.py EXPORT.safetensors IMAGES.npy LPL_LOGITS.npy [--tolerance 1e-4]

Prints the largest absolute difference; exits 1 when it exceeds the tolerance.
"""

import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lpl_models  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('export')
    parser.add_argument('images')
    parser.add_argument('logits')
    parser.add_argument('--tolerance', type=float, default=1e-4)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = lpl_models.from_safetensors(args.export).eval()
    images = torch.from_numpy(np.load(args.images).astype(np.float32))
    expected = np.load(args.logits).astype(np.float32)
    with torch.no_grad():
        logits = model(images).numpy()
    if logits.shape != expected.shape:
        print(f'shape mismatch: PyTorch {logits.shape}, lpl {expected.shape}')
        return 1
    delta = float(np.max(np.abs(logits - expected)))
    scale = float(np.max(np.abs(expected)))
    print(f'max |delta logit| = {delta:.3g} over {logits.size} logits (max |logit| {scale:.3g});'
          f' tolerance {args.tolerance:g}')
    return 0 if delta <= args.tolerance else 1


if __name__ == '__main__':
    sys.exit(main())
