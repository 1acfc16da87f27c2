"""scikit-learn / numpy side of bench/metrics.mjs (run by it, on the same data files).

roc <scores.f32> <labels.u8> <reps>: times roc_curve and roc_auc_score on the scores.
search <gallery.f32> <queries.f32> <dim> <batch>: top-1 cosine search with numpy (BLAS matmul
in query batches, argmax per row), the baseline for searchGallery.
Prints one JSON line.
"""
import json
import os
import resource
import sys
import time

import numpy as np


def roc(scores_path, labels_path, reps):
    from sklearn.metrics import roc_auc_score, roc_curve
    s = np.fromfile(scores_path, dtype=np.float64 if scores_path.endswith('f64') else np.float32)
    y = np.fromfile(labels_path, dtype=np.uint8)
    t_roc, t_auc = [], []
    for _ in range(int(reps)):
        t = time.perf_counter()
        fpr, tpr, thr = roc_curve(y, s)
        t_roc.append(time.perf_counter() - t)
        t = time.perf_counter()
        auc = roc_auc_score(y, s)
        t_auc.append(time.perf_counter() - t)
    print(json.dumps({'roc_s': min(t_roc), 'auc_s': min(t_auc), 'auc': auc, 'points': len(fpr),
                      'tpr_at_1e-3': float(np.interp(1e-3, fpr, tpr)),
                      'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def search(gallery_path, queries_path, dim, batch):
    dim, batch = int(dim), int(batch)
    g = np.fromfile(gallery_path, dtype=np.float32).reshape(-1, dim)
    q = np.fromfile(queries_path, dtype=np.float32).reshape(-1, dim)
    t = time.perf_counter()
    gn = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
    qn = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    top1 = np.empty(len(q), dtype=np.int64)
    for i in range(0, len(q), batch):
        top1[i:i + batch] = np.argmax(qn[i:i + batch] @ gn.T, axis=1)
    seconds = time.perf_counter() - t
    print(json.dumps({'search_s': seconds, 'top1': top1.tolist(),
                      'threads': os.environ.get('OPENBLAS_NUM_THREADS', 'default'),
                      'max_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == '__main__':
    {'roc': roc, 'search': search}[sys.argv[1]](*sys.argv[2:])
