// `npm run eval -- --truth harness/truth/vn_traffic.json [--truth …] | --all  [--fps 5] [--frame-width 960] [--sub-stream 960 [--sub-stream-fps 5]]
//   [--set inference.modelId=picodet_s] [--max-error 0.1] [--out bench/results/eval]`
// The accuracy harness: replays each truth file's clip through the real queue, worker, analyzer and store,
// prints count error per line × direction × class and detection recall/precision against the hand count,
// and keeps a JSON result. With --max-error it exits 1 when a class is outside its range and off by more.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { isIocError } from '../core/errors.ts';
import { withinBound } from '../harness/accuracyScore.ts';
import { runAccuracy, type AccuracyResult, type AccuracySettings } from '../harness/accuracyRun.ts';
import { loadTruth } from '../harness/truth.ts';
import { renderAccuracy } from './accuracyReport.ts';
import { ProgressBar } from './progress.ts';

const TRUTH_DIR = 'harness/truth';
const USAGE = `usage: npm run eval -- (--truth <file.json> [--truth …] | --all) [--clip <file under IOC_ASSETS>]
  [--fps 5] [--frame-width 960] [--sub-stream 640 [--sub-stream-fps 5]] [--set <config.key>=<value> …] [--max-error 0.1] [--out bench/results/eval]`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      truth: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      clip: { type: 'string' },
      fps: { type: 'string', default: '5' },
      'frame-width': { type: 'string', default: '960' },
      'sub-stream': { type: 'string' },
      'sub-stream-fps': { type: 'string' },
      set: { type: 'string', multiple: true },
      'max-error': { type: 'string' },
      out: { type: 'string', default: 'bench/results/eval' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  const truthFiles = values.all
    ? readdirSync(TRUTH_DIR)
        .filter((n) => n.endsWith('.json'))
        .sort()
        .map((n) => join(TRUTH_DIR, n))
    : (values.truth ?? []);
  if (truthFiles.length === 0) throw new UsageError('--truth or --all is required');
  const number = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}, got "${text}"`);
    return n;
  };
  const settings: AccuracySettings = {
    sampleFps: number('fps', values.fps, 0.1),
    frameWidthPx: number('frame-width', values['frame-width'], 160),
    config: configFromSets(values.set ?? []),
    ...(values['sub-stream'] === undefined
      ? {}
      : { subStreamWidthPx: 2 * Math.round(number('sub-stream', values['sub-stream'], 160) / 2) }),
    ...(values['sub-stream-fps'] === undefined
      ? {}
      : { subStreamFps: Math.round(number('sub-stream-fps', values['sub-stream-fps'], 1)) }),
  };
  if (settings.subStreamFps !== undefined && settings.subStreamWidthPx === undefined)
    throw new UsageError('--sub-stream-fps needs --sub-stream');
  const maxError = values['max-error'] === undefined ? null : number('max-error', values['max-error'], 0);
  return { truthFiles, clip: values.clip ?? null, settings, maxError, outDir: values.out };
}

/** `a.b.c=value` pairs as a nested object; a value that parses as JSON is taken as such. */
function configFromSets(sets: string[]): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs key=value, got "${set}"`);
    const path = set.slice(0, eq).split('.');
    const raw = set.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    let node = config;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = value;
  }
  return config;
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    if (err.message) process.stderr.write(`eval: ${err.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig({ overrides: options.settings.config });
  const truths = options.truthFiles.map((file) => ({ file, truth: loadTruth(file) }));
  if (options.clip && truths.some((t) => t.truth.clip !== options.clip)) {
    throw new UsageError(
      `--clip ${options.clip} is not the clip of every truth file (${truths.map((t) => t.truth.clip).join(', ')})`,
    );
  }
  const progress = new ProgressBar();
  const results: AccuracyResult[] = [];
  for (const { truth } of truths) {
    const phase = truth.clip.replace(/^.*\//, '');
    progress.update(phase, 0, 'decoding');
    results.push(
      await runAccuracy(truth, config.assetsDir, options.settings, (done, total) =>
        progress.update(phase, done / total, `${done}/${total} frames`),
      ),
    );
  }
  progress.finish();
  const startedAt = new Date().toISOString();
  mkdirSync(options.outDir, { recursive: true });
  const file = resolve(options.outDir, `${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ version: 1, kind: 'accuracy', startedAt, command: `npm run eval -- ${argv.join(' ')}`, results }, null, 2)}\n`,
  );
  process.stdout.write(`${renderAccuracy(results)}\nresult: ${file}\n`);
  if (options.maxError === null) return 0;
  const failed = results.flatMap((r) =>
    r.byClass
      .filter((c) => (c.truth > 0 || c.counted > 0) && !withinBound(c, options.maxError!))
      .map((c) => `${r.clip} ${c.className}`),
  );
  if (failed.length > 0) {
    process.stderr.write(
      `eval: outside the hand count's range and off by more than ${options.maxError * 100} %: ${failed.join(', ')}\n`,
    );
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError || isIocError(err)) {
      process.stderr.write(`eval: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
