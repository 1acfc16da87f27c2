import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir` (a package's src/). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/** Files that import a Node built-in statically or call require(): they break a browser bundle. */
export function staticNodeImports(paths: readonly string[]): string[] {
  return paths.filter((path) => {
    const text = readFileSync(path, 'utf8');
    return (
      /^\s*import\s[^;]*from\s+['"](node:|fs|path|os|child_process)/m.test(text) ||
      /\brequire\(/.test(text)
    );
  });
}

/** The bare module specifiers `paths` import from, sorted, each once. */
export function importsOf(paths: readonly string[]): string[] {
  const specifiers = paths.flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/from\s+['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]),
  );
  return [...new Set(specifiers)].sort();
}

/** Imports of the package at `src/..` that its package.json declares neither as dependency nor peer. */
export function undeclaredImports(src: string): string[] {
  const manifest = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const packageOf = (s: string) => s.split('/').slice(0, 2).join('/');
  return importsOf(sourceFiles(src)).filter((s) => !declared.has(packageOf(s)));
}
