import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { modelFingerprint } from '@face/gallery';

describe('modelFingerprint', () => {
  const weights = [
    { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-8, 7]) },
    { shape: [3], data: Float32Array.from([0.25, -0.5, 9]) },
  ];

  it("is Node's SHA-256 of each weight's shape then its float32 bytes, and the embedding size", async () => {
    const reference = createHash('sha256');
    for (const w of weights) {
      reference.update(w.shape.join('x'));
      reference.update(Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength));
    }
    expect(await modelFingerprint(weights, 3)).toEqual({
      fingerprint: `sha256:${reference.digest('hex')}`,
      dim: 3,
    });
  });

  it('changes with one weight, and with a shape that holds the same bytes', async () => {
    const base = (await modelFingerprint(weights, 3)).fingerprint;
    const nudged = [weights[0], { shape: [3], data: Float32Array.from([0.25, -0.5, 9.000001]) }];
    expect((await modelFingerprint(nudged, 3)).fingerprint).not.toBe(base);
    const reshaped = [{ shape: [3, 2], data: weights[0].data }, weights[1]];
    expect((await modelFingerprint(reshaped, 3)).fingerprint).not.toBe(base);
  });

  it('refuses an embedding size that is not a positive integer', async () => {
    await expect(modelFingerprint(weights, 0)).rejects.toThrow(InvalidArgumentError);
  });
});
