// Small-object recall against cost: motorbike recall on the hand-counted asset frames and detection time
// per frame, for the whole frame alone, with the setup's crops, with SAHI-style tiles, and with both.
// Usage: npx tsx bench/smallObjectRecall.ts [repeats=3]
import { loadConfig } from '../core/config.ts';
import { TRAFFIC_CLASSES } from '../core/detections.ts';
import { createDetector } from '../inference/detector.ts';
import type { AnalysisPlan } from '../inference/regions.ts';
import { HAND_COUNTED_FRAMES, motorbikeRecall } from '../tests/integration/inference/fixtures/handCounts.ts';
import { assetPath, extractFrame } from '../tests/integration/inference/helpers.ts';
import { isEntryPoint } from './entryPoint.ts';

const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');
const TILES = { cols: 3, rows: 2, overlapFrac: 0.2 };

type Mode = 'whole frame' | 'crops' | 'tiles 3x2' | 'crops + tiles';
const plans: Record<Mode, (crops: AnalysisPlan['crops']) => AnalysisPlan> = {
  'whole frame': () => ({ wholeFrame: true, crops: [], tiles: null }),
  crops: (crops) => ({ wholeFrame: true, crops, tiles: null }),
  'tiles 3x2': () => ({ wholeFrame: true, crops: [], tiles: TILES }),
  'crops + tiles': (crops) => ({ wholeFrame: true, crops, tiles: TILES }),
};

export interface RecallRow {
  mode: Mode;
  motorbikeRecall: number;
  found: number;
  handCounted: number;
  msPerFrame: number;
  costVsWhole: number;
}

export async function measureSmallObjectRecall(repeats = 3): Promise<RecallRow[]> {
  const config = loadConfig();
  const detector = await createDetector(config);
  try {
    const frames = await Promise.all(
      HAND_COUNTED_FRAMES.map(async (frame) => ({ frame, jpeg: await extractFrame(assetPath(config, frame.clip), frame.atSeconds) })),
    );
    const rows: RecallRow[] = [];
    for (const mode of Object.keys(plans) as Mode[]) {
      let found = 0;
      let total = 0;
      let elapsedMs = 0;
      for (const { frame, jpeg } of frames) {
        const plan = plans[mode](frame.crops);
        await detector.detect(jpeg, { plan }); // warm-up
        let boxes: Array<[number, number, number, number]> = [];
        const started = performance.now();
        for (let r = 0; r < repeats; r++) {
          const { traffic } = await detector.detect(jpeg, { plan });
          boxes = [];
          for (let i = 0; i < traffic.length; i++) {
            if (traffic.classIds[i] === MOTORBIKE) boxes.push(Array.from(traffic.boxes.subarray(i * 4, i * 4 + 4)) as [number, number, number, number]);
          }
        }
        elapsedMs += (performance.now() - started) / repeats;
        found += motorbikeRecall(frame.motorbikePoints, boxes) * frame.motorbikePoints.length;
        total += frame.motorbikePoints.length;
      }
      rows.push({
        mode,
        motorbikeRecall: Math.round((found / total) * 100) / 100,
        found: Math.round(found),
        handCounted: total,
        msPerFrame: Math.round(elapsedMs / frames.length),
        costVsWhole: 0,
      });
    }
    for (const row of rows) row.costVsWhole = Math.round((row.msPerFrame / rows[0]!.msPerFrame) * 100) / 100;
    return rows;
  } finally {
    await detector.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  const rows = await measureSmallObjectRecall(Number(process.argv[2] ?? 3));
  console.table(rows);
}
