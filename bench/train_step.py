"""PyTorch CPU reference for bench/train-step.ts: the same architectures as
packages/backends/test/models/representative.ts (MobileFaceNet, IResNet-18; BatchNorm with batch
statistics, PReLU, CosFace-style cosine logits + 0.01 * center loss through a gather, Adam),
one full training step (forward, backward, optimizer) timed at a given batch and input size.

Usage: /usr/bin/python3 bench/train_step.py --model mobilefacenet --size 112 --batch 32 \
           --steps 3 --threads 2
Prints one JSON line: {"model", "size", "batch", "threads", "ms_per_step", "images_per_s"}.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, k, s, act=True, groups=1, pad=None):
    layers = [
        nn.Conv2d(cin, cout, k, s, k // 2 if pad is None else pad, groups=groups, bias=False),
        nn.BatchNorm2d(cout, eps=1e-5),
    ]
    if act:
        layers.append(nn.PReLU(cout, init=0.25))
    return nn.Sequential(*layers)


class Bottleneck(nn.Module):
    """MobileFaceNets (Chen et al., 2018): 1x1 expand, 3x3 depthwise, 1x1 linear project."""

    def __init__(self, cin, cout, t, s):
        super().__init__()
        hidden = cin * t
        self.residual = s == 1 and cin == cout
        self.body = nn.Sequential(
            conv_bn(cin, hidden, 1, 1),
            conv_bn(hidden, hidden, 3, s, groups=hidden),
            conv_bn(hidden, cout, 1, 1, act=False),
        )

    def forward(self, x):
        return x + self.body(x) if self.residual else self.body(x)


class MobileFaceNet(nn.Module):
    def __init__(self, size, embedding=128):
        super().__init__()
        layers = [conv_bn(3, 64, 3, 2), conv_bn(64, 64, 3, 1, groups=64)]
        cin = 64
        for t, c, n, s in [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]:
            for i in range(n):
                layers.append(Bottleneck(cin, c, t, s if i == 0 else 1))
                cin = c
        spatial = size
        for s in [2, 2, 2, 2]:
            spatial = (spatial + 1) // 2
        layers += [
            conv_bn(cin, 512, 1, 1),
            conv_bn(512, 512, spatial, 1, act=False, groups=512, pad=0),  # GDC
            conv_bn(512, embedding, 1, 1, act=False),
        ]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x).flatten(1)


class IBasicBlock(nn.Module):
    """IResNet block (ArcFace, Deng et al., 2019): BN-conv-BN-PReLU-conv-BN + shortcut."""

    def __init__(self, cin, cout, s):
        super().__init__()
        self.body = nn.Sequential(
            nn.BatchNorm2d(cin, eps=1e-5),
            nn.Conv2d(cin, cout, 3, 1, 1, bias=False),
            nn.BatchNorm2d(cout, eps=1e-5),
            nn.PReLU(cout, init=0.25),
            nn.Conv2d(cout, cout, 3, s, 1, bias=False),
            nn.BatchNorm2d(cout, eps=1e-5),
        )
        self.shortcut = (
            conv_bn(cin, cout, 1, s, act=False) if s != 1 or cin != cout else nn.Identity()
        )

    def forward(self, x):
        return self.body(x) + self.shortcut(x)


class IResNet18(nn.Module):
    def __init__(self, size, embedding=512):
        super().__init__()
        layers = [conv_bn(3, 64, 3, 1)]
        cin = 64
        spatial = size
        for c, n in [(64, 2), (128, 2), (256, 2), (512, 2)]:
            for i in range(n):
                layers.append(IBasicBlock(cin, c, 2 if i == 0 else 1))
                cin = c
            spatial = (spatial + 1) // 2
        layers.append(nn.BatchNorm2d(cin, eps=1e-5))
        self.body = nn.Sequential(*layers)
        # NHWC flatten order differs from NCHW, which does not matter for timing.
        self.fc = nn.Linear(cin * spatial * spatial, embedding, bias=False)
        self.features = nn.BatchNorm1d(embedding, eps=1e-5)

    def forward(self, x):
        return self.features(self.fc(self.body(x).flatten(1)))


class Head(nn.Module):
    """CosFace (Wang et al., 2018): s * (cos - m at the target), plus 0.01 * center loss."""

    def __init__(self, embedding, classes):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(embedding, classes) * (2 / embedding) ** 0.5)
        self.centers = nn.Parameter(torch.randn(classes, embedding) * 0.1)

    def forward(self, e, labels):
        cos = F.normalize(e, dim=1) @ F.normalize(self.weight, dim=0)
        target = F.one_hot(labels, cos.shape[1]).float()
        logits = 64 * (cos - 0.35 * target)
        ce = -(target * F.log_softmax(logits, dim=1)).sum(1).mean()
        center = ((e - self.centers.index_select(0, labels)) ** 2).sum(1).mean()
        return ce + 0.01 * center


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mobilefacenet", "iresnet18"], default="mobilefacenet")
    p.add_argument("--size", type=int, default=112)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--classes", type=int, default=1000)
    p.add_argument("--peak", action="store_true", help="print a 2048^3 matmul's GFLOP/s instead")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.peak:
        m = torch.randn(2048, 2048)
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            m @ m
            best = min(best, time.perf_counter() - t)
        print(json.dumps({"threads": a.threads, "matmul_gflops": round(2 * 2048**3 / best / 1e9, 1)}))
        return
    torch.manual_seed(0)
    backbone = MobileFaceNet(a.size) if a.model == "mobilefacenet" else IResNet18(a.size)
    head = Head(128 if a.model == "mobilefacenet" else 512, a.classes)
    params = list(backbone.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.rand(a.batch, 3, a.size, a.size) * 2 - 1
    labels = torch.randint(0, a.classes, (a.batch,))
    times = []
    for i in range(a.steps + 1):  # the first step warms up
        t = time.perf_counter()
        opt.zero_grad()
        loss = head(backbone(x), labels)
        loss.backward()
        opt.step()
        loss.item()
        if i > 0:
            times.append(time.perf_counter() - t)
    ms = min(times) * 1000  # the fastest step: interference on a shared machine only adds time
    print(json.dumps({"model": a.model, "size": a.size, "batch": a.batch, "threads": a.threads,
                      "ms_per_step": round(ms, 1), "images_per_s": round(a.batch * 1000 / ms, 2)}))


if __name__ == "__main__":
    main()
