import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { FrameRejectedError } from '../../../core/errors.ts';
import {
  computeImageStats,
  imageStatsOfGrey,
  imageStatsOfLetterbox,
  STATS_GRID_PX,
  THUMB_SIZE_PX,
} from '../../../inference/imageStats.ts';
import { computeLetterbox } from '../../../inference/geometry.ts';
import { probeJpeg, resizeRegionRgb } from '../../../inference/preprocess.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });

function uniformJpeg(value: number, widthPx = 960, heightPx = 540): Promise<Buffer> {
  return sharp({
    create: { width: widthPx, height: heightPx, channels: 3, background: { r: value, g: value, b: value } },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The whole frame as the detector letterboxes it for a 416×416 model: the picture, before padding. */
async function letterboxed(jpeg: Buffer) {
  const frame = probeJpeg(jpeg);
  const letterbox = computeLetterbox({ x: 0, y: 0, widthPx: frame.widthPx, heightPx: frame.heightPx }, 416, 416);
  return { rgb: await resizeRegionRgb(jpeg, frame, letterbox), letterbox };
}

describe('image statistics of a frame', () => {
  it('takes the same statistics from the letterboxed whole frame the detector already has (its picture, no padding)', async () => {
    const black = await letterboxed(await uniformJpeg(0));
    const flat = imageStatsOfLetterbox(black.rgb, black.letterbox);
    expect(flat.meanLuma).toBeLessThan(1);
    expect(flat.stdLuma).toBeLessThan(0.5);
    const jpeg = await readFile(resolve(config.assetsDir, 'images/dog.jpg'));
    const fromDecode = await computeImageStats(jpeg);
    const { rgb, letterbox } = await letterboxed(jpeg);
    const fromLetterbox = imageStatsOfLetterbox(rgb, letterbox);
    expect(Math.abs(fromLetterbox.meanLuma - fromDecode.meanLuma)).toBeLessThan(3);
    expect(Math.abs(fromLetterbox.stdLuma - fromDecode.stdLuma)).toBeLessThan(3);
    const a = Buffer.from(fromLetterbox.thumb, 'base64');
    const b = Buffer.from(fromDecode.thumb, 'base64');
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    // Two resamplings of one picture: close, far below what the view-change rule calls a different view (40).
    expect(diff / a.length).toBeLessThan(6);
  });

  it('reads a uniform black frame as dark and flat', async () => {
    const stats = await computeImageStats(await uniformJpeg(0));
    expect(stats.meanLuma).toBeLessThan(1);
    expect(stats.stdLuma).toBeLessThan(0.5);
    expect(Buffer.from(stats.thumb, 'base64')).toHaveLength(THUMB_SIZE_PX * THUMB_SIZE_PX);
  });

  it('reads a real street frame as neither dark nor flat', async () => {
    const stats = await computeImageStats(await readFile(resolve(config.assetsDir, 'images/dog.jpg')));
    expect(stats.meanLuma).toBeGreaterThan(40);
    expect(stats.meanLuma).toBeLessThan(220);
    expect(stats.stdLuma).toBeGreaterThan(20);
  });

  it('gives two identical frames identical thumbnails and different scenes different ones', async () => {
    const dog = await readFile(resolve(config.assetsDir, 'images/dog.jpg'));
    const [a, b] = await Promise.all([computeImageStats(dog), computeImageStats(Buffer.from(dog))]);
    expect(a).toEqual(b);
    const flipped = await computeImageStats(await sharp(dog).flop().jpeg().toBuffer());
    const grey = await computeImageStats(await uniformJpeg(128));
    expect(flipped.thumb).not.toBe(a.thumb);
    expect(grey.thumb).not.toBe(a.thumb);
    expect(meanAbsDifference(a.thumb, flipped.thumb)).toBeGreaterThan(10);
  });

  it('averages each block of the grid into one thumbnail pixel', () => {
    // Left half 0, right half 200: the thumbnail splits the same way, the spread is 100.
    const grid = new Uint8Array(STATS_GRID_PX * STATS_GRID_PX);
    for (let y = 0; y < STATS_GRID_PX; y++)
      grid.fill(200, y * STATS_GRID_PX + STATS_GRID_PX / 2, (y + 1) * STATS_GRID_PX);
    const stats = imageStatsOfGrey(grid, STATS_GRID_PX);
    expect(stats.meanLuma).toBe(100);
    expect(stats.stdLuma).toBe(100);
    const thumb = Buffer.from(stats.thumb, 'base64');
    expect([...thumb.subarray(0, THUMB_SIZE_PX)]).toEqual([...Array(8).fill(0), ...Array(8).fill(200)]);
  });

  it('rejects bytes that are not a JPEG like the detector does', async () => {
    await expect(computeImageStats(Buffer.from('not a jpeg'))).rejects.toBeInstanceOf(FrameRejectedError);
  });
});

function meanAbsDifference(a: string, b: string): number {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}
