// `npm run bench:accuracy -- [--rows 1,5,9] [--truth harness/truth/x.json …]`
// The accuracy–cost table: each configuration (model × input size × regions × sample rate) replayed on every
// truth clip through the real pipeline; per clip and class the count error against the hand count, and per
// configuration the model time, the whole path's CPU per frame and the cameras a 2-core box would carry at
// the row's sample rate by that CPU. Prints a markdown table and keeps the JSON in bench/results/accuracy/.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { runAccuracy, type AccuracyResult, type AccuracySettings } from '../harness/accuracyRun.ts';
import { withinBound } from '../harness/accuracyScore.ts';
import { loadTruth } from '../harness/truth.ts';
import { isEntryPoint } from './entryPoint.ts';
import { ProgressBar } from './progress.ts';

export interface TableRow {
  label: string;
  settings: AccuracySettings;
}

const size = (widthPx: number, heightPx: number) => ({ inputWidthPx: widthPx, inputHeightPx: heightPx });
const row = (
  label: string,
  modelId: string,
  input: { inputWidthPx: number; inputHeightPx: number },
  regions: string,
  sampleFps = 5,
  frameWidthPx = 960,
): TableRow => ({
  label,
  settings: {
    sampleFps,
    frameWidthPx,
    config: { inference: { modelId, ...input }, analyzer: { inferenceRegions: regions } } as AccuracySettings['config'],
  },
});

/** The row with motion gating on (core/config/motion.ts): the model only where the picture moved. */
function motionGated(tableRow: TableRow): TableRow {
  const config = { ...tableRow.settings.config, motion: { gating: true } } as AccuracySettings['config'];
  return { ...tableRow, settings: { ...tableRow.settings, config } };
}

/**
 * The row with frames sampled from the clip's sub stream of that width, as from a camera's sub stream (at `fps`
 * when the camera sends it at that rate; else at the clip's).
 */
function subStream(tableRow: TableRow, widthPx: number, fps?: number): TableRow {
  const rate = fps === undefined ? {} : { subStreamFps: fps };
  return { ...tableRow, settings: { ...tableRow.settings, subStreamWidthPx: widthPx, ...rate } };
}

/** The configurations the README's table compares; --rows picks some by number (1-based). */
export const TABLE_ROWS: TableRow[] = [
  row('yolox_nano 416x416, lines+zones crops', 'yolox_nano', size(416, 416), 'lines-and-zones'),
  row('yolox_nano 416x416, whole frame', 'yolox_nano', size(416, 416), 'whole-frame'),
  row('yolox_nano 416x416, 3x2 tiles', 'yolox_nano', size(416, 416), 'tiles'),
  row('yolox_nano 640x384, whole frame', 'yolox_nano', size(640, 384), 'whole-frame'),
  row('yolox_nano 960x544, whole frame', 'yolox_nano', size(960, 544), 'whole-frame'),
  row('yolox_nano 960x544, lines+zones crops', 'yolox_nano', size(960, 544), 'lines-and-zones'),
  row('yolox_nano 1280x736, whole frame (1280 px frames)', 'yolox_nano', size(1280, 736), 'whole-frame', 5, 1280),
  row('picodet_s 416x416, whole frame', 'picodet_s', size(416, 416), 'whole-frame'),
  row('picodet_s 640x384, whole frame', 'picodet_s', size(640, 384), 'whole-frame'),
  row('picodet_s 960x544, whole frame', 'picodet_s', size(960, 544), 'whole-frame'),
  row('yolox_nano 960x544, whole frame, 10 fps', 'yolox_nano', size(960, 544), 'whole-frame', 10),
  row('yolox_nano 960x544, whole frame, 15 fps', 'yolox_nano', size(960, 544), 'whole-frame', 15),
  subStream(
    row('yolox_nano 960x544, whole frame, 960-px sub stream', 'yolox_nano', size(960, 544), 'whole-frame'),
    960,
  ),
  subStream(
    row('yolox_nano 960x544, whole frame, 640-px sub stream', 'yolox_nano', size(960, 544), 'whole-frame'),
    640,
  ),
  motionGated(row('yolox_nano 960x544, whole frame, motion gating', 'yolox_nano', size(960, 544), 'whole-frame')),
  subStream(
    row('yolox_nano 960x544, whole frame, 960-px sub stream at 5 fps', 'yolox_nano', size(960, 544), 'whole-frame'),
    960,
    5,
  ),
];

/** What one camera's ingest ffmpeg (RTSP → HLS copy + decode + scale + JPEG at 5 fps) takes, cores (README "Capacity"). */
const INGEST_CORES_PER_CAMERA = 0.15;
const BOX_CORES = 2;

/** Cameras at sampleFps the box carries by CPU alone: the whole path's CPU per frame plus each camera's ingest. */
export function camerasByCpu(cpuMsPerFrame: number, sampleFps: number): number {
  return Math.floor(BOX_CORES / ((sampleFps * cpuMsPerFrame) / 1000 + INGEST_CORES_PER_CAMERA));
}

const CLASSES = ['motorbike', 'car', 'person'] as const;

export function renderTable(rows: Array<{ label: string; results: AccuracyResult[] }>): string {
  const clips = [
    ...new Set(rows.flatMap((r) => r.results.map((x) => x.clip.replace(/^video\//, '').replace(/\.\w+$/, '')))),
  ];
  const header = [
    'configuration',
    ...clips.map((c) => `${c} (mb / car / person)`),
    'within 10 %',
    'model ms',
    'CPU ms/frame',
    'cameras (est.)',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const { label, results } of rows) {
    const cells = clips.map((clip) => {
      const r = results.find((x) => x.clip.includes(`/${clip}.`));
      if (!r) return '—';
      // A clip counted in a zone (people on the concourse): time points whose count is inside the hand count's range.
      if (r.zones.length > 0 && r.counts.every((c) => c.truth === 0 && c.counted === 0))
        return `zone ${r.zones.filter((z) => z.inRange).length}/${r.zones.length} in range`;
      return CLASSES.map((className) => {
        const c = r.byClass.find((x) => x.className === className)!;
        if (c.truth === 0 && c.counted === 0 && c.max === 0) return '·';
        return `${c.counted}/${c.truth}`;
      }).join(' / ');
    });
    const judged = results.flatMap((r) =>
      r.byClass.filter((c) => (c.className === 'motorbike' || c.className === 'car') && (c.truth > 0 || c.counted > 0)),
    );
    const ok = judged.filter((c) => withinBound(c, 0.1)).length;
    const mean = (pick: (r: AccuracyResult) => number) =>
      results.reduce((s, r) => s + pick(r), 0) / Math.max(1, results.length);
    const cpu = mean((r) => r.cpuMsPerFrame);
    lines.push(
      `| ${[label, ...cells, `${ok}/${judged.length}`, mean((r) => r.inferenceMsPerFrame).toFixed(0), cpu.toFixed(0), `${camerasByCpu(cpu, results[0]?.settings.sampleFps ?? 5)}`].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      truth: { type: 'string', multiple: true },
      out: { type: 'string', default: 'bench/results/accuracy' },
    },
  });
  const picked = values.rows
    ? values.rows
        .split(',')
        .map((n) => TABLE_ROWS[Number(n) - 1])
        .filter((r): r is TableRow => r !== undefined)
    : TABLE_ROWS;
  const truthFiles =
    values.truth ??
    readdirSync('harness/truth')
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => join('harness/truth', n));
  const truths = truthFiles.map((file) => loadTruth(file));
  const config = loadConfig();
  const progress = new ProgressBar();
  const done: Array<{ label: string; results: AccuracyResult[] }> = [];
  const startedAt = new Date().toISOString();
  mkdirSync(values.out, { recursive: true });
  const file = resolve(values.out, `${startedAt.replace(/[:.]/g, '-')}.json`);
  for (const [i, tableRow] of picked.entries()) {
    const results: AccuracyResult[] = [];
    for (const truth of truths) {
      const phase = `${i + 1}/${picked.length} ${truth.clip.replace(/^.*\//, '')}`;
      results.push(
        await runAccuracy(truth, config.assetsDir, tableRow.settings, (n, total) =>
          progress.update(phase, n / total, tableRow.label),
        ),
      );
    }
    done.push({ label: tableRow.label, results });
    // Written after every configuration, so a long table interrupted keeps what it measured.
    writeFileSync(file, `${JSON.stringify({ version: 1, kind: 'accuracy-table', startedAt, rows: done }, null, 2)}\n`);
  }
  progress.finish();
  process.stdout.write(
    `${renderTable(done)}\n\nmb / car / person: counted/hand count over every line and direction of the clip; zone k/n: people detected in the zone at n hand-counted instants, k inside the hand count's range; within 10 %: motorbike and car cells inside the hand count's range or within 10 % of it.\nresult: ${file}\n`,
  );
}

if (isEntryPoint(import.meta.url)) await main();
