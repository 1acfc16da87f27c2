"""Golden values for the @face/losses metric-learning pieces: distances, triplet miners, triplet,
contrastive and center losses, and a joint CE + triplet objective, with gradients.

Formulas, re-derived from the papers:
  distances: ||a - b||, ||a - b||^2, 1 - a.b / (|a| |b|) (computed here from differences, exactly)
  miners (gap = d(a, n) - d(a, p), valid: y_a = y_p != y_n, a != p), naive loops:
    all: gap <= margin; hard: gap <= 0 (FaceNet 3.2); semihard: 0 < gap <= margin (FaceNet eq. 4);
    batch hard: per anchor argmax_p d(a, p), argmin_n d(a, n), lowest index on ties (Hermans et
    al. 2017, eq. 5), kept if gap <= margin
  triplet: [d(a, p) - d(a, n) + m]_+ or softplus(d(a, p) - d(a, n) + m) (FaceNet eq. 1; Hermans)
  contrastive: 1/2 D^2 (same) or 1/2 max(0, m - D)^2 (Hadsell et al. 2006, eq. 4)
  center: lambda / 2 ||x_i - c_y||^2; c_j -= alpha sum_{y_i = j}(c_j - x_i) / (1 + n_j)
          (Wen et al. 2016, eq. 2 and 4)
Run: /usr/bin/python3 packages/losses/scripts/gen_metric.py
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

from reference import cross_entropy_rows, f32, normalize, one_hot, t, tolist, write

rng = np.random.default_rng(11)

X = f32(rng.normal(0, 1, (12, 5)))
X[4] *= 1e-3  # tiny
# Huge, relative to the others. Not 1e3: distances from it would be ~2000, where one float32 ulp
# is 2.4e-4, so an O(1) gap d(a, n) - d(a, p) (a semi-hard triplet) cannot be accurate to 1e-5 in
# any float32 implementation. The explicit-triplet case below goes to 1e3, where gaps are large.
X[9] *= 1e2
LABELS = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 4]  # class 4 has no positive


def pairwise(x, kind, norm=False):
    if norm:
        x = normalize(x, 1)
    diff = x[:, None, :] - x[None, :, :]
    sq = (diff ** 2).sum(-1)
    if kind == "squaredEuclidean":
        return sq
    if kind == "euclidean":
        # sqrt with a zero gradient at 0 (the diagonal): the convention of @face/losses.
        pos = sq > 0
        return torch.where(pos, torch.sqrt(torch.where(pos, sq, torch.ones_like(sq))), torch.zeros_like(sq))
    xn = normalize(x, 1)
    return 1 - xn @ xn.T


def paired(a, b, kind):
    if kind == "cosine":
        return 1 - (normalize(a, 1) * normalize(b, 1)).sum(1)
    sq = ((a - b) ** 2).sum(1)
    return sq if kind == "squaredEuclidean" else torch.sqrt(sq)


def mine(d, y, kind, margin):
    n = len(y)
    out = []
    if kind == "batchHard":
        for a in range(n):
            pos = [j for j in range(n) if j != a and y[j] == y[a]]
            neg = [j for j in range(n) if y[j] != y[a]]
            if not pos or not neg:
                continue
            p = max(pos, key=lambda j: (d[a, j], -j))
            k = min(neg, key=lambda j: (d[a, j], j))
            if d[a, k] - d[a, p] <= margin:
                out.append((a, p, k))
        return out
    for a in range(n):
        for p in range(n):
            if p == a or y[p] != y[a]:
                continue
            for k in range(n):
                if y[k] == y[a]:
                    continue
                gap = d[a, k] - d[a, p]
                keep = {"all": gap <= margin, "hard": gap <= 0,
                        "semihard": 0 < gap <= margin}[kind]
                if keep:
                    out.append((a, p, k))
    return out


def reduce(v, reduction):
    if reduction == "mean":
        return v.sum() / max(len(v), 1)
    if reduction == "sum":
        return v.sum()
    if reduction == "meanNonZero":
        return v.sum() / max(int((v > 0).sum()), 1)
    return v


def distances_case():
    out = []
    R = f32(rng.normal(0, 1, (12, 12)))
    for kind in ("euclidean", "squaredEuclidean", "cosine"):
        for norm in (False, True):
            x = t(X, grad=True)
            d = pairwise(x, kind, norm)
            (d * t(R)).sum().backward()
            out.append({"kind": kind, "normalize": norm, "matrix": tolist(d), "gradWeightedSum": tolist(x.grad)})
    return {"weights": tolist(R), "cases": out}


MINERS = [("all", math.inf), ("all", 0.5), ("hard", None), ("semihard", 0.5),
          ("batchHard", math.inf), ("batchHard", 0.3)]


# Loose clusters, so that margins split the triplets (on X nearly every triplet violates).
CLUSTERED = f32(np.repeat(rng.normal(0, 1, (5, 5)), [3, 3, 2, 3, 1], axis=0) + rng.normal(0, 0.45, (12, 5)))


def miners_case():
    out = []
    for name, points in (("embeddings", X), ("clustered", CLUSTERED)):
        for kind in ("euclidean", "squaredEuclidean", "cosine"):
            d = pairwise(t(points), kind).numpy()
            for miner, margin in MINERS:
                trip = mine(d, LABELS, miner, margin if margin is not None else 0.0)
                out.append({"points": name, "distance": kind, "type": miner,
                            "margin": None if margin is None else (margin if math.isfinite(margin) else "Infinity"),
                            "triplets": trip})
    return {"clustered": tolist(CLUSTERED), "cases": out}


TRIPLET_CASES = [
    {"distance": "euclidean", "margin": 0.2, "miner": ["all", math.inf], "softMargin": False, "reduction": "mean"},
    {"distance": "euclidean", "margin": 1.0, "miner": ["semihard", 1.0], "softMargin": False, "reduction": "meanNonZero"},
    {"distance": "squaredEuclidean", "margin": 0.5, "miner": ["hard", None], "softMargin": False, "reduction": "sum"},
    {"distance": "cosine", "margin": 0.1, "miner": ["batchHard", math.inf], "softMargin": True, "reduction": "mean"},
    {"distance": "euclidean", "normalize": True, "margin": 0.2, "miner": ["batchHard", math.inf], "softMargin": False, "reduction": "none"},
]


def triplet_case():
    out = []
    for c in TRIPLET_CASES:
        x = t(X, grad=True)
        d_all = pairwise(x, c["distance"], c.get("normalize", False))
        kind, margin = c["miner"]
        trip = mine(pairwise(t(X), c["distance"], c.get("normalize", False)).detach().numpy(), LABELS, kind,
                    0.0 if margin is None else margin)
        a, p, n = (torch.tensor([tr[i] for tr in trip], dtype=torch.long) for i in range(3))
        viol = d_all[a, p] - d_all[a, n] + c["margin"]
        per = F.softplus(viol) if c["softMargin"] else torch.relu(viol)
        value = reduce(per, c["reduction"])
        value.sum().backward()
        cc = dict(c)
        cc["miner"] = [kind, None if margin is None else (margin if math.isfinite(margin) else "Infinity")]
        cc.update(value=tolist(value), grad=tolist(x.grad), count=len(trip))
        out.append(cc)
    return out


def triplet_margin_case():
    """Explicit triplets, rows scaled from 1e-3 to 1e3, checked against torch's own loss."""
    scales = f32([1e-3, 1e-1, 1, 1, 10, 1e3])[:, None]
    A, P, N = (f32(rng.normal(0, 1, (6, 4)) * scales) for _ in range(3))
    out = []
    for kind, margin, soft in (("euclidean", 1.0, False), ("squaredEuclidean", 0.3, False),
                               ("cosine", 0.2, True)):
        a, p, n = t(A, grad=True), t(P, grad=True), t(N, grad=True)
        viol = paired(a, p, kind) - paired(a, n, kind) + margin
        per = F.softplus(viol) if soft else torch.relu(viol)
        per.mean().backward()
        if kind == "euclidean":
            ref = F.triplet_margin_loss(t(A), t(P), t(N), margin=margin, eps=0.0)
            assert torch.allclose(ref, per.mean(), rtol=1e-12), "semantics differ from torch"
        out.append({"distance": kind, "margin": margin, "softMargin": soft, "perSample": tolist(per),
                    "gradAnchor": tolist(a.grad), "gradPositive": tolist(p.grad), "gradNegative": tolist(n.grad)})
    return {"anchor": tolist(A), "positive": tolist(P), "negative": tolist(N), "cases": out}


def contrastive_case():
    out = {}
    x = t(X, grad=True)
    d = pairwise(x, "euclidean")
    idx = [(i, j) for i in range(12) for j in range(i + 1, 12)]
    dd = torch.stack([d[i, j] for i, j in idx])
    same = torch.tensor([float(LABELS[i] == LABELS[j]) for i, j in idx])
    per = same * 0.5 * dd ** 2 + (1 - same) * 0.5 * torch.relu(1.5 - dd) ** 2
    per.mean().backward()
    out["batch"] = {"margin": 1.5, "perPair": tolist(per), "mean": per.mean().item(), "grad": tolist(x.grad)}
    A, B = f32(rng.normal(0, 1, (5, 4))), f32(rng.normal(0, 0.5, (5, 4)))
    flags = [True, False, True, False, False]
    a, b = t(A, grad=True), t(B, grad=True)
    dd = paired(a, b, "cosine")
    s = torch.tensor([float(f) for f in flags])
    per = s * 0.5 * dd ** 2 + (1 - s) * 0.5 * torch.relu(0.8 - dd) ** 2
    per.sum().backward()
    out["pairs"] = {"a": tolist(A), "b": tolist(B), "same": flags, "distance": "cosine", "margin": 0.8,
                    "perPair": tolist(per), "sum": per.sum().item(), "gradA": tolist(a.grad), "gradB": tolist(b.grad)}
    return out


def center_case():
    C, lam, alpha = 5, 0.01, 0.4
    x0 = f32(rng.normal(0, 1, (8, 5)))
    y = [0, 4, 2, 2, 0, 2, 1, 4]  # class 3 absent: its center must not move
    c0 = f32(rng.normal(0, 1, (C, 5)))
    x, c = t(x0, grad=True), t(c0, grad=True)
    own = one_hot(y, C) @ c
    per = lam / 2 * ((x - own) ** 2).sum(1)
    per.mean().backward()
    onehot = one_hot(y, C)
    delta = (onehot.T @ (own.detach() - t(x0))) / (1 + onehot.sum(0))[:, None]
    updated = t(c0) - alpha * delta
    return {"numClasses": C, "lambda": lam, "alpha": alpha, "embeddings": tolist(x0), "labels": y,
            "centers": tolist(c0), "perSample": tolist(per), "mean": per.mean().item(),
            "gradEmbeddings": tolist(x.grad), "gradCenters": tolist(c.grad), "updatedCenters": tolist(updated)}


def joint_case():
    """0.7 CE(x M, y) + 0.3 triplet(x, y) (all triplets, euclidean, margin 0.2), grad wrt x."""
    M = f32(rng.normal(0, 1, (5, 5)))
    x = t(X, grad=True)
    ce = cross_entropy_rows(x @ t(M), one_hot(LABELS, 5)).mean()
    d = pairwise(x, "euclidean")
    trip = mine(pairwise(t(X), "euclidean").numpy(), LABELS, "all", math.inf)
    a, p, n = (torch.tensor([tr[i] for tr in trip], dtype=torch.long) for i in range(3))
    tl = torch.relu(d[a, p] - d[a, n] + 0.2).mean()
    total = 0.7 * ce + 0.3 * tl
    total.backward()
    return {"projection": tolist(M), "ce": ce.item(), "triplet": tl.item(), "total": total.item(),
            "grad": tolist(x.grad)}


write("metric", {
    "embeddings": tolist(X),
    "labels": LABELS,
    "distances": distances_case(),
    "miners": miners_case(),
    "triplet": triplet_case(),
    "tripletMargin": triplet_margin_case(),
    "contrastive": contrastive_case(),
    "center": center_case(),
    "joint": joint_case(),
})
