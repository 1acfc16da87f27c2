"""Reference outputs of torchvision 0.14 / PyTorch 1.13 for the deterministic transforms of
@face/data: resize (bilinear, nearest), centre crop (odd offsets, padding) and the colour ops at
given factors. Writes test/fixtures/transforms.json. Run: /usr/bin/python3 scripts/gen_transform_fixtures.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
import torchvision.transforms.functional as TF

assert torchvision.__version__.startswith("0.14"), torchvision.__version__

rng = np.random.default_rng(6)
# Two 7x9 RGB images on the 0..255 scale, with a grey pixel and a saturated one to hit the
# HSV corner cases (max == min, max at each channel).
images = rng.uniform(0, 255, size=(2, 7, 9, 3)).astype(np.float32)
images[0, 0, 0] = [128, 128, 128]
images[1, 3, 4] = [255, 0, 0]
images[1, 3, 5] = [0, 255, 0]
images[1, 3, 6] = [0, 0, 255]
images[1, 6, 8] = [0, 0, 0]
nchw = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous().numpy().round(5).tolist()


out = {"images": images.tolist()}
out["resize"] = {
    "bilinear_5x4": nhwc(F.interpolate(nchw, size=(5, 4), mode="bilinear", align_corners=False)),
    "bilinear_11x13": nhwc(F.interpolate(nchw, size=(11, 13), mode="bilinear", align_corners=False)),
    "nearest_4x6": nhwc(F.interpolate(nchw, size=(4, 6), mode="nearest")),
    # torchvision Resize(int): the shorter side (7) becomes 5, the other int(5 * 9 / 7) = 6.
    "shorter_5": nhwc(TF.resize(nchw, 5, antialias=False)),
}
out["centerCrop"] = {
    "4x4": nhwc(TF.center_crop(nchw, [4, 4])),
    "6x8": nhwc(TF.center_crop(nchw, [6, 8])),
    "10x12": nhwc(TF.center_crop(nchw, [10, 12])),
}
# torchvision's colour ops expect float images in [0, 1]; scale in and out.
unit = nchw / 255.0
factors = {"brightness": [0.6, 1.7], "contrast": [0.3, 1.8], "saturation": [0.0, 2.5], "hue": [-0.3, 0.45]}
ops = {
    "brightness": TF.adjust_brightness,
    "contrast": TF.adjust_contrast,
    "saturation": TF.adjust_saturation,
    "hue": TF.adjust_hue,
}
out["color"] = {"factors": factors}
for name, op in ops.items():
    res = torch.stack([op(unit[i], factors[name][i]) for i in range(2)]) * 255.0
    out["color"][name] = nhwc(res)

path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "transforms.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", os.path.normpath(path))
