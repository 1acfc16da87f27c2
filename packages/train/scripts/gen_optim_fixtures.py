"""Reference values for @face/train's optimizers, LR schedules, gradient clipping and a full
training step, from PyTorch 1.13 (torch.optim, torch.optim.lr_scheduler, torch.nn.utils).

Run from packages/train: /usr/bin/python3 scripts/gen_optim_fixtures.py
Writes test/fixtures/{optimizers,schedules,clipping,train_step}.json. Float32 tensors are written
as the doubles they hold, so the TypeScript side starts from bit-identical values.
"""
import json, math, os, warnings
import torch
from torch.optim import SGD, Adam, AdamW
from torch.optim import lr_scheduler as S

torch.set_default_dtype(torch.float32)
# SequentialLR itself calls step(0) at its milestones, which torch 1.13 flags as deprecated.
warnings.filterwarnings("ignore", message="The epoch parameter")
OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures")


def arr(t):
    return t.detach().double().tolist()


def dump(name, obj):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(obj, f)
    print("wrote", name)


# ---------------------------------------------------------------- optimizers
# Fixed gradients per step isolate the update rule; 6 steps exercise the moment buffers and
# bias corrections. `lrs` (when present) is the rate of each step, set by a StepLR.
g = torch.Generator().manual_seed(0)
W0 = torch.randn(3, 4, generator=g)
B0 = torch.randn(4, generator=g)
GRADS = [(torch.randn(3, 4, generator=g), torch.randn(4, generator=g)) for _ in range(6)]

OPT = {"sgd": SGD, "adam": Adam, "adamw": AdamW}
TORCH_NAMES = {"lr": "lr", "momentum": "momentum", "dampening": "dampening", "nesterov": "nesterov",
               "weightDecay": "weight_decay", "eps": "eps", "amsgrad": "amsgrad"}


def torch_opts(o):
    out = {TORCH_NAMES[k]: v for k, v in o.items() if k in TORCH_NAMES}
    if "beta1" in o or "beta2" in o:
        out["betas"] = (o.get("beta1", 0.9), o.get("beta2", 0.999))
    return out


def run_optimizer(kind, options, groups=None, step_lr=None):
    w = W0.clone().requires_grad_(True)
    b = B0.clone().requires_grad_(True)
    base = torch_opts(options)
    if groups is None:
        params = [w, b]
    else:
        params = []
        for grp, p in zip(groups, (w, b)):
            d = {"params": [p], **torch_opts(grp)}
            if "lrScale" in grp:
                d["lr"] = base["lr"] * grp["lrScale"]
            params.append(d)
    opt = OPT[kind](params, **base)
    sched = S.StepLR(opt, step_size=step_lr[0], gamma=step_lr[1]) if step_lr else None
    traj, lrs = [], []
    for gw, gb in GRADS:
        lrs.append(opt.param_groups[0]["lr"])
        w.grad = gw.clone()
        b.grad = gb.clone()
        opt.step()
        if sched:
            sched.step()
        traj.append({"w": arr(w), "b": arr(b)})
    state = {name: {k: arr(v) for k, v in opt.state[p].items() if k != "step" and v is not None}
             for name, p in (("w", w), ("b", b))}
    return traj, lrs, state


cases = [
    ("sgd", "sgd", {"lr": 0.1}, None, None),
    ("sgd-momentum-dampening-decay", "sgd",
     {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01}, None, None),
    ("sgd-nesterov", "sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 5e-4}, None, None),
    ("sgd-groups-steplr", "sgd", {"lr": 0.1, "momentum": 0.9, "weightDecay": 5e-4},
     [{}, {"weightDecay": 0, "lrScale": 10}], (2, 0.5)),
    ("adam", "adam", {"lr": 0.01}, None, None),
    ("adam-l2-amsgrad", "adam",
     {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weightDecay": 0.05, "amsgrad": True}, None, None),
    ("adam-steplr", "adam", {"lr": 0.02}, None, (2, 0.3)),
    ("adamw", "adamw", {"lr": 0.01, "weightDecay": 0.1}, None, None),
    ("adamw-default-decay-amsgrad", "adamw", {"lr": 0.01, "amsgrad": True}, None, None),
    ("adamw-groups", "adamw", {"lr": 0.01, "weightDecay": 0.2},
     [{}, {"weightDecay": 0, "lrScale": 0.5}], None),
]
out = {"w0": arr(W0), "b0": arr(B0), "grads": [{"w": arr(a), "b": arr(c)} for a, c in GRADS], "cases": []}
for name, kind, options, groups, step_lr in cases:
    traj, lrs, state = run_optimizer(kind, options, groups, step_lr)
    out["cases"].append({"name": name, "kind": kind, "options": options, "groups": groups,
                         "lrs": lrs, "trajectory": traj, "finalState": state})
dump("optimizers", out)


# ---------------------------------------------------------------- schedules
def lrs_of(make, n, base=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = SGD([p], lr=base)
    sched = make(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


sched_cases = [
    ("step", {"baseLr": 0.1, "stepSize": 3, "gamma": 0.5}, lambda o: S.StepLR(o, 3, 0.5), 10),
    ("multiStep", {"baseLr": 0.1, "milestones": [2, 5, 7], "gamma": 0.1},
     lambda o: S.MultiStepLR(o, [2, 5, 7], 0.1), 10),
    ("cosine", {"baseLr": 0.1, "totalSteps": 10, "minLr": 0.001},
     lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), 11),
    ("polynomial", {"baseLr": 0.1, "totalSteps": 8, "power": 2},
     lambda o: S.PolynomialLR(o, total_iters=8, power=2.0), 10),
    ("oneCycle", {"maxLr": 0.5, "totalSteps": 20},
     lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=20, cycle_momentum=False), 20),
    ("oneCycle-linear", {"maxLr": 0.5, "totalSteps": 17, "pctStart": 0.25, "anneal": "linear",
                         "divFactor": 10, "finalDivFactor": 100},
     lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=17, pct_start=0.25, anneal_strategy="linear",
                            div_factor=10, final_div_factor=100, cycle_momentum=False), 17),
    ("oneCycle-threePhase", {"maxLr": 0.5, "totalSteps": 20, "threePhase": True},
     lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=20, three_phase=True, cycle_momentum=False), 20),
    ("warmup-sequential-cosine", {"warmupSteps": 4, "startFactor": 0.25, "mode": "sequential",
                                  "after": {"cosine": {"baseLr": 0.1, "totalSteps": 8, "minLr": 0.01}}},
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.25, total_iters=4),
                                  S.CosineAnnealingLR(o, T_max=8, eta_min=0.01)], milestones=[4]), 12),
    ("warmup-chained-step", {"warmupSteps": 4, "startFactor": 0.25, "mode": "chained",
                             "after": {"step": {"baseLr": 0.1, "stepSize": 3, "gamma": 0.5}}},
     lambda o: S.ChainedScheduler([S.LinearLR(o, start_factor=0.25, total_iters=4), S.StepLR(o, 3, 0.5)]), 10),
]
dump("schedules", [{"name": n, "options": opts, "lrs": lrs_of(make, steps)} for n, opts, make, steps in sched_cases])


# ---------------------------------------------------------------- clipping
g = torch.Generator().manual_seed(1)
CG = {"a": torch.randn(3, 4, generator=g), "b": torch.randn(5, generator=g) * 3, "c": torch.randn(2, 2, generator=g)}
clip_cases = []
for norm_type, max_norm in ((2, 1.0), (1, 2.0), (math.inf, 0.5), (2, 100.0)):
    ps = {k: torch.zeros_like(v, requires_grad=True) for k, v in CG.items()}
    for k, p in ps.items():
        p.grad = CG[k].clone()
    total = torch.nn.utils.clip_grad_norm_(list(ps.values()), max_norm, norm_type=norm_type)
    clip_cases.append({"normType": "Infinity" if norm_type == math.inf else norm_type, "maxNorm": max_norm,
                       "totalNorm": total.item(), "clipped": {k: arr(p.grad) for k, p in ps.items()}})
ps = {k: torch.zeros_like(v, requires_grad=True) for k, v in CG.items()}
for k, p in ps.items():
    p.grad = CG[k].clone()
torch.nn.utils.clip_grad_value_(list(ps.values()), 0.5)
dump("clipping", {"grads": {k: arr(v) for k, v in CG.items()}, "norm": clip_cases,
                  "value": {"clipValue": 0.5, "clipped": {k: arr(p.grad) for k, p in ps.items()}}})


# ---------------------------------------------------------------- a full training step
# Linear regression trained the way the Trainer runs a step: loss, backward, clip_grad_norm_,
# optimizer.step(), scheduler.step(). Two parameter groups (no decay on the bias), Nesterov SGD,
# warm-up then cosine, clipping that engages on the first steps.
g = torch.Generator().manual_seed(2)
X = torch.randn(4, 5, 4, generator=g)
Y = torch.randn(4, 5, 3, generator=g) * 4
W = torch.randn(4, 3, generator=g) * 0.5
B = torch.zeros(3)
ORDER = [0, 1, 2, 3, 2, 0, 3, 1]
w = W.clone().requires_grad_(True)
b = B.clone().requires_grad_(True)
opt = SGD([{"params": [w]}, {"params": [b], "weight_decay": 0.0}], lr=0.05, momentum=0.9,
          nesterov=True, weight_decay=1e-3)
sched = S.SequentialLR(opt, [S.LinearLR(opt, start_factor=0.5, total_iters=2),
                             S.CosineAnnealingLR(opt, T_max=6, eta_min=0.005)], milestones=[2])
losses, norms, lrs = [], [], []
for i in ORDER:
    opt.zero_grad()
    loss = ((X[i] @ w + b - Y[i]) ** 2).mean()
    loss.backward()
    norms.append(torch.nn.utils.clip_grad_norm_([w, b], 1.0).item())
    lrs.append(opt.param_groups[0]["lr"])
    opt.step()
    sched.step()
    losses.append(loss.item())
dump("train_step", {"x": arr(X), "y": arr(Y), "w0": arr(W), "b0": arr(B), "order": ORDER,
                    "losses": losses, "gradNorms": norms, "lrs": lrs, "w": arr(w), "b": arr(b)})
