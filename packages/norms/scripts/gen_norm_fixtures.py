"""Reference values for @face/norms from PyTorch (torch.nn BatchNorm/LayerNorm/GroupNorm/InstanceNorm).

Every case is in PyTorch's NCHW layout; the tests read it both as-is (channel axis 1) and
transposed to channels-last. Gradients are of loss = sum(y * w) for a fixed random w, so that
they are not trivially zero (sum(y) has zero input gradient through a normalization).
Run: /usr/bin/python3 scripts/gen_norm_fixtures.py   (torch 1.13)
"""
import json, os
import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float32)


def flat(t):
    return [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]


def sample(shape, mean=1.0, std=2.0):
    return torch.randn(*shape) * std + mean


def run(module, x, train):
    """Forward and backward of sum(y * w); returns the case's tensors."""
    module.train(train)
    x = x.clone().requires_grad_(True)
    y = module(x)
    w = torch.randn(*y.shape)
    (y * w).sum().backward()
    case = {'shape': list(x.shape), 'x': flat(x), 'w': flat(w), 'y': flat(y), 'dx': flat(x.grad)}
    if getattr(module, 'weight', None) is not None:
        case['gamma'] = flat(module.weight)
        case['beta'] = flat(module.bias)
        case['dgamma'] = flat(module.weight.grad)
        case['dbeta'] = flat(module.bias.grad)
    return case


def affine(module):
    """Non-trivial gamma/beta so the affine part is tested too."""
    if getattr(module, 'weight', None) is not None:
        with torch.no_grad():
            module.weight.copy_(torch.rand(module.weight.shape) + 0.5)
            module.bias.copy_(torch.randn(module.bias.shape) * 0.5)
    return module


cases = []

# BatchNorm: train and eval, 2D / 3D / 4D, with running statistics set to non-trivial values.
for shape in ([6, 4], [3, 3, 5], [4, 3, 5, 5]):
    c = shape[1]
    for train in (True, False):
        bn = affine({2: torch.nn.BatchNorm1d, 3: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d}[len(shape)](c))
        with torch.no_grad():
            bn.running_mean.copy_(torch.randn(c) * 0.5)
            bn.running_var.copy_(torch.rand(c) + 0.5)
        rm, rv = bn.running_mean.clone(), bn.running_var.clone()
        case = run(bn, sample(shape), train)
        case.update(kind='batch', train=train, eps=bn.eps, momentum=bn.momentum,
                    running_mean=flat(rm), running_var=flat(rv),
                    running_mean_after=flat(bn.running_mean), running_var_after=flat(bn.running_var))
        cases.append(case)

# GroupNorm: several group counts, including 1 (LayerNorm-like) and C (InstanceNorm-like).
for shape, groups in (([2, 6, 4, 4], 1), ([2, 6, 4, 4], 2), ([2, 6, 4, 4], 3), ([2, 6, 4, 4], 6), ([3, 4, 5], 2)):
    gn = affine(torch.nn.GroupNorm(groups, shape[1]))
    case = run(gn, sample(shape), True)
    case.update(kind='group', train=True, groups=groups, eps=gn.eps)
    cases.append(case)

# InstanceNorm: PyTorch's default (no affine) and affine.
for shape, aff in (([2, 3, 5, 5], False), ([2, 3, 5, 5], True), ([3, 2, 6], True)):
    inorm = torch.nn.InstanceNorm2d(shape[1], affine=aff) if len(shape) == 4 else torch.nn.InstanceNorm1d(shape[1], affine=aff)
    case = run(affine(inorm), sample(shape), True)
    case.update(kind='instance', train=True, affine=aff, eps=inorm.eps)
    cases.append(case)

# LayerNorm over the trailing `normalized_rank` axes of the NCHW tensor.
for shape, rank in (([3, 5], 1), ([2, 3, 4], 2), ([2, 3, 4, 4], 3)):
    ln = torch.nn.LayerNorm(shape[len(shape) - rank:])
    with torch.no_grad():
        ln.weight.copy_(torch.rand(ln.weight.shape) + 0.5)
        ln.bias.copy_(torch.randn(ln.bias.shape) * 0.5)
    case = run(ln, sample(shape), True)
    case.update(kind='layer', train=True, normalized_rank=rank, eps=ln.eps)
    cases.append(case)

# BatchNorm running statistics over several training steps, then inference with them.
running = []
for momentum, shape in ((0.1, [4, 3, 5, 5]), (0.3, [5, 2, 3, 3])):
    bn = torch.nn.BatchNorm2d(shape[1], momentum=momentum)
    bn.train()
    steps = []
    for step in range(4):
        x = sample(shape, mean=float(step), std=1.0 + step)
        with torch.no_grad():
            bn(x)
        steps.append({'x': flat(x), 'running_mean': flat(bn.running_mean), 'running_var': flat(bn.running_var)})
    bn.eval()
    x = sample(shape)
    with torch.no_grad():
        y = bn(x)
    running.append({'momentum': momentum, 'shape': shape, 'steps': steps, 'eval_x': flat(x), 'eval_y': flat(y)})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'norms.json')
with open(out, 'w') as f:
    json.dump({'generator': 'scripts/gen_norm_fixtures.py', 'torch': torch.__version__, 'cases': cases, 'running': running}, f)
print('wrote', out, len(cases), 'cases')
