"""How hard is the synthetic face set? Verification AUC on held-out identities of
(1) raw-pixel cosine similarity, (2) an untrained small CNN's embeddings, (3) the same CNN after a
short softmax training on the other identities (learnability). Reads a dump written by
scripts/dump-synthetic.ts. CPU, one thread by default (the machine is shared).

Usage: /usr/bin/python3 scripts/synthetic_difficulty.py /tmp/syn32 [test_identities] [train_seconds]
"""
import json
import sys
import time

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

torch.set_num_threads(1)
torch.manual_seed(0)

prefix = sys.argv[1]
n_test = int(sys.argv[2]) if len(sys.argv) > 2 else 50
budget = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
meta = json.load(open(prefix + ".json"))
size = meta["size"]
labels = np.array(meta["labels"])
x = np.fromfile(prefix + ".u8", dtype=np.uint8).reshape(-1, size, size, 3)
x = torch.from_numpy(x).permute(0, 3, 1, 2).float().div(255).sub(0.5).div(0.5)
n_ids = labels.max() + 1
test_ids = set(range(n_ids - n_test, n_ids))
test = np.array([l in test_ids for l in labels])
y = torch.from_numpy(labels)


def auc(emb, lab):
    emb = torch.nn.functional.normalize(emb.reshape(len(emb), -1), dim=1)
    sim = (emb @ emb.T).numpy()
    iu = np.triu_indices(len(lab), 1)
    same = (lab[:, None] == lab[None, :])[iu]
    return roc_auc_score(same, sim[iu])


def net(emb=64):
    def block(i, o):
        return [torch.nn.Conv2d(i, o, 3, padding=1, bias=False), torch.nn.BatchNorm2d(o), torch.nn.ReLU()]

    return torch.nn.Sequential(
        *block(3, 16), torch.nn.MaxPool2d(2),
        *block(16, 32), torch.nn.MaxPool2d(2),
        *block(32, 64), torch.nn.MaxPool2d(2),
        *block(64, 128), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
        torch.nn.Linear(128, emb),
    )


def embed(model, xs):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(xs[i : i + 256]) for i in range(0, len(xs), 256)])


xt, lt = x[test], labels[test]
raw_centered = xt.reshape(len(xt), -1)
raw_centered = raw_centered - raw_centered.mean(1, keepdim=True)
print(f"{meta['identities']} ids x {meta['imagesPerIdentity']} images, {size}px, difficulty {meta['difficulty']}; test on {n_test} held-out ids")
print(f"raw-pixel cosine AUC        {auc(raw_centered, lt):.3f}")
model = net()
print(f"untrained CNN AUC           {auc(embed(model, xt), lt):.3f}")

train = ~test
xtr, ytr = x[train], y[train]
head = torch.nn.Linear(64, n_ids - n_test)
opt = torch.optim.Adam(list(model.parameters()) + list(head.parameters()), lr=3e-3)
start = time.time()
step = 0
epoch = 0
while time.time() - start < budget:
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(perm) - 63, 64):
        idx = perm[i : i + 64]
        xb = xtr[idx]
        # Flip and small shifts: the augmentation a real recipe would use.
        flip = torch.rand(len(xb)) < 0.5
        xb[flip] = xb[flip].flip(3)
        loss = torch.nn.functional.cross_entropy(head(model(xb)), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if time.time() - start > budget:
            break
    epoch += 1
    if epoch % 5 == 1:
        print(f"  epoch {epoch} ({time.time() - start:.0f} s, {step} steps): loss {loss.item():.3f}, held-out AUC {auc(embed(model, xt), lt):.3f}")
print(f"trained CNN AUC ({budget:.0f} s, 1 thread)  {auc(embed(model, xt), lt):.3f}")
