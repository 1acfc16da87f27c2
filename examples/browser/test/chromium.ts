import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium as launch } from '@face/test-support/chromium';

/** The repository's ignored output folder for this example's artifacts (screenshot, reports). */
export const artifacts = fileURLToPath(new URL('../../../out/example-browser/', import.meta.url));

/** Debian's headless Chromium with WebGL2 on SwiftShader (see @face/test-support). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return launch();
}
