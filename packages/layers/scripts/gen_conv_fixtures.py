"""Golden values for @face/layers convolutions from torch.nn.Conv2d (NCHW, OIHW weights).

Separable = depthwise Conv2d(groups=M) then 1x1 Conv2d, the bias on the second. Gradients are of
sum(y * w) for a fixed random w. Parameter counts are PyTorch numel; multiply-accumulates are
counted from the output shapes PyTorch produces. Run: /usr/bin/python3 scripts/gen_conv_fixtures.py
"""
import json, os
import torch
from torch import nn

torch.manual_seed(0)


def flat(t):
    return [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]


def build(kind, m, n, k, bias, d=1, stride=1, padding=0):
    if kind == 'conventional':
        return nn.Conv2d(m, n, k, stride, padding, bias=bias)
    if kind == 'pointwise':
        return nn.Conv2d(m, n, 1, stride, 0, bias=bias)
    if kind == 'depthwise':
        return nn.Conv2d(m, n, k, stride, padding, groups=m, bias=bias)
    return nn.Sequential(nn.Conv2d(m, m * d, k, stride, padding, groups=m, bias=False),
                         nn.Conv2d(m * d, n, 1, 1, 0, bias=bias))


def macs(module, x):
    total = 0
    for conv in [c for c in module.modules() if isinstance(c, nn.Conv2d)]:
        y = conv(x)
        total += y.numel() // y.shape[0] * (conv.in_channels // conv.groups) * conv.kernel_size[0] * conv.kernel_size[1]
        x = y
    return total


cases = []
for spec in [
    dict(kind='conventional', m=3, n=4, k=3, bias=True, stride=1, padding=1, size=7),
    dict(kind='conventional', m=3, n=4, k=3, bias=False, stride=2, padding=1, size=6),
    dict(kind='conventional', m=2, n=3, k=5, bias=True, stride=1, padding=0, size=7),
    dict(kind='depthwise', m=3, n=3, k=3, bias=False, stride=1, padding=1, size=7),
    dict(kind='depthwise', m=3, n=6, k=3, bias=True, stride=2, padding=1, size=6),
    dict(kind='pointwise', m=4, n=5, k=1, bias=True, stride=1, padding=0, size=5),
    dict(kind='pointwise', m=4, n=5, k=1, bias=False, stride=2, padding=0, size=6),
    dict(kind='separable', m=3, n=5, k=3, bias=True, d=2, stride=2, padding=1, size=6),
    dict(kind='separable', m=4, n=6, k=5, bias=False, d=1, stride=1, padding=2, size=7),
]:
    conv = build(spec['kind'], spec['m'], spec['n'], spec['k'], spec['bias'], spec.get('d', 1), spec['stride'], spec['padding'])
    x = torch.randn(2, spec['m'], spec['size'], spec['size'], requires_grad=True)
    y = conv(x)
    w = torch.randn(*y.shape)
    (y * w).sum().backward()
    params = [p for p in conv.parameters()]
    cases.append({**spec, 'x': flat(x), 'w': flat(w), 'y': flat(y), 'y_shape': list(y.shape), 'dx': flat(x.grad),
                  'weights': [{'shape': list(p.shape), 'value': flat(p), 'grad': flat(p.grad)} for p in params]})

# Counts over a grid of configurations, including the seed's 8x8x3 -> 256 filters of 5x5 example.
counts = []
for kind, m, n, k, bias, d, stride, padding, size in [
    ('conventional', 3, 256, 5, False, 1, 1, 2, 8),
    ('separable', 3, 256, 5, False, 1, 1, 2, 8),
    ('depthwise', 3, 3, 5, False, 1, 1, 2, 8),
    ('pointwise', 3, 256, 1, False, 1, 1, 0, 8),
    ('conventional', 64, 128, 3, True, 1, 2, 1, 56),
    ('depthwise', 32, 64, 3, True, 1, 1, 1, 14),
    ('depthwise', 128, 128, 7, False, 1, 1, 0, 7),
    ('pointwise', 128, 512, 1, True, 1, 2, 0, 14),
    ('separable', 16, 32, 3, True, 2, 2, 1, 28),
    ('separable', 8, 8, 7, False, 3, 1, 3, 9),
]:
    conv = build(kind, m, n, k, bias, d, stride, padding)
    counts.append({'kind': kind, 'inChannels': m, 'outChannels': n, 'kernelSize': k, 'bias': bias,
                   'depthMultiplier': d, 'strides': stride, 'padding': padding, 'inputSize': size,
                   'numel': sum(p.numel() for p in conv.parameters()),
                   'macs': macs(conv, torch.zeros(1, m, size, size))})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'convs.json')
with open(out, 'w') as f:
    json.dump({'generator': 'scripts/gen_conv_fixtures.py', 'torch': torch.__version__, 'cases': cases, 'counts': counts}, f)
print('wrote', out)
