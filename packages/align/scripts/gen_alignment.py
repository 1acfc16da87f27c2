"""Reference fixtures for @face/align: similarity transforms, templates and the bilinear warp.

Run: python3 packages/align/scripts/gen_alignment.py  (numpy only; run with numpy 2.4.6)
Writes packages/align/test/fixtures/alignment.json.

The similarity transform is Umeyama's least-squares estimate (S. Umeyama, "Least-squares
estimation of transformation parameters between two point patterns", IEEE TPAMI 13(4), 1991,
eqs. 34-42): SVD of the cross-covariance, with the reflection correction. scikit-image's
SimilarityTransform.estimate implements the same estimator; it is not installed here, so the
estimator is written out from the paper (an independent derivation from the TypeScript closed form).
"""
import json
import os

import numpy as np


def umeyama(src, dst):
    """2x3 matrix M minimising sum |dst_i - (M[:, :2] @ src_i + M[:, 2])|^2 over s * R + t."""
    src = np.asarray(src, np.float64)
    dst = np.asarray(dst, np.float64)
    n, m = src.shape
    mu_s, mu_d = src.mean(0), dst.mean(0)
    sc, dc = src - mu_s, dst - mu_d
    var_s = (sc ** 2).sum() / n                     # eq. 36
    sigma = dc.T @ sc / n                           # eq. 38
    u, d, vt = np.linalg.svd(sigma)
    s = np.eye(m)
    if np.linalg.det(sigma) < 0:                    # eq. 39
        s[-1, -1] = -1
    r = u @ s @ vt                                  # eq. 40
    c = np.trace(np.diag(d) @ s) / var_s            # eq. 42
    t = mu_d - c * r @ mu_s                         # eq. 41
    return np.hstack([c * r, t[:, None]])


def warp_bilinear(image, out_hw, out_to_in):
    """tf.image.transform's bilinear sampling, 'constant' fill 0: output pixel (x, y) reads the
    input at out_to_in @ (x, y, 1); neighbours outside the image count as 0 (tfjs-backend-cpu's
    Transform kernel, after TensorFlow's image_ops.h)."""
    h, w, ch = image.shape
    oh, ow = out_hw
    out = np.zeros((oh, ow, ch))
    for oy in range(oh):
        for ox in range(ow):
            x = out_to_in[0, 0] * ox + out_to_in[0, 1] * oy + out_to_in[0, 2]
            y = out_to_in[1, 0] * ox + out_to_in[1, 1] * oy + out_to_in[1, 2]
            x0, y0 = int(np.floor(x)), int(np.floor(y))

            def read(yy, xx):
                return image[yy, xx] if 0 <= yy < h and 0 <= xx < w else np.zeros(ch)

            top = (x0 + 1 - x) * read(y0, x0) + (x - x0) * read(y0, x0 + 1)
            bottom = (x0 + 1 - x) * read(y0 + 1, x0) + (x - x0) * read(y0 + 1, x0 + 1)
            out[oy, ox] = (y0 + 1 - y) * top + (y - y0) * bottom
    return out


def invert(m):
    full = np.vstack([m, [0, 0, 1]])
    return np.linalg.inv(full)[:2]


# dlib's 68-point mean face (points 17-67, normalised to the face box), from dlib's
# get_face_chip_details (dlib/image_transforms/interpolation.h). Index i here is point i + 17.
DLIB_MEAN_X = [
    0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124,
    0.904991, 0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036,
    0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606, 0.260918,
    0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149,
    0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104, 0.642159, 0.556721,
    0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157, 0.689874,
    0.553364, 0.490127, 0.42689]
DLIB_MEAN_Y = [
    0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891,
    0.0187482, 0.038915, 0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326,
    0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852, 0.231733,
    0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099,
    0.780233, 0.745405, 0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805,
    0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746, 0.785343, 0.778746,
    0.784792, 0.824182, 0.831803, 0.824182]


def dlib_template(size=150, padding=0.25):
    """Five points (eye centres, nose tip, mouth corners) of dlib's mean face, placed as
    get_face_chip_details places every point: (padding + p) / (2 * padding + 1) * size."""
    pts = np.stack([DLIB_MEAN_X, DLIB_MEAN_Y], 1)
    at = lambda i: pts[i - 17]
    five = [pts[36 - 17:42 - 17].mean(0), pts[42 - 17:48 - 17].mean(0), at(30), at(48), at(54)]
    return ((padding + np.array(five)) / (2 * padding + 1) * size).tolist()


def main():
    rng = np.random.default_rng(20261128)
    arcface = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]])
    cases = []
    for k, n in enumerate([5, 5, 5, 3, 68, 2]):
        src = rng.uniform(0, 250, (n, 2))
        if k == 0:
            dst = arcface  # a face's five points -> the ArcFace template
            src = arcface @ np.array([[0.9, 0.5], [-0.5, 0.9]]).T * 1.7 + [30, 12]
            src += rng.normal(0, 2.0, src.shape)
        else:
            ang, s = rng.uniform(-np.pi, np.pi), rng.uniform(0.3, 3)
            r = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
            dst = src @ (s * r).T + rng.uniform(-50, 50, 2)
            dst += rng.normal(0, 0 if k == 1 else 3.0, dst.shape)  # case 1 exact
        cases.append({'src': src.tolist(), 'dst': np.asarray(dst).tolist(),
                      'matrix': umeyama(src, dst).tolist()})
    image = rng.uniform(0, 255, (20, 24, 3))
    m = np.array([[0.8, -0.3, 3.5], [0.3, 0.8, -1.25]])  # image -> crop
    warped = warp_bilinear(image, (16, 18), invert(m))
    out = {
        'similarity': cases,
        'dlibTemplate': dlib_template(),
        'warp': {'image': image.tolist(), 'matrix': m.tolist(), 'size': [16, 18],
                 'expected': warped.tolist()},
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'alignment.json')
    with open(path, 'w') as f:
        json.dump(out, f)
    print('wrote', os.path.normpath(path))


if __name__ == '__main__':
    main()
