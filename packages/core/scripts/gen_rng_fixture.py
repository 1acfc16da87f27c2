"""Reference outputs of splitmix32-seeded xoshiro128** for @face/core's Rng.

Written from the published algorithm descriptions (Blackman & Vigna 2018; Steele et al. 2014),
independently of the TypeScript code. Run: /usr/bin/python3 scripts/gen_rng_fixture.py
"""
import json, os

M = 0xFFFFFFFF

def splitmix32(x):
    x = (x + 0x9E3779B9) & M
    z = x
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
    return x, (z ^ (z >> 16)) & M

def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M

def stream(seed, n):
    x = seed & M
    s = []
    for _ in range(4):
        x, out = splitmix32(x)
        s.append(out)
    outs = []
    for _ in range(n):
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        outs.append(result)
    return outs

cases = [{"seed": seed, "uint32": stream(seed, 16)} for seed in (0, 1, 42, -7, 2**31 - 1)]
out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "rng.json")
with open(out, "w") as f:
    json.dump(cases, f)
print("wrote", out)
