"""Golden values for the @face/losses margin heads: logits, loss and gradients with respect to
the embeddings and the class weights, at scale 64, on rows at angles near 0 and near pi to their
class, with tiny (1e-6) and huge (1e4) embedding norms and class columns of very different norms.

Formulas, re-derived from the papers with theta_y = acos(cos theta_y) in float64:
  NormFace (Wang et al. 2017):            s cos(theta_y)
  CosFace (Wang et al. 2018, eq. 4):      s (cos(theta_y) - m)
  ArcFace (Deng et al. 2019, eq. 3):      s cos(theta_y + m); where theta_y + m >= pi,
                                           s (cos(theta_y) - m sin m) (InsightFace's fallback);
                                           easy margin: cos(theta_y) wherever cos(theta_y) <= 0
  Combined (Deng et al. 2019, eq. 4):     s (cos(m1 theta_y + m2) - m3)
  SphereFace (Liu et al. 2017, eq. 7-8):  ||x|| (lambda cos + psi) / (1 + lambda),
                                           psi = (-1)^k cos(m theta) - 2k, k = floor(m theta / pi),
                                           lambda = max(lambda_min, base (1 + gamma t)^-power)
Other classes: s cos(theta_j) (||x|| cos(theta_j) for SphereFace). Loss: softmax cross-entropy.
Weights are laid out [embeddingDim, numClasses] as in @face/losses.
Run: /usr/bin/python3 packages/losses/scripts/gen_heads.py
"""
import math

import numpy as np
import torch

from reference import cross_entropy_rows, f32, normalize, one_hot, smooth, t, tolist, write

rng = np.random.default_rng(7)
D, C = 8, 6

# Class columns with norms spread over 8 decades: normalization must make them irrelevant.
W = rng.normal(0, 1, (D, C)) * np.array([1.0, 0.01, 5.0, 1e-3, 100.0, 1.0])
# Class 3 is a near-duplicate of class 1 (0.03 rad apart): a sample at 0.02 rad from class 1 is
# then misclassified under the margin, so its gradient at that tiny angle is large and tested.
_w1 = W[:, 1] / np.linalg.norm(W[:, 1])
_u = rng.normal(0, 1, D)
_u -= (_u @ _w1) * _w1
W[:, 3] = 1e-3 * (math.cos(0.03) * _w1 + math.sin(0.03) * _u / np.linalg.norm(_u))
W = f32(W)

# (label, angle to its class column or None for a random direction, embedding norm)
ROWS = [
    (0, None, 1.0),
    (5, None, 1e-6),          # tiny norm
    (3, None, 1e4),           # huge norm
    (1, 0.02, 1.0),           # near 0
    (2, math.pi - 0.02, 1.0),  # near pi
    (5, 0.05, 1e-5),          # near 0, tiny
    (0, math.pi - 0.05, 1e3),  # near pi, huge
    (4, 1.9, 1.0),
    (3, 1.2, 2.0),
    (4, 2.8, 0.5),            # ArcFace fallback region (theta + 0.5 > pi)
]
LABELS = [r[0] for r in ROWS]


def make_embeddings():
    wn = W / np.linalg.norm(W, axis=0, keepdims=True)
    out = []
    for label, angle, norm in ROWS:
        if angle is None:
            v = rng.normal(0, 1, D)
        else:
            w = wn[:, label]
            u = rng.normal(0, 1, D)
            u -= (u @ w) * w
            u /= np.linalg.norm(u)
            v = math.cos(angle) * w + math.sin(angle) * u
        out.append(v / np.linalg.norm(v) * norm)
    return f32(out)


X = make_embeddings()


def sphereface_lambda(it, base=1000.0, gamma=0.12, power=1.0, lambda_min=5.0):
    return max(lambda_min, base * (1 + gamma * it) ** -power)


def target_cosine(kind, p, cos_y, theta):
    if kind == "NormalizedSoftmax":
        return cos_y
    if kind == "CosFace":
        return cos_y - p["margin"]
    if kind == "ArcFace":
        m = p["margin"]
        phi = torch.cos(theta + m)
        if p.get("easyMargin"):
            return torch.where(cos_y > 0, phi, cos_y)
        return torch.where(theta + m < math.pi, phi, cos_y - m * math.sin(m))
    if kind == "CombinedMargin":
        return torch.cos(p["m1"] * theta + p["m2"]) - p["m3"]
    if kind == "SphereFace":
        m, lam = p["margin"], sphereface_lambda(p["iteration"])
        k = torch.floor(m * theta / math.pi)
        psi = (-1.0) ** k * torch.cos(m * theta) - 2 * k
        return (lam * cos_y + psi) / (1 + lam)
    raise ValueError(kind)


def head(kind, p, x, w, labels):
    xn, wn = normalize(x, 1), normalize(w, 0)
    cos = xn @ wn
    scale = x.norm(dim=1, keepdim=True) if kind == "SphereFace" else p["scale"]
    plain = scale * cos
    onehot = one_hot(labels, w.shape[1])
    cos_y = (cos * onehot).sum(dim=1)
    theta = torch.acos(cos_y.clamp(-1, 1))
    target = target_cosine(kind, p, cos_y, theta)
    margin_logits = scale * (cos * (1 - onehot) + onehot * target[:, None])
    return plain, margin_logits, theta


def case(kind, p, smoothing=0.0, x_values=X):
    x, w = t(x_values, grad=True), t(W, grad=True)
    plain, logits, theta = head(kind, p, x, w, LABELS)
    rows = cross_entropy_rows(logits, smooth(one_hot(LABELS, C), smoothing))
    rows.mean().backward()
    return {
        "className": kind,
        "config": {k: v for k, v in p.items() if k != "iteration"},
        "iteration": p.get("iteration", 0),
        "labelSmoothing": smoothing,
        "theta": tolist(theta),
        "inferenceLogits": tolist(plain),
        "logits": tolist(logits),
        "perSample": tolist(rows),
        "loss": rows.mean().item(),
        "gradEmbeddings": tolist(x.grad),
        "gradWeight": tolist(w.grad),
    }


CASES = [
    case("NormalizedSoftmax", {"scale": 64.0}),
    case("CosFace", {"scale": 64.0, "margin": 0.35}),
    case("ArcFace", {"scale": 64.0, "margin": 0.5}),
    case("ArcFace", {"scale": 64.0, "margin": 0.5, "easyMargin": True}),
    case("ArcFace", {"scale": 30.0, "margin": 0.5}, smoothing=0.1),
    case("CombinedMargin", {"scale": 64.0, "m1": 1.0, "m2": 0.3, "m3": 0.2}),
    case("CombinedMargin", {"scale": 64.0, "m1": 1.35, "m2": 0.25, "m3": 0.1}),
    case("SphereFace", {"margin": 4, "iteration": 0}),
    case("SphereFace", {"margin": 4, "iteration": 10}),
    case("SphereFace", {"margin": 4, "iteration": 100000}),
]

# Angles away from the branch points (k pi / 4 for SphereFace, pi - 0.5 for ArcFace, pi / 2 for
# the easy margin): float32 round-off must not flip a branch between the reference and the tests.
theta = np.array(CASES[0]["theta"])
for edge in [k * math.pi / 4 for k in range(5)] + [math.pi - 0.5]:
    assert np.abs(theta - edge).min() > 2e-3, (edge, theta)

# A zero embedding: cosine 0 to every class (F.normalize semantics), theta = pi / 2.
X_ZERO = X.copy()
X_ZERO[0] = 0.0
ZERO = [case("ArcFace", {"scale": 64.0, "margin": 0.5}, x_values=X_ZERO),
        case("SphereFace", {"margin": 4, "iteration": 0}, x_values=X_ZERO)]
for z in ZERO:  # only values are compared: gradients at a zero row are a convention
    del z["gradEmbeddings"], z["gradWeight"]

write("heads", {
    "embeddingDim": D,
    "numClasses": C,
    "weight": tolist(W),
    "embeddings": tolist(X),
    "labels": LABELS,
    "cases": CASES,
    "zeroEmbedding": {"embeddings": tolist(X_ZERO), "cases": ZERO},
})
