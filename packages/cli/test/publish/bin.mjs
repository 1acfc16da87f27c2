// Publish smoke test: the installed `face` bin answers, and the demo runs end to end at its smoke size.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const face = (...args) =>
  execFileSync(join('node_modules', '.bin', 'face'), args, { encoding: 'utf8' });
const help = face('--help');
if (!help.includes('Usage: face <command>')) throw new Error(`face --help printed:\n${help}`);
const out = mkdtempSync(join(tmpdir(), 'face-publish-demo-'));
const demo = face('demo', '--quick', '--backend', 'cpu', '--out', out);
if (!/recipe 3 \(\+ ArcFace\)/.test(demo) || !existsSync(join(out, 'report.json')))
  throw new Error(`face demo --quick printed:\n${demo}`);
rmSync(out, { recursive: true, force: true });
