"""Forward throughput of the PyTorch twins of the @face/layers backbones (CPU, 2 threads, batch 32).

The architectures are packages/layers/scripts/torch_reference.py, checked equal to the TF.js ones
by the golden tests. Run: /usr/bin/python3 bench/backbones.py [--runs 2]
"""
import json, os, sys, time
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'packages', 'layers', 'scripts'))
from torch_reference import IResNet, MobileFaceNet, IRESNET_STAGES

torch.set_num_threads(2)
runs = int(sys.argv[sys.argv.index('--runs') + 1]) if '--runs' in sys.argv else 2
MODELS = {
    'iresnet_tiny64': (lambda: IResNet([1, 1, 1, 1], 0.25, 64, 128), 64),
    'mobilefacenet112': (lambda: MobileFaceNet(112, 128), 112),
    'iresnet18_112': (lambda: IResNet(IRESNET_STAGES[18], 1.0, 112, 512), 112),
    'iresnet50_112': (lambda: IResNet(IRESNET_STAGES[50], 1.0, 112, 512), 112),
}


def macs(model, size):
    total = [0]
    def conv_hook(m, i, o):
        total[0] += o.numel() // o.shape[0] * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
    def linear_hook(m, i, o):
        total[0] += m.in_features * m.out_features
    hooks = [m.register_forward_hook(conv_hook) for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    hooks += [m.register_forward_hook(linear_hook) for m in model.modules() if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    return total[0]


print(f'# torch {torch.__version__}, {torch.get_num_threads()} threads, load {os.getloadavg()}')
for name, (make, size) in MODELS.items():
    model = make().eval()
    x = torch.randn(32, 3, size, size)
    with torch.no_grad():
        model(x)
        start = time.perf_counter()
        for _ in range(runs):
            model(x)
        seconds = time.perf_counter() - start
    print(json.dumps({'model': name, 'backend': 'pytorch-cpu-2threads', 'batch': 32, 'runs': runs,
                      'imgPerSec': 32 * runs / seconds, 'gmacsPerImage': macs(model, size) / 1e9}))
print(f'# load after: {os.getloadavg()}')
