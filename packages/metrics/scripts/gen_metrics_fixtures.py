"""Reference values for @face/metrics' classification and 1:1 verification metrics.

scikit-learn 1.2 gives roc_curve, roc_auc_score, confusion_matrix, balanced_accuracy_score and
top_k_accuracy_score. EER, TAR@FAR, best-threshold accuracy and the LFW k-fold accuracy have no
scikit-learn function: they are written below straight from their definitions, by brute force
(every candidate threshold counted over every score), independently of the TypeScript code.

Definitions (a pair is accepted as genuine when score >= threshold):
- candidate thresholds: +inf, then every distinct score in descending order;
- FAR(t) = impostors with score >= t / impostors; FRR(t) = genuines with score < t / genuines;
- EER: FRR - FAR is strictly decreasing over the candidates; on the first segment where it
  becomes <= 0 the two rates, linear between the candidates, are equal at one point: that FAR.
  Cross-checked with the usual brentq(lambda x: 1 - x - interp1d(fpr, tpr)(x), 0, 1).
  EER threshold: the candidate minimizing |FRR - FAR| (first on a tie);
- TAR@FAR f: the lowest candidate with FAR <= f (no interpolation), TAR = 1 - FRR there;
- best accuracy: the candidate with the most correct decisions (first on a tie);
- k-fold: sklearn KFold(n_splits=k) without shuffling (contiguous folds); each fold's threshold
  is the best-accuracy candidate of the other folds, from their own scores (or a given grid);
  mean and population std (np.std) of the fold accuracies.

Run from packages/metrics: /usr/bin/python3 scripts/gen_metrics_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from scipy.interpolate import interp1d
from scipy.optimize import brentq
from sklearn.metrics import (balanced_accuracy_score, confusion_matrix, roc_auc_score,
                             roc_curve, top_k_accuracy_score)
from sklearn.model_selection import KFold

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures')
FARS = [0.0, 1e-3, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0]


def finite(x):
    """JSON has no infinity: +inf thresholds are written as null."""
    return [None if np.isinf(v) else float(v) for v in np.asarray(x, dtype=np.float64)]


def candidates(s):
    return np.r_[np.inf, np.unique(s)[::-1]]


def rates(s, y, t):
    pos, neg = s[y == 1], s[y == 0]
    return np.sum(neg >= t) / len(neg), np.sum(pos < t) / len(pos)


def eer_ref(s, y):
    thr = candidates(s)
    far, frr = np.array([rates(s, y, t) for t in thr]).T
    g = frr - far
    i = int(np.argmax(g <= 0))
    t = g[i - 1] / (g[i - 1] - g[i])
    eer = far[i - 1] + t * (far[i] - far[i - 1])
    j = int(np.argmin(np.abs(g)))
    fpr, tpr, _ = roc_curve(y, s)
    brent = brentq(lambda x: 1.0 - x - interp1d(fpr, tpr)(x), 0.0, 1.0, xtol=1e-15)
    return {'eer': eer, 'eerBrentq': brent, 'threshold': thr[j], 'far': far[j], 'frr': frr[j]}


def tar_at_far_ref(s, y, f):
    best = None
    for t in candidates(s):  # descending: FAR grows, keep the last one within the target
        far, _ = rates(s, y, t)
        if far <= f:
            best = t
    far, frr = rates(s, y, best)
    return {'far': f, 'tar': 1.0 - frr, 'threshold': best, 'actualFar': far}


def best_accuracy_ref(s, y, grid=None):
    thr = candidates(s) if grid is None else grid
    acc = np.array([np.mean((s >= t) == (y == 1)) for t in thr])
    i = int(np.argmax(acc))
    return acc[i], thr[i]


def kfold_ref(s, y, k, grid=None):
    accs, thrs = [], []
    for train, test in KFold(n_splits=k).split(s):
        _, t = best_accuracy_ref(s[train], y[train], grid)
        accs.append(float(np.mean((s[test] >= t) == (y[test] == 1))))
        thrs.append(t)
    return {'mean': float(np.mean(accs)), 'std': float(np.std(accs)), 'accuracies': accs,
            'thresholds': finite(thrs)}


def verification_case(name, s, y, grid=None):
    fpr, tpr, thr = roc_curve(y, s)
    fpr_all, tpr_all, thr_all = roc_curve(y, s, drop_intermediate=False)
    e = eer_ref(s, y)
    acc, acc_thr = best_accuracy_ref(s, y)
    case = {
        'name': name,
        'float32': bool(s.dtype == np.float32),
        'scores': [float(v) for v in s],
        'labels': [int(v) for v in y],
        'roc': {'fpr': fpr.tolist(), 'tpr': tpr.tolist(), 'thresholds': finite(thr)},
        'rocAll': {'fpr': fpr_all.tolist(), 'tpr': tpr_all.tolist(), 'thresholds': finite(thr_all)},
        'auc': float(roc_auc_score(y, s)),
        'eer': {k: (None if np.isinf(v) else float(v)) for k, v in e.items()},
        'tarAtFar': [{k: (None if np.isinf(v) else float(v)) for k, v in tar_at_far_ref(s, y, f).items()}
                     for f in FARS],
        'bestAccuracy': {'accuracy': float(acc), 'threshold': finite([acc_thr])[0]},
        'kfold': {str(k): kfold_ref(s, y, k) for k in (10, 7) if k <= len(s)},
    }
    if grid is not None:
        case['grid'] = grid.tolist()
        case['kfold10Grid'] = kfold_ref(s, y, 10, grid)
    return case


def classification_case(rng):
    n, c = 240, 7
    labels = rng.integers(0, c - 1, size=n)  # class 6 never occurs: its accuracy is NaN
    scores = rng.normal(size=(n, c)) + 1.5 * np.eye(c)[labels]
    pred = scores.argmax(axis=1)
    cm = confusion_matrix(labels, pred, labels=list(range(c)))
    support = cm.sum(axis=1)
    with np.errstate(invalid='ignore', divide='ignore'):
        per_class = np.diag(cm) / support
    return {
        'numClasses': c,
        'scores': scores.tolist(),
        'labels': labels.tolist(),
        'predictions': pred.tolist(),
        'confusionMatrix': cm.tolist(),
        'perClassAccuracy': [None if np.isnan(v) else float(v) for v in per_class],
        'support': support.tolist(),
        'balancedAccuracy': float(balanced_accuracy_score(labels, pred)),
        'topK': {str(k): float(top_k_accuracy_score(labels, scores, k=k, labels=list(range(c))))
                 for k in (1, 2, 3, 5)},
    }


def main():
    rng = np.random.default_rng(20240605)
    cases = []
    # continuous scores, genuine ~ N(1, 1), impostor ~ N(0, 1): no ties
    y = (rng.random(400) < 0.4).astype(np.int64)
    s = rng.normal(size=400) + y
    cases.append(verification_case('random', s, y, grid=np.arange(-3.0, 4.0, 0.05)))
    # one decimal: a few dozen distinct values, genuine and impostor scores tied all over
    y = (rng.random(400) < 0.5).astype(np.int64)
    s = np.round(rng.normal(size=400) * 0.8 + 0.6 * y, 1)
    cases.append(verification_case('tied', s, y))
    # float32 cosine-like scores with ties from rounding to 1/256
    y = (rng.random(300) < 0.3).astype(np.int64)
    s = (np.round((np.tanh(rng.normal(size=300) * 0.5 + 0.7 * y)) * 256) / 256).astype(np.float32)
    cases.append(verification_case('float32', s, y))
    # few genuine pairs among many impostors: small-FAR operating points
    y = np.zeros(1000, dtype=np.int64)
    y[rng.choice(1000, 25, replace=False)] = 1
    s = rng.normal(size=1000) + 2.5 * y
    cases.append(verification_case('imbalanced', s, y))
    # every score equal: one point, AUC 0.5
    y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    s = np.full(8, 0.25)
    cases.append(verification_case('constant', s, y))

    os.makedirs(OUT, exist_ok=True)
    meta = {'generator': 'scripts/gen_metrics_fixtures.py', 'sklearn': sklearn.__version__,
            'numpy': np.__version__}
    with open(os.path.join(OUT, 'verification.json'), 'w') as f:
        json.dump({'meta': meta, 'cases': cases}, f)
    with open(os.path.join(OUT, 'classification.json'), 'w') as f:
        json.dump({'meta': meta, **classification_case(rng)}, f)


if __name__ == '__main__':
    main()
