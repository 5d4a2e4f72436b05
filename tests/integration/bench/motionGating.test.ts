// Motion gating through the real queue, worker, analyzer and store, on a clip whose truth is known by construction:
// two small cars cross a counting line over a still road, with still moments before and after. With gating on,
// the model runs on crops around the cars and not at all on the still frames, and the count is the exact one,
// as with gating off.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { runAccuracy } from '../../../harness/accuracyRun.ts';
import { sedanPicture } from '../../../harness/sedanPicture.ts';
import { writeSyntheticClip } from '../../../harness/syntheticClip.ts';
import { validateTruth, type ClipTruth } from '../../../harness/truth.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
const FRAME = { widthPx: 960, heightPx: 540 };
const CAR = { widthPx: 150, heightPx: 100 };

let workDir = '';
let truth: ClipTruth;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'ioc-gating-'));
  mkdirSync(join(workDir, 'video'));
  symlinkSync(resolve(config.assetsDir, 'models'), join(workDir, 'models'));
  const car = await sedanPicture(config.assetsDir, CAR);
  const clipPath = join(workDir, 'video/two_slow_cars.mp4');
  // ~44 px a frame at 5 fps: a car and its short motion trail fit one 384-px crop. The road is still before
  // 0.6 s, and after 8 s.
  await writeSyntheticClip({
    ...FRAME,
    fps: 25,
    durationS: 9.4,
    objects: [
      { className: 'car', picture: car, from: { x: -160, y: 60 }, to: { x: 970, y: 60 }, startS: 0.6, endS: 5.6 },
      {
        className: 'car',
        picture: car,
        mirrored: true,
        from: { x: 970, y: 380 },
        to: { x: -160, y: 380 },
        startS: 3,
        endS: 8,
      },
    ],
    outPath: clipPath,
  });
  truth = validateTruth({
    clip: 'video/two_slow_cars.mp4',
    sha256: createHash('sha256').update(readFileSync(clipPath)).digest('hex'),
    frameSizePx: FRAME,
    lines: [
      {
        id: 'doc',
        name: 'Vạch dọc',
        points: [
          { x: 480, y: 5 },
          { x: 480, y: 535 },
        ],
        directions: { leftToRight: 'sang-trai', rightToLeft: 'sang-phai' },
      },
    ],
    counts: [
      { lineId: 'doc', direction: 'sang-phai', className: 'car', count: 1, min: 1, max: 1 },
      { lineId: 'doc', direction: 'sang-trai', className: 'car', count: 1, min: 1, max: 1 },
    ],
  });
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('motion gating', () => {
  it('runs the model on crops and skips still frames, counting exactly as without gating', async () => {
    const settings = { sampleFps: 5, frameWidthPx: 960 };
    const plain = await runAccuracy(truth, workDir, settings);
    const gated = await runAccuracy(truth, workDir, { ...settings, config: { motion: { gating: true } } });
    expect(plain.gating).toEqual({ whole: plain.frames, crops: 0, none: 0 });
    for (const result of [plain, gated]) {
      const counted = result.counts
        .filter((c) => c.counted > 0 || c.truth > 0)
        .sort((a, b) => a.direction.localeCompare(b.direction));
      expect(
        counted.map((c) => [c.direction, c.className, c.counted]),
        JSON.stringify(result.gating),
      ).toEqual([
        ['sang-phai', 'car', 1],
        ['sang-trai', 'car', 1],
      ]);
    }
    // Most frames see a car or two on a still road: crops. The still frames before and after: nothing.
    expect(gated.gating.crops, JSON.stringify(gated.gating)).toBeGreaterThan(gated.frames / 2);
    expect(gated.gating.none).toBeGreaterThanOrEqual(4);
    expect(gated.gating.whole + gated.gating.crops + gated.gating.none).toBe(gated.frames);
  }, 300_000);
});
