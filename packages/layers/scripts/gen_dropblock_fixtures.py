"""Golden values for @face/layers DropBlock from torchvision.ops.drop_block2d (torchvision 0.14).

Exact cases: the Bernoulli block centres drop_block2d draws are re-drawn with the same seed and
shape (its only random call), stored, and checked to reproduce torchvision's output here; the TS
test feeds them in and must get the same mask and output. Statistics: torchvision's mean kept
fraction and output mean over many draws. Run: /usr/bin/python3 scripts/gen_dropblock_fixtures.py
"""
import json, os
import torch
import torchvision
from torchvision.ops import drop_block2d


def flat(t):
    return [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]


exact = []
for seed, (shape, p, block) in enumerate([([2, 3, 9, 9], 0.3, 3), ([2, 2, 8, 10], 0.2, 5), ([1, 2, 5, 5], 0.5, 7), ([3, 2, 6, 6], 0.1, 1)]):
    x = torch.randn(*shape)
    torch.manual_seed(seed)
    y = drop_block2d(x, p, block)
    n, c, h, w = shape
    bs = min(block, h, w)
    gamma = (p * h * w) / ((bs ** 2) * ((h - bs + 1) * (w - bs + 1)))
    torch.manual_seed(seed)
    noise = torch.empty((n, c, h - bs + 1, w - bs + 1)).bernoulli_(gamma)
    mask = 1 - torch.nn.functional.max_pool2d(torch.nn.functional.pad(noise, [bs // 2] * 4), bs, 1, bs // 2)
    assert torch.equal(x * mask * (mask.numel() / (1e-6 + mask.sum())), y), 'noise does not reproduce torchvision'
    exact.append({'shape': shape, 'p': p, 'blockSize': block, 'effectiveBlockSize': bs, 'gamma': gamma,
                  'x': flat(x), 'noise': flat(noise), 'noise_shape': list(noise.shape), 'mask': flat(mask), 'y': flat(y)})

stats = []
torch.manual_seed(1)
for shape, p, block, draws in [([8, 16, 14, 14], 0.1, 3, 200), ([8, 16, 14, 14], 0.2, 5, 200), ([8, 8, 7, 7], 0.1, 3, 200)]:
    ones = torch.ones(*shape)
    kept, means = [], []
    for _ in range(draws):
        y = drop_block2d(ones, p, block)
        kept.append((y != 0).float().mean().item())
        means.append(y.mean().item())
    stats.append({'shape': shape, 'p': p, 'blockSize': block, 'draws': draws,
                  'kept_fraction': sum(kept) / draws, 'output_mean': sum(means) / draws})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'dropblock.json')
with open(out, 'w') as f:
    json.dump({'generator': 'scripts/gen_dropblock_fixtures.py', 'torchvision': torchvision.__version__, 'exact': exact, 'statistics': stats}, f)
print('wrote', out, [(s['p'], s['kept_fraction']) for s in stats])
