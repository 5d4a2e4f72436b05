import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { AlertEvidence } from '../../../core/alerts.ts';
import { loadConfig } from '../../../core/config.ts';
import {
  BOX_COLOUR,
  escapeSvgText,
  LINE_COLOUR,
  renderSnapshot,
  ZONE_COLOUR,
} from '../../../alerts/snapshotRenderer.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });

/** dog.jpg is 768×576; the evidence was taken on a frame analysed at half that size. */
const evidence: AlertEvidence = {
  seq: 42,
  capturedAtMs: Date.UTC(2026, 0, 1),
  frameWidthPx: 384,
  frameHeightPx: 288,
  boxes: [
    { box: [60, 110, 170, 270], label: 'dog <"&\'>', trackId: 7 },
    { box: [230, 40, 340, 90], label: 'car', trackId: null },
  ],
  zoneId: 'z1',
  lineId: null,
};

async function pixelAt(jpeg: Buffer, xPx: number, yPx: number): Promise<{ r: number; g: number; b: number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const i = (yPx * info.width + xPx) * info.channels;
  return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]! };
}

function near(
  actual: { r: number; g: number; b: number },
  expected: { r: number; g: number; b: number },
  tolerance = 40,
): boolean {
  return (
    Math.abs(actual.r - expected.r) <= tolerance &&
    Math.abs(actual.g - expected.g) <= tolerance &&
    Math.abs(actual.b - expected.b) <= tolerance
  );
}

describe('evidence snapshot', () => {
  it('draws the boxes, scaled to the JPEG, on a valid JPEG of the same size', async () => {
    const dog = await readFile(resolve(config.assetsDir, 'images/dog.jpg'));
    const zone = [
      { x: 10, y: 200 },
      { x: 370, y: 200 },
      { x: 370, y: 280 },
      { x: 10, y: 280 },
    ];
    const line = [
      { x: 0, y: 100 },
      { x: 383, y: 100 },
    ];
    const snapshot = await renderSnapshot(dog, evidence, { zone, line });

    const meta = await sharp(snapshot).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([768, 576]);
    // Box 1 is 120..340 × 220..540 in the JPEG's pixels: its left edge, halfway down, is the box colour.
    expect(near(await pixelAt(snapshot, 120, 400), BOX_COLOUR)).toBe(true);
    expect(near(await pixelAt(snapshot, 340, 400), BOX_COLOUR)).toBe(true);
    expect(near(await pixelAt(snapshot, 230, 540), BOX_COLOUR)).toBe(true);
    // ... and a pixel well inside it is the photo, as before.
    expect(near(await pixelAt(snapshot, 230, 380), await pixelAt(dog, 230, 380), 25)).toBe(true);
    // The line at y=200 (JPEG px), away from the boxes, and the zone's left edge at x=20.
    expect(near(await pixelAt(snapshot, 700, 200), LINE_COLOUR)).toBe(true);
    expect(near(await pixelAt(snapshot, 20, 480), ZONE_COLOUR)).toBe(true);
  });

  it('draws without geometry and without boxes', async () => {
    const dog = await readFile(resolve(config.assetsDir, 'images/dog.jpg'));
    const snapshot = await renderSnapshot(dog, { ...evidence, boxes: [] }, {});
    expect((await sharp(snapshot).metadata()).width).toBe(768);
  });

  it('escapes label text for SVG and drops characters XML forbids', () => {
    expect(escapeSvgText(`<script>&"'`)).toBe('&lt;script&gt;&amp;&quot;&apos;');
    expect(escapeSvgText('xe\u0000 máy\u001b')).toBe('xe máy');
  });
});
