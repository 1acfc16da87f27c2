import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../index.mjs';

it('runs both recipes end to end at a tiny size', async () => {
  const out = mkdtempSync(join(tmpdir(), 'example-verification-'));
  const lines = [];
  const r = await main({ quick: true, out, log: (l) => lines.push(l) });
  expect(r.joint.after).toBeGreaterThan(0);
  expect(r.sequential.rank1).toBeGreaterThanOrEqual(0);
  const text = lines.join('\n');
  expect(text).toMatch(/^joint: verification AUC [\d.]+ untrained -> [\d.]+/m);
  expect(text).toMatch(/^sequential: verification AUC [\d.]+, EER [\d.]+; 1:N rank-1/m);
  rmSync(out, { recursive: true, force: true });
});
