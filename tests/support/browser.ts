// Headless Debian Chromium driven by playwright-core (no browser download), with the flags this
// closed network needs, and a folder for screenshots kept as test artifacts.
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

export const ARTIFACTS_DIR = 'artifacts';

export async function launchBrowser(): Promise<Browser> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}
