// Small-object recall against cost: motorbike recall on the hand-counted asset frames and detection time per
// frame, per model, per model input size, and per analysis plan (whole frame, the setup's crops, SAHI-style
// tiles, both), with the model's own time (session.run on one session) beside the whole path's.
// Usage: npx tsx bench/smallObjectRecall.ts [--repeats 3] [--model yolox_nano,picodet_s] [--size 416x416,960x544]
//        [--modes whole,crops,tiles,crops+tiles] [--model-runs 20]
// Without --model/--size: the configured model at its configured size. Threads per session: inference.intraOpThreads.
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../core/config.ts';
import { TRAFFIC_CLASSES } from '../core/detections.ts';
import { createDetector, loadSessionPool } from '../inference/detector.ts';
import { configuredInputSize, sizeKey, type InputSizePx } from '../models/inputSize.ts';
import { manifestEntryFor } from '../models/modelFiles.ts';
import type { AnalysisPlan } from '../core/analysisPlan.ts';
import { HAND_COUNTED_FRAMES, motorbikeRecall } from '../harness/handCounts.ts';
import { assetPath, extractFrame } from '../harness/assetFrame.ts';
import { isEntryPoint } from './entryPoint.ts';
import { percentileOfSorted } from '../harness/stats.ts';

const MOTORBIKE = TRAFFIC_CLASSES.indexOf('motorbike');
const TILES = { cols: 3, rows: 2, overlapFrac: 0.2 };

const MODES = {
  whole: { label: 'whole frame', plan: (): AnalysisPlan => ({ wholeFrame: true, crops: [], tiles: null }) },
  crops: {
    label: 'crops',
    plan: (crops: AnalysisPlan['crops']): AnalysisPlan => ({ wholeFrame: true, crops, tiles: null }),
  },
  tiles: { label: 'tiles 3x2', plan: (): AnalysisPlan => ({ wholeFrame: true, crops: [], tiles: TILES }) },
  'crops+tiles': {
    label: 'crops + tiles',
    plan: (crops: AnalysisPlan['crops']): AnalysisPlan => ({ wholeFrame: true, crops, tiles: TILES }),
  },
} as const;
type ModeName = keyof typeof MODES;

export interface RecallRow {
  model: string;
  size: string;
  mode: string;
  motorbikeRecall: number;
  found: number;
  handCounted: number;
  /** The whole path per frame: decode, letterbox, model on every region, decode, NMS. */
  msPerFrame: number;
  /** session.run alone for one region (median wall ms, one session). */
  modelMs: number;
  /** CPU ms of the process per session.run (every thread): what a busy, shared box's wall time hides. */
  modelCpuMs: number;
  costVsWhole: number;
}

export interface RecallOptions {
  repeats?: number;
  /** Model ids; the configured one when absent. */
  models?: string[];
  /** Input sizes; each model's configured size when absent. */
  sizes?: InputSizePx[];
  modes?: ModeName[];
  /** session.run calls timed for modelMs. */
  modelRuns?: number;
}

export async function measureSmallObjectRecall(options: RecallOptions = {}): Promise<RecallRow[]> {
  const config = loadConfig();
  const frames = await Promise.all(
    HAND_COUNTED_FRAMES.map(async (frame) => ({
      frame,
      jpeg: await extractFrame(assetPath(config, frame.clip), frame.atSeconds),
    })),
  );
  const rows: RecallRow[] = [];
  for (const modelId of options.models ?? [config.inference.modelId]) {
    const model = manifestEntryFor({ inference: { ...config.inference, modelId } });
    for (const size of options.sizes ?? [configuredInputSize(config, model)]) {
      const { modelMs, modelCpuMs } = await timeModel(config, model, size, options.modelRuns ?? 20);
      const detector = await createDetector(config, { model, inputSizePx: size });
      try {
        // A fresh session takes a few runs to settle (PicoDet at 960x544: 170 → 85 ms over its first four).
        for (let i = 0; i < 4; i++) await detector.detect(frames[0]!.jpeg);
        const first = rows.length;
        for (const mode of options.modes ?? (Object.keys(MODES) as ModeName[])) {
          rows.push({
            model: modelId,
            size: sizeKey(size),
            mode: MODES[mode].label,
            modelMs,
            modelCpuMs,
            costVsWhole: 0,
            ...(await recallOf(detector, frames, mode, options.repeats ?? 3)),
          });
        }
        for (const row of rows.slice(first))
          row.costVsWhole = Math.round((row.msPerFrame / rows[first]!.msPerFrame) * 100) / 100;
      } finally {
        await detector.close();
      }
    }
  }
  return rows;
}

type Frames = Array<{ frame: (typeof HAND_COUNTED_FRAMES)[number]; jpeg: Buffer }>;

async function recallOf(
  detector: Awaited<ReturnType<typeof createDetector>>,
  frames: Frames,
  mode: ModeName,
  repeats: number,
): Promise<Pick<RecallRow, 'motorbikeRecall' | 'found' | 'handCounted' | 'msPerFrame'>> {
  let found = 0;
  let total = 0;
  let elapsedMs = 0;
  for (const { frame, jpeg } of frames) {
    const plan = MODES[mode].plan(frame.crops);
    await detector.detect(jpeg, { plan }); // warm-up
    let boxes: Array<[number, number, number, number]> = [];
    const started = performance.now();
    for (let r = 0; r < repeats; r++) {
      const { traffic } = await detector.detect(jpeg, { plan });
      boxes = [];
      for (let i = 0; i < traffic.length; i++) {
        if (traffic.classIds[i] === MOTORBIKE)
          boxes.push(Array.from(traffic.boxes.subarray(i * 4, i * 4 + 4)) as [number, number, number, number]);
      }
    }
    elapsedMs += (performance.now() - started) / repeats;
    found += motorbikeRecall(frame.motorbikePoints, boxes) * frame.motorbikePoints.length;
    total += frame.motorbikePoints.length;
  }
  return {
    motorbikeRecall: Math.round((found / total) * 100) / 100,
    found: Math.round(found),
    handCounted: total,
    msPerFrame: Math.round(elapsedMs / frames.length),
  };
}

/** Median session.run time at this size on one session (the input tensor stays as it is: the cost does not depend on it). */
async function timeModel(
  config: Config,
  model: ReturnType<typeof manifestEntryFor>,
  size: InputSizePx,
  runs: number,
): Promise<Pick<RecallRow, 'modelMs' | 'modelCpuMs'>> {
  const pool = await loadSessionPool({ ...config, inference: { ...config.inference, sessions: 1 } }, model, size);
  try {
    const keep = () => {};
    for (let i = 0; i < 3; i++) await pool.run(keep);
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await pool.run(keep);
      times.push(performance.now() - started);
    }
    const cpu = process.cpuUsage(cpuBefore);
    return {
      modelMs:
        Math.round(
          percentileOfSorted(
            times.sort((a, b) => a - b),
            0.5,
          ) * 10,
        ) / 10,
      modelCpuMs: Math.round(((cpu.user + cpu.system) / 1000 / runs) * 10) / 10,
    };
  } finally {
    await pool.close();
  }
}

function parseSize(text: string): InputSizePx {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--size ${text}: expected WIDTHxHEIGHT, e.g. 960x544`);
  return { widthPx: Number(match[1]), heightPx: Number(match[2]) };
}

if (isEntryPoint(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repeats: { type: 'string' },
      model: { type: 'string' },
      size: { type: 'string' },
      modes: { type: 'string' },
      'model-runs': { type: 'string' },
    },
  });
  const list = (text: string | undefined) =>
    text
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const modes = list(values.modes);
  for (const mode of modes ?? [])
    if (!(mode in MODES)) throw new Error(`--modes ${mode}: one of ${Object.keys(MODES).join(', ')}`);
  const rows = await measureSmallObjectRecall({
    repeats: Number(values.repeats ?? positionals[0] ?? 3),
    models: list(values.model),
    sizes: list(values.size)?.map(parseSize),
    modes: modes as ModeName[] | undefined,
    modelRuns: values['model-runs'] ? Number(values['model-runs']) : undefined,
  });
  console.table(rows);
}
