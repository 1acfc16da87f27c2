"""PyTorch side of bench/layers-train-step.mjs: one training step (forward, backward, Adam) of the
PyTorch twins of the @face/layers backbones (packages/layers/scripts/torch_reference.py, checked
equal by the golden tests) with an ArcFace head over 1000 classes (s = 64, m = 0.5), CPU, 2 threads.

  /usr/bin/python3 bench/layers_train_step.py [--model mobilefacenet|iresnet18] [--size 112] [--batch 16] [--steps 3]
"""
import argparse, json, os, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'packages', 'layers', 'scripts'))
from torch_reference import IResNet, MobileFaceNet, IRESNET_STAGES

p = argparse.ArgumentParser()
p.add_argument('--model', default='mobilefacenet')
p.add_argument('--size', type=int, default=112)
p.add_argument('--batch', type=int, default=16)
p.add_argument('--steps', type=int, default=3)
a = p.parse_args()
torch.set_num_threads(2)
torch.manual_seed(1)
backbone = (IResNet(IRESNET_STAGES[18], 1.0, a.size, 512) if a.model == 'iresnet18'
            else MobileFaceNet(a.size, 128)).train()
dim = 512 if a.model == 'iresnet18' else 128
weight = torch.nn.Parameter(torch.randn(dim, 1000) * 0.01)
optimizer = torch.optim.Adam([*backbone.parameters(), weight], lr=1e-3)
x = torch.rand(a.batch, 3, a.size, a.size) * 2 - 1
labels = torch.arange(a.batch) % 1000


def step():
    optimizer.zero_grad()
    cos = F.normalize(backbone(x), dim=1) @ F.normalize(weight, dim=0)
    theta = torch.acos(cos.clamp(-1 + 1e-7, 1 - 1e-7))
    target = torch.cos(theta + 0.5)
    logits = torch.where(F.one_hot(labels, 1000).bool(), target, cos) * 64
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    return loss.item()


before = ' '.join(f'{l:.2f}' for l in os.getloadavg())
step()  # warm-up
start = time.perf_counter()
for _ in range(a.steps):
    step()
ms = (time.perf_counter() - start) / a.steps * 1000
print(json.dumps({'model': a.model, 'size': a.size, 'batch': a.batch, 'backend': 'pytorch-cpu-2threads',
                  'msPerStep': round(ms), 'imagesPerS': round(a.batch * 1000 / ms, 1),
                  'load': before + ' -> ' + ' '.join(f'{l:.2f}' for l in os.getloadavg())}))
