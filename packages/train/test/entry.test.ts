import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('package entry', () => {
  it('is browser-safe: Node built-ins only through lazy import(), never a static import', () => {
    const offenders = files(src).filter((path) => {
      const text = readFileSync(path, 'utf8');
      return (
        /^\s*import\s[^;]*from\s+['"](node:|fs|path|os|child_process)/m.test(text) ||
        /\brequire\(/.test(text)
      );
    });
    expect(offenders).toEqual([]);
    const lazy = files(src).filter((path) =>
      /import\(['"]node:fs\/promises['"]\)/.test(readFileSync(path, 'utf8')),
    );
    expect(lazy.length).toBeGreaterThan(0);
  });

  it('imports neither tfjs-layers nor the other @face training packages', () => {
    const imports = files(src).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]),
    );
    expect([...new Set(imports)].sort()).toEqual(['@face/core', '@tensorflow/tfjs-core']);
  });
});
