"""Shared helpers of the @face/losses fixture generators.

Inputs are drawn in float64, rounded to float32 (what the TypeScript tests feed tfjs), and every
reference value is then computed in float64 from those float32 values with PyTorch autograd, from
the papers' formulas (cited where used), not from any library's loss code.
"""
import json
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")


def f32(a):
    """Round to float32 and back to a float64 array: the exact values the tests use."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def tolist(x):
    if isinstance(x, torch.Tensor):
        x = x.detach().numpy()
    return np.asarray(x, dtype=np.float64).tolist()


def normalize(x, dim):
    """x / max(||x||, 1e-12): F.normalize's definition."""
    return x / x.norm(dim=dim, keepdim=True).clamp_min(1e-12)


def log_softmax(z):
    m = z.max(dim=1, keepdim=True).values
    return z - m - torch.log(torch.exp(z - m).sum(dim=1, keepdim=True))


def one_hot(labels, num_classes):
    out = torch.zeros(len(labels), num_classes)
    out[torch.arange(len(labels)), torch.tensor(labels)] = 1.0
    return out


def cross_entropy_rows(logits, target_probs):
    """Per-sample -sum_c t_c log softmax(z)_c."""
    return -(target_probs * log_softmax(logits)).sum(dim=1)


def smooth(target_probs, e):
    """PyTorch label smoothing: (1 - e) t + e / C, C counting the true class."""
    return target_probs * (1 - e) + e / target_probs.shape[1]


def write(name, data):
    os.makedirs(FIXTURES, exist_ok=True)
    path = os.path.join(FIXTURES, f"{name}.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
    print(f"wrote {os.path.relpath(path)}")
