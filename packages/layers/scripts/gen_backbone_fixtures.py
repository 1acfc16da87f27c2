"""Golden values for the @face/layers backbones from their PyTorch twins (torch_reference.py).

Weights come from `pattern` (exact integer arithmetic that the TS test reproduces), so the fixture
holds only inputs, outputs and counts. Run: /usr/bin/python3 scripts/gen_backbone_fixtures.py
"""
import json, os, sys
import torch

sys.path.insert(0, os.path.dirname(__file__))
from torch_reference import IResNet, MobileFaceNet, IRESNET_STAGES, count, deterministic_weights

torch.manual_seed(0)


def flat(t):
    return [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]


def golden(name, model, options, size, batch=4):
    deterministic_weights(model)
    x = torch.randn(batch, 3, size, size)
    model.eval()
    with torch.no_grad():
        y_eval = model(x)
    model.train()
    with torch.no_grad():
        y_train = model(x)
    stats = {n: flat(b) for n, b in model.named_buffers() if n.endswith('running_mean') and n.startswith(('stem', 'conv1', 'head.features'))}
    return {'name': name, 'options': options, 'x': flat(x), 'x_shape': list(x.shape),
            'y_eval': flat(y_eval), 'y_train': flat(y_train), 'running_mean_after_train': stats,
            'count': count(model)}


cases = [
    golden('iresnet', IResNet([2, 1, 1, 2], 0.125, 32, 16),
           {'stages': [2, 1, 1, 2], 'width': 0.125, 'inputSize': 32, 'embeddingSize': 16}, 32),
    golden('mobilefacenet', MobileFaceNet(32, 16, 0.25),
           {'inputSize': 32, 'embeddingSize': 16, 'width': 0.25}, 32),
]

# Parameter counts of the full configurations (no forward pass).
counts = []
for depth in (18, 34, 50):
    for size in (112, 64):
        counts.append({'name': 'iresnet', 'options': {'depth': depth, 'inputSize': size}, 'count': count(IResNet(IRESNET_STAGES[depth], 1.0, size, 512))})
counts.append({'name': 'iresnet', 'options': {'stages': [1, 1, 1, 1], 'width': 0.25, 'inputSize': 64, 'embeddingSize': 128}, 'count': count(IResNet([1, 1, 1, 1], 0.25, 64, 128))})
for size, emb in ((112, 128), (112, 512), (64, 128)):
    counts.append({'name': 'mobilefacenet', 'options': {'inputSize': size, 'embeddingSize': emb}, 'count': count(MobileFaceNet(size, emb))})

out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'backbones.json')
with open(out, 'w') as f:
    json.dump({'generator': 'scripts/gen_backbone_fixtures.py', 'torch': torch.__version__, 'cases': cases, 'counts': counts}, f)
print('wrote', out)
