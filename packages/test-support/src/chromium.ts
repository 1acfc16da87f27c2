import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (no browser download): `CHROMIUM_PATH`, or `/usr/bin/chromium`. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium here: WebGL2 on SwiftShader (the CPU implementation of Vulkan
 * behind ANGLE, which renders float32 textures, so TF.js's webgl backend computes in float32 as
 * on a GPU), WebGPU on SwiftShader too (`--enable-unsafe-webgpu`: headless Linux Chromium offers
 * no adapter without it; with it `requestAdapter()` gives SwiftShader's, a fallback adapter:
 * correct, not fast), and no network chatter.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches that Chromium through playwright-core, or says how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`,
    );
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
}
