import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../index.mjs';

it('runs end to end at a tiny size', async () => {
  const out = mkdtempSync(join(tmpdir(), 'example-classification-'));
  const lines = [];
  const r = await main({ quick: true, out, log: (l) => lines.push(l) });
  expect(r.epochs).toBe(1);
  expect(lines.join('\n')).toMatch(/held-out top-1 accuracy: [\d.]+ untrained -> [\d.]+ trained/);
  rmSync(out, { recursive: true, force: true });
});
