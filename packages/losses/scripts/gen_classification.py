"""Golden values for @face/losses classification losses: cross-entropy with label smoothing,
KL divergence and online label smoothing.

Formulas: softmax cross-entropy with label smoothing (Szegedy et al. 2016, sec. 7, with PyTorch's
convention e / C over all C classes); KL(t || p) = sum t (log t - log p) (Kullback & Leibler 1951);
online label smoothing (Zhang et al. 2021, arXiv 2011.12562, sec. 3.2). Each is checked against
PyTorch's own F.cross_entropy / F.kl_div where those exist, to pin the semantics.
Run: /usr/bin/python3 packages/losses/scripts/gen_classification.py
"""
import warnings

import numpy as np
import torch
import torch.nn.functional as F

from reference import cross_entropy_rows, f32, one_hot, log_softmax, smooth, t, tolist, write

rng = np.random.default_rng(20240401)
warnings.filterwarnings("ignore", message="reduction: 'mean'")  # we test 'mean' on purpose


def cross_entropy_cases():
    logits = f32(rng.normal(0, 3, (6, 5)))
    logits[3] *= 20  # a confident, large-logit row
    labels = [0, 4, 2, 1, 4, 0]  # both ends of the range
    probs = f32(np.exp(logits / 3) / np.exp(logits / 3).sum(1, keepdims=True))
    cases = []
    for smoothing in (0.0, 0.1, 0.3):
        for kind, target in (("labels", labels), ("probabilities", probs)):
            z = t(logits, grad=True)
            tp = one_hot(labels, 5) if kind == "labels" else t(probs)
            rows = cross_entropy_rows(z, smooth(tp, smoothing))
            rows.mean().backward()
            ref_target = torch.tensor(labels) if kind == "labels" else t(probs)
            torch_value = F.cross_entropy(t(logits), ref_target, label_smoothing=smoothing)
            assert torch.allclose(torch_value, rows.mean(), rtol=1e-12), "semantics differ from torch"
            cases.append({
                "smoothing": smoothing,
                "target": kind,
                "perSample": tolist(rows),
                "mean": rows.mean().item(),
                "sum": rows.sum().item(),
                "gradMean": tolist(z.grad),
            })
    return {"logits": tolist(logits), "labels": labels, "probabilities": tolist(probs), "cases": cases}


def kl_cases():
    raw = f32(rng.normal(0, 2, (4, 6)))
    log_probs = f32(tolist(log_softmax(t(raw))))
    target = rng.random((4, 6))
    target[0, 1] = 0.0
    target[2, [0, 5]] = 0.0  # zero entries: 0 log 0 = 0
    target = f32(target / target.sum(1, keepdims=True))
    out = {"logProbs": tolist(log_probs), "target": tolist(target)}
    for log_target in (False, True):
        # A log target gives a zero probability as a very negative log (exp(-30) ~ 1e-13).
        safe_log = np.log(np.where(target > 0, target, 1.0))
        tgt = f32(np.where(target > 0, safe_log, -30.0)) if log_target else target
        x = t(log_probs, grad=True)
        tt = t(tgt)
        p = torch.exp(tt) if log_target else tt
        logt = tt if log_target else torch.log(torch.where(tt > 0, tt, torch.ones_like(tt)))
        pointwise = torch.where(p > 0, p * (logt - x), torch.zeros_like(x))
        (pointwise.sum() / x.shape[0]).backward()
        for reduction, value in (("batchmean", pointwise.sum() / 4), ("sum", pointwise.sum()),
                                 ("mean", pointwise.mean())):
            ref = F.kl_div(t(log_probs), tt, reduction=reduction, log_target=log_target)
            assert torch.allclose(ref, value, rtol=1e-12), "semantics differ from torch"
        out["logTarget" if log_target else "probTarget"] = {
            "target": tolist(tgt),
            "none": tolist(pointwise),
            "batchmean": (pointwise.sum() / 4).item(),
            "sum": pointwise.sum().item(),
            "mean": pointwise.mean().item(),
            "gradBatchmean": tolist(x.grad),
        }
    return out


def ols_case():
    """Two epochs of online label smoothing, alpha = 0.5, C = 4: S starts at zero; during an
    epoch the softmax outputs of correctly classified samples are summed per true class; at its
    end each row is divided by its count (rows without a correct sample stay zero)."""
    C, alpha = 4, 0.5
    epoch0 = [f32(rng.normal(0, 2, (6, C))) for _ in range(2)]
    labels0 = [[0, 1, 2, 3, 0, 1], [2, 2, 0, 1, 3, 3]]
    for z, y in zip(epoch0, labels0):  # make most predictions correct, keep class 3 all wrong
        for i, yi in enumerate(y):
            if yi != 3 and rng.random() < 0.8:
                z[i, yi] += 4.0
            if yi == 3:
                z[i, yi] -= 6.0
    S = torch.zeros(C, C)
    sums = torch.zeros(C, C)
    counts = torch.zeros(C)
    losses0 = []
    for z, y in zip(epoch0, labels0):
        zt = t(z)
        onehot = one_hot(y, C)
        rows = alpha * cross_entropy_rows(zt, onehot) + (1 - alpha) * cross_entropy_rows(zt, onehot @ S)
        losses0.append(rows.mean().item())
        p = torch.softmax(zt, dim=1)
        correct = (p.argmax(dim=1) == torch.tensor(y)).double()
        sums += (onehot * correct[:, None]).T @ p
        counts += (onehot * correct[:, None]).sum(dim=0)
    S = torch.where(counts[:, None] > 0, sums / counts.clamp_min(1)[:, None], torch.zeros(C, C))
    z1 = f32(rng.normal(0, 2, (5, C)))
    y1 = [3, 0, 1, 2, 1]
    zt = t(z1, grad=True)
    onehot = one_hot(y1, C)
    rows = alpha * cross_entropy_rows(zt, onehot) + (1 - alpha) * cross_entropy_rows(zt, onehot @ S)
    rows.mean().backward()
    return {
        "numClasses": C,
        "alpha": alpha,
        "epoch0": {"logits": [tolist(z) for z in epoch0], "labels": labels0, "losses": losses0},
        "softLabels": tolist(S),
        "counts": tolist(counts),
        "epoch1": {"logits": tolist(z1), "labels": y1, "loss": rows.mean().item(),
                   "grad": tolist(zt.grad)},
    }


write("classification", {"crossEntropy": cross_entropy_cases(), "kl": kl_cases(),
                          "onlineLabelSmoothing": ols_case()})
