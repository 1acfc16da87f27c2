"""PyTorch twins of the @face/layers backbones, for golden values and the benchmark.

Module names mirror the TF.js layer names (`stage1.0.conv1` <-> layer 'stage1.0.conv1'), so a
state_dict entry `<layer>.<param>` maps to that layer's weight. Written from the papers
(ArcFace / IResNet: Deng et al. 2019; MobileFaceNet: Chen et al. 2018) and the TS sources.
"""
import torch
from torch import nn

IRESNET_STAGES = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 14, 3], 100: [3, 13, 30, 3]}
MOBILEFACENET_STAGES = [(2, 64, 5, 2), (4, 128, 1, 2), (2, 128, 6, 1), (4, 128, 1, 2), (2, 128, 2, 1)]


def scale(c, width):
    return max(1, round(c * width))


class ConvNormAct(nn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=None, depthwise=False, act='prelu'):
        super().__init__()
        padding = k // 2 if padding is None else padding
        self.conv = nn.Conv2d(cin, cout, k, stride, padding, groups=cin if depthwise else 1, bias=False)
        self.norm = nn.BatchNorm2d(cout)
        self.act = nn.PReLU(cout) if act == 'prelu' else None

    def forward(self, x):
        x = self.norm(self.conv(x))
        return self.act(x) if self.act is not None else x


class Downsample(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1, stride, 0, bias=False)
        self.norm = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.norm(self.conv(x))


class IBasicBlock(nn.Module):
    """norm -> conv3x3 -> norm -> PReLU -> conv3x3(stride) -> norm, + shortcut."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(cout)
        self.act = nn.PReLU(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride, 1, bias=False)
        self.norm3 = nn.BatchNorm2d(cout)
        self.downsample = Downsample(cin, cout, stride) if stride != 1 or cin != cout else None

    def forward(self, x):
        out = self.norm3(self.conv2(self.act(self.norm2(self.conv1(self.norm1(x))))))
        return out + (self.downsample(x) if self.downsample is not None else x)


class EmbeddingHead(nn.Module):
    """BN -> flatten -> dropout -> FC -> BN with its scale fixed at 1."""

    def __init__(self, channels, side, embedding, dropout=0.0):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(channels * side * side, embedding)
        self.features = nn.BatchNorm1d(embedding)
        nn.init.constant_(self.features.weight, 1.0)
        self.features.weight.requires_grad = False

    def forward(self, x):
        return self.features(self.fc(self.dropout(torch.flatten(self.norm(x), 1))))


class IResNet(nn.Module):
    def __init__(self, stages, width=1.0, input_size=112, embedding=512):
        super().__init__()
        self.stem = ConvNormAct(3, scale(64, width), 3, 1, 1)
        cin = scale(64, width)
        for s, (channels, n) in enumerate(zip([64, 128, 256, 512], stages)):
            cout = scale(channels, width)
            blocks = []
            for b in range(n):
                blocks.append(IBasicBlock(cin, cout, 2 if b == 0 else 1))
                cin = cout
            setattr(self, f'stage{s + 1}', nn.Sequential(*blocks))
        self.head = EmbeddingHead(cin, input_size // 16, embedding)

    def forward(self, x):
        x = self.stem(x)
        for s in range(1, 5):
            x = getattr(self, f'stage{s}')(x)
        return self.head(x)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, t, stride):
        super().__init__()
        hidden = cin * t
        self.expand = ConvNormAct(cin, hidden, 1) if t != 1 else None
        self.depthwise = ConvNormAct(hidden, hidden, 3, stride, 1, depthwise=True)
        self.project = ConvNormAct(hidden, cout, 1, act=None)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.expand(x) if self.expand is not None else x
        y = self.project(self.depthwise(y))
        return x + y if self.residual else y


class GDCHead(nn.Module):
    def __init__(self, channels, side, embedding):
        super().__init__()
        self.gdc = ConvNormAct(channels, channels, side, 1, 0, depthwise=True, act=None)
        self.fc = nn.Linear(channels, embedding, bias=False)
        self.features = nn.BatchNorm1d(embedding)

    def forward(self, x):
        return self.features(self.fc(torch.flatten(self.gdc(x), 1)))


class MobileFaceNet(nn.Module):
    def __init__(self, input_size=112, embedding=128, width=1.0):
        super().__init__()
        c = lambda ch: scale(ch, width)
        self.conv1 = ConvNormAct(3, c(64), 3, 2, 1)
        self.conv2_dw = ConvNormAct(c(64), c(64), 3, 1, 1, depthwise=True)
        cin = c(64)
        for i, (t, ch, n, s) in enumerate(MOBILEFACENET_STAGES):
            blocks = []
            for j in range(n):
                blocks.append(InvertedResidual(cin, c(ch), t, s if j == 0 else 1))
                cin = c(ch)
            setattr(self, f'stage{i + 1}', nn.Sequential(*blocks))
        self.conv_last = ConvNormAct(cin, c(512), 1)
        self.head = GDCHead(c(512), input_size // 16, embedding)

    def forward(self, x):
        x = self.conv2_dw(self.conv1(x))
        for i in range(1, 6):
            x = getattr(self, f'stage{i}')(x)
        return self.head(self.conv_last(x))


def fnv1a(name):
    h = 0x811C9DC5
    for ch in name.encode():
        h = ((h ^ ch) * 0x01000193) & 0xFFFFFFFF
    return h


def pattern(name, n):
    """Deterministic values in [-0.5, 0.5): exact integer arithmetic, so TS computes the same."""
    h = fnv1a(name) % 9973
    return torch.tensor([((h + i * 7919) % 9973) / 9973 - 0.5 for i in range(n)], dtype=torch.float64)


def deterministic_weights(model):
    """Sets every parameter and BN statistic from `pattern`, keyed by its state_dict name."""
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith('num_batches_tracked') or name in frozen:
                continue
            v = pattern(name, t.numel()).reshape(t.shape)
            module, leaf = name.rsplit('.', 2)[-2:]
            if t.dim() >= 2:  # conv / linear weight: variance 1 / fan_in
                fan_in = t[0].numel()
                value = v * 2 * (3.0 / fan_in) ** 0.5
            elif leaf == 'running_var':
                value = 1 + 0.5 * (v + 0.5)
            elif leaf == 'weight' and module == 'act':
                value = 0.25 + 0.2 * v
            elif leaf == 'weight':
                value = 1 + 0.2 * v
            else:  # bias, running_mean
                value = 0.2 * v
            t.copy_(value.to(t.dtype))


def count(model):
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    fixed = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith('num_batches_tracked'))
    return {'trainable': trainable, 'fixed': fixed, 'buffers': buffers}
