// Vitest setup file shared by every package: one backend per run, gradients registered.
import { setTestBackend } from './backend';

await setTestBackend();
