// The bench's knobs and how they are read from the command line (`npm run bench -- --cameras 3 …`),
// with the defaults of a full run and of `--quick` (under 3 minutes on a small, shared 2-core box).

export interface BenchOptions {
  /** Synthetic cameras, each its own RTSP mount looping one of `clips`. */
  cameras: number;
  sampleFps: number;
  /** Inference worker processes. */
  workers: number;
  /** Frames one worker handles at once (queue.workerConcurrency). */
  concurrency: number;
  /** onnxruntime intra-op threads per session (inference.intraOpThreads). */
  threads: number;
  /** Model id of models/manifest.ts (inference.modelId). */
  model: string;
  /** ffmpeg mjpeg -q:v of the sampled frames (ingest.jpegQuality), 2 best … 31. */
  jpegQuality: number;
  /** K: frames of one camera waiting at most (queue.maxWaitingPerCamera). */
  queueBound: number;
  /** Width of the analysed frames (ingest.frameWidthPx). */
  frameWidthPx: number;
  /** Clips under $IOC_ASSETS/video, given to cameras in turn. */
  clips: string[];
  /** Width of each camera's sub stream, from which ingest samples the frames; 0: main stream only. */
  subStreamWidthPx: number;
  /** Frames a second of each sub stream (a camera set to send its sub stream at the sample rate); 0: the clip's. */
  subStreamFps: number;
  /** Motion gating (motion.gating): ingest finds what moved, workers run the model only there. */
  motionGating: boolean;
  warmupSec: number;
  measureSec: number;
  /** Seconds ingest's HLS output and plain `ffmpeg -c copy` run side by side. */
  hlsSec: number;
  /** Frames run raw through onnxruntime for the pipeline/raw ratio. */
  rawFrames: number;
  /** Capacity criteria of the sweep. */
  targetP95Ms: number;
  maxDropPct: number;
  sweep: { knob: SweepKnob; values: number[] } | null;
  /** Where the JSON and SVG go. */
  outDir: string;
  quick: boolean;
}

export const SWEEP_KNOBS = [
  'cameras',
  'sampleFps',
  'workers',
  'concurrency',
  'threads',
  'jpegQuality',
  'queueBound',
  'frameWidthPx',
  'subStreamWidthPx',
] as const;
export type SweepKnob = (typeof SWEEP_KNOBS)[number];

const FULL: BenchOptions = {
  cameras: 2,
  sampleFps: 5,
  workers: 1,
  concurrency: 2,
  threads: 1,
  model: 'yolox_nano',
  jpegQuality: 4,
  queueBound: 8,
  frameWidthPx: 960,
  clips: ['vn_traffic.mp4', 'vn_wrong_way.mp4'],
  subStreamWidthPx: 0,
  subStreamFps: 0,
  motionGating: false,
  warmupSec: 20,
  measureSec: 60,
  hlsSec: 30,
  rawFrames: 200,
  targetP95Ms: 1500,
  maxDropPct: 1,
  sweep: null,
  outDir: 'bench/results',
  quick: false,
};

/** What --quick changes: short phases, a light load. */
const QUICK: Partial<BenchOptions> = {
  cameras: 2,
  sampleFps: 2,
  warmupSec: 15,
  measureSec: 40,
  hlsSec: 15,
  rawFrames: 60,
  quick: true,
};

const NUMERIC: Record<string, keyof BenchOptions> = {
  cameras: 'cameras',
  fps: 'sampleFps',
  'sample-fps': 'sampleFps',
  workers: 'workers',
  concurrency: 'concurrency',
  threads: 'threads',
  'jpeg-quality': 'jpegQuality',
  'queue-bound': 'queueBound',
  'frame-width': 'frameWidthPx',
  'sub-stream': 'subStreamWidthPx',
  'sub-stream-fps': 'subStreamFps',
  warmup: 'warmupSec',
  duration: 'measureSec',
  'hls-seconds': 'hlsSec',
  'raw-frames': 'rawFrames',
  'target-p95-ms': 'targetP95Ms',
  'max-drop-pct': 'maxDropPct',
};

export const USAGE = `usage: npm run bench -- [--quick] [options]
  --cameras N          synthetic cameras (default ${FULL.cameras})      --fps F            sample fps per camera (${FULL.sampleFps})
  --workers N          worker processes (${FULL.workers})              --concurrency N    frames per worker at once (${FULL.concurrency})
  --threads N          onnxruntime threads per session (${FULL.threads})  --model ID         model id (${FULL.model})
  --jpeg-quality Q     2 best … 31 (${FULL.jpegQuality})                 --queue-bound K    frames waiting per camera (${FULL.queueBound})
  --frame-width PX     analysed frame width (${FULL.frameWidthPx})      --clips a.mp4,b.mp4 clips under $IOC_ASSETS/video
  --sub-stream PX      each camera also serves a sub stream this wide, and frames are sampled from it (main only)
  --sub-stream-fps F   the sub streams' frame rate, as a camera set to send it at the sample rate (the clip's)
  --motion-gating      find motion in ingest and run the model only where something moved (off)
  --warmup S (${FULL.warmupSec})  --duration S (${FULL.measureSec})  --hls-seconds S (${FULL.hlsSec})  --raw-frames N (${FULL.rawFrames})
  --sweep KNOB=v1,v2,… vary one knob (${SWEEP_KNOBS.join(', ')}); finds the largest value that keeps
                       drops under --max-drop-pct (${FULL.maxDropPct}) and p95 latency under --target-p95-ms (${FULL.targetP95Ms})
  --out DIR            results folder (${FULL.outDir})
  --quick              short phases and a light load (${QUICK.cameras} cameras at ${QUICK.sampleFps} fps, ${QUICK.measureSec} s measured)`;

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const pairs: Array<[string, string | undefined]> = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new BenchUsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    if (eq > 0) pairs.push([arg.slice(2, eq), arg.slice(eq + 1)]);
    else if (arg === '--quick' || arg === '--help' || arg === '--motion-gating') pairs.push([arg.slice(2), undefined]);
    else pairs.push([arg.slice(2), argv[++i]]);
  }
  const options: BenchOptions = { ...FULL, ...(pairs.some(([k]) => k === 'quick') ? QUICK : {}) };
  for (const [key, value] of pairs) {
    if (key === 'quick') continue;
    if (key === 'motion-gating') {
      options.motionGating = true;
      continue;
    }
    if (key === 'help') throw new BenchUsageError('');
    if (value === undefined) throw new BenchUsageError(`--${key} needs a value`);
    const numeric = NUMERIC[key];
    if (numeric) {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new BenchUsageError(`--${key}: "${value}" is not a positive number`);
      (options as unknown as Record<string, number>)[numeric] = n;
    } else if (key === 'model') options.model = value;
    else if (key === 'out') options.outDir = value;
    else if (key === 'clips') options.clips = value.split(',').filter(Boolean);
    else if (key === 'sweep') options.sweep = parseSweep(value);
    else throw new BenchUsageError(`unknown option --${key}`);
  }
  for (const key of [
    'cameras',
    'workers',
    'concurrency',
    'threads',
    'jpegQuality',
    'queueBound',
    'frameWidthPx',
    'subStreamWidthPx',
    'subStreamFps',
    'rawFrames',
  ] as const) {
    if (!Number.isInteger(options[key])) throw new BenchUsageError(`${key} must be a whole number`);
  }
  if (options.subStreamWidthPx !== 0 && (options.subStreamWidthPx < 160 || options.subStreamWidthPx % 2 !== 0)) {
    throw new BenchUsageError(`--sub-stream: an even width of 160 px or more, got ${options.subStreamWidthPx}`);
  }
  if (options.subStreamFps !== 0 && (options.subStreamWidthPx === 0 || options.subStreamFps > 60)) {
    throw new BenchUsageError(`--sub-stream-fps: 1 to 60 frames a second, with --sub-stream`);
  }
  return options;
}

function parseSweep(spec: string): { knob: SweepKnob; values: number[] } {
  const [rawKnob, list] = spec.split('=');
  const knob = (rawKnob === 'fps' ? 'sampleFps' : rawKnob) as SweepKnob;
  if (!SWEEP_KNOBS.includes(knob))
    throw new BenchUsageError(`--sweep: unknown knob "${rawKnob}" (one of ${SWEEP_KNOBS.join(', ')})`);
  const values = (list ?? '').split(',').filter(Boolean).map(Number);
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new BenchUsageError(`--sweep: give positive values, e.g. --sweep ${knob}=1,2,3`);
  }
  return { knob, values };
}

/** The options of one point of a sweep. */
export function withKnob(options: BenchOptions, knob: SweepKnob, value: number): BenchOptions {
  return { ...options, [knob]: value };
}
