#!/usr/bin/env python3
"""Writes lpl-core's TorchScript cast module (training.precision = bf16), bf16-casts.pt.

DJL 0.36's PyTorch binding cannot make a bfloat16 tensor (its dtype table stops before bfloat16:
NDArray.toType(BFLOAT16) aborts the process) and its casts run without autograd. lpl therefore runs
the two casts of mixed precision as methods of this scripted module, which the engine records like
any other operation, so gradients flow through them back to the float32 master weights:

    to_bf16(x) = x.to(torch.bfloat16)      to_f32(x) = x.to(torch.float32)

Regenerate with any PyTorch >= 1.10 (the file loads in newer versions):

    /usr/bin/python3 interop/make_casts.py lpl-core/src/main/resources/dev/lpl/core/train/bf16-casts.pt
"""

import sys

import torch


class Casts(torch.nn.Module):
    def forward(self, x):
        return x

    @torch.jit.export
    def to_bf16(self, x):
        return x.to(torch.bfloat16)

    @torch.jit.export
    def to_f32(self, x):
        return x.to(torch.float32)


if __name__ == '__main__':
    torch.jit.script(Casts()).save(sys.argv[1])
