// The accuracy harness on a clip whose truth is known by construction: a real car picture (cut from
// vn_traffic.mp4) driven across a counting line three times over a plain road, replayed through the real queue,
// worker, analyzer and store. The harness must report the exact count, and `npm run eval` must fail
// with --max-error when the truth file disagrees with what was counted.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { crossSide, segmentsIntersect } from '../../../analytics/geometry.ts';
import { runAccuracy } from '../../../harness/accuracyRun.ts';
import { positionAt, writeSyntheticClip, type MovingObject } from '../../../harness/syntheticClip.ts';
import { sedanPicture } from '../../../harness/sedanPicture.ts';
import { validateTruth, type ClipTruth } from '../../../harness/truth.ts';
import { runBenchScript } from '../../support/runBenchScript.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
const FRAME = { widthPx: 960, heightPx: 540 };
const LINE = {
  id: 'doc',
  name: 'Vạch dọc',
  points: [
    { x: 480, y: 5 },
    { x: 480, y: 535 },
  ],
  directions: { leftToRight: 'sang-trai', rightToLeft: 'sang-phai' },
};
const CAR_SIZE = { widthPx: 240, heightPx: 160 };

let workDir = '';
let truth: ClipTruth;
let objects: MovingObject[];

/** The direction each object's ground point crosses the line in, from its path alone (left = negative cross product). */
function truthCounts(moving: MovingObject[]): ClipTruth['counts'] {
  const [a, b] = LINE.points as [{ x: number; y: number }, { x: number; y: number }];
  const anchor = (p: { x: number; y: number }) => ({ x: p.x + CAR_SIZE.widthPx / 2, y: p.y + CAR_SIZE.heightPx });
  const tally = new Map<string, number>();
  for (const o of moving) {
    if (!segmentsIntersect(anchor(o.from), anchor(o.to), a, b)) continue;
    const before = Math.sign(crossSide(a, b, anchor(o.from)));
    const direction = before < 0 ? LINE.directions.leftToRight : LINE.directions.rightToLeft;
    tally.set(direction, (tally.get(direction) ?? 0) + 1);
  }
  return [...tally].map(([direction, count]) => ({
    lineId: LINE.id,
    direction,
    className: 'car' as const,
    count,
    min: count,
    max: count,
  }));
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'ioc-accuracy-'));
  mkdirSync(join(workDir, 'video'));
  // The harness reads clips and models from one assets folder: the real models, the synthetic clip.
  symlinkSync(resolve(config.assetsDir, 'models'), join(workDir, 'models'));
  const car = await sedanPicture(config.assetsDir, CAR_SIZE);
  // Three cars in three rows: two drive to the right, one (mirrored) to the left, overlapping in time.
  // Walking down the line (its first point is the top one), the image's left half is on the line's right.
  objects = [
    { className: 'car', picture: car, from: { x: -320, y: 10 }, to: { x: 980, y: 10 }, startS: 0.3, endS: 3.3 },
    {
      className: 'car',
      picture: car,
      mirrored: true,
      from: { x: 980, y: 180 },
      to: { x: -320, y: 180 },
      startS: 1.8,
      endS: 4.8,
    },
    { className: 'car', picture: car, from: { x: -320, y: 350 }, to: { x: 980, y: 350 }, startS: 3.5, endS: 6.5 },
  ];
  const clipPath = join(workDir, 'video/three_cars.mp4');
  await writeSyntheticClip({ ...FRAME, fps: 25, durationS: 7, objects, outPath: clipPath });
  const boxesAt = (t: number) =>
    objects.flatMap((o) => {
      const p = positionAt(o, t);
      if (!p || p.x < 0 || p.x + CAR_SIZE.widthPx > FRAME.widthPx) return [];
      return [
        {
          className: 'car' as const,
          box: [p.x + 8, p.y + 10, p.x + CAR_SIZE.widthPx - 8, p.y + CAR_SIZE.heightPx - 4],
        },
      ];
    });
  truth = validateTruth({
    clip: 'video/three_cars.mp4',
    sha256: createHash('sha256').update(readFileSync(clipPath)).digest('hex'),
    frameSizePx: FRAME,
    lines: [LINE],
    counts: truthCounts(objects),
    frames: [2, 4].map((timeS) => ({ timeS, region: { x: 0, y: 0, ...FRAME }, boxes: boxesAt(timeS) })),
  });
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the accuracy harness', () => {
  it('reports the exact count of a clip whose truth is known by construction', async () => {
    expect(truth.counts).toEqual([
      { lineId: 'doc', direction: 'sang-phai', className: 'car', count: 2, min: 2, max: 2 },
      { lineId: 'doc', direction: 'sang-trai', className: 'car', count: 1, min: 1, max: 1 },
    ]);
    const progress: number[] = [];
    const result = await runAccuracy(truth, workDir, { sampleFps: 5, frameWidthPx: 960 }, (done) =>
      progress.push(done),
    );
    expect(result.frames).toBe(35);
    expect(progress.at(-1)).toBe(35);
    const car = result.byClass.find((c) => c.className === 'car')!;
    expect(car).toMatchObject({ truth: 3, counted: 3, error: 0, inRange: true });
    expect(result.counts.filter((c) => c.counted !== c.truth)).toEqual([]);
    const detection = result.detection.find((d) => d.className === 'car')!;
    expect(detection.truthBoxes).toBe(2);
    expect(detection.recall).toBe(1);
    expect(detection.precision).toBe(1);
  }, 300_000);

  it('`npm run eval --max-error` exits 1 and names the class when the count is off the truth, 2 on a bad truth file', async () => {
    const wrong = {
      ...truth,
      counts: truth.counts.map((c) => ({ ...c, count: c.count + 3, min: c.count + 3, max: c.count + 4 })),
    };
    const wrongFile = join(workDir, 'wrong.json');
    writeFileSync(wrongFile, JSON.stringify(wrong));
    const run = await runEval(['--truth', wrongFile, '--max-error', '0.1', '--out', join(workDir, 'results')]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/sang-phai\s+car\s+5 \(5–6\)\s+2\s+-3\s+OUT/);
    expect(run.stderr).toContain('video/three_cars.mp4 car');

    const badFile = join(workDir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ ...truth, counts: [{ ...truth.counts[0]!, lineId: 'ngang' }] }));
    const bad = await runEval(['--truth', badFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('counts[0].lineId: no line "ngang" in lines');
  }, 300_000);
});

function runEval(args: string[]) {
  return runBenchScript('bench/eval.ts', args, { ...process.env, IOC_ASSETS: workDir });
}
