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

describe('package entry (@face/recipes)', () => {
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

  const importsOf = (paths: string[]) =>
    [
      ...new Set(
        paths.flatMap((path) =>
          [...readFileSync(path, 'utf8').matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map(
            (m) => m[1],
          ),
        ),
      ),
    ].sort();

  it('imports only declared dependencies and peers', () => {
    const manifest = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
    };
    const declared = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies),
    ]);
    const packageOf = (s: string) => s.split('/').slice(0, 2).join('/');
    expect(importsOf(files(src)).filter((s) => !declared.has(packageOf(s)))).toEqual([]);
  });
});
