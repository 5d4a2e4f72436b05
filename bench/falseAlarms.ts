// False-alarm bench: each shared clip looped as the demo camera loops it (capture times and seqs running on),
// through the real detector (with the regions the analyzer would ask for, as the worker runs it), the real image
// statistics, CameraPipeline and AlertEngine, under rules an officer would set; prints alerts per hour per rule.
// Detection runs once per clip frame (the loop repeats the same frames); --detections caches them in a
// file so two versions of the code can be compared on identical detections.
// --drop-share S drops that share of the frames in bursts, as a loaded box's worker does when a camera's backlog is
// full (the demo on a busy 2-core box drops ~20 %): the tracker then sees gaps, coasts and re-associates.
// Usage: npx tsx bench/falseAlarms.ts [--loops 60] [--detections /tmp/detections.json] [--clip vn_traffic] [--no-cuts]
//        [--no-faint] [--drop-share 0.2] [--seed 1]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../core/config.ts';
import type { AlertRule, AlertSignal, ImageStats } from '../core/alerts.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { DetectionsJson, TrafficClass } from '../core/detections.ts';
import { CameraPipeline } from '../analytics/cameraPipeline.ts';
import { pipelineFrameOf } from '../analytics/pipelineFrameOf.ts';
import { AlertEngine } from '../alerts/alertEngine.ts';
import { analysisPlanFor } from '../analyzer/analysisPlan.ts';
import { createDetector } from '../inference/detector.ts';
import { computeImageStats, imageStatsOfLetterbox } from '../inference/imageStats.ts';
import { readJpegSize } from '../core/jpegHeader.ts';
import { decodeClipFrames } from '../harness/clipFrames.ts';
import { DEMO_ANALYSIS, DEMO_ALERT_RULES } from '../bin/demoCamera.ts';
import { isEntryPoint } from './entryPoint.ts';

const SAMPLE_FPS = 5;
const FRAME_WIDTH_PX = 960;
const START_MS = Date.UTC(2026, 11, 6, 0, 0, 0);

interface ClipSetup {
  clip: string;
  analysis: CameraAnalysis;
  rules: AlertRule[];
  /** What is known of the clip's truth for these rules. */
  truth: string;
}

type Polygon = Array<{ x: number; y: number }>;

/** Where vehicles (or anyone) have no business: a pavement or a median; `vehicles` leaves people out (a pavement). */
interface RestrictedZone {
  name: string;
  polygon: Polygon;
  vehicles: boolean;
}

const VEHICLES: TrafficClass[] = ['motorbike', 'car', 'bus', 'truck'];

/**
 * A line across the middle and a no-stopping zone on the lower half, a restricted zone off the road: what an
 * officer would draw on a street. `line` replaces the middle line where the clip's truth has one.
 */
function genericSetup(
  widthPx: number,
  heightPx: number,
  forbidden: 'down' | 'up',
  restricted: RestrictedZone,
  line: Polygon = [
    { x: 0, y: heightPx * 0.55 },
    { x: widthPx, y: heightPx * 0.55 },
  ],
): Pick<ClipSetup, 'analysis' | 'rules'> {
  const analysis: CameraAnalysis = {
    widthPx,
    heightPx,
    lines: [
      {
        id: 'vach',
        name: 'Vạch giữa',
        points: line,
        directions: { leftToRight: 'xuong', rightToLeft: 'len' },
        directionNames: { leftToRight: 'đi xuống', rightToLeft: 'đi lên' },
      },
    ],
    zones: [
      {
        id: 'cam-dung',
        name: 'Cấm dừng',
        polygon: [
          { x: 0, y: heightPx * 0.5 },
          { x: widthPx, y: heightPx * 0.5 },
          { x: widthPx, y: heightPx },
          { x: 0, y: heightPx },
        ],
      },
      { id: 'cam-vao', name: restricted.name, polygon: restricted.polygon },
    ],
    calibration: null,
  };
  const rules: AlertRule[] = [
    {
      id: 'nguoc-chieu',
      name: 'Đi ngược chiều',
      type: 'wrongWay',
      lineId: 'vach',
      forbiddenDirection: forbidden === 'down' ? 'xuong' : 'len',
    },
    { id: 'dung-do', name: 'Dừng đỗ', type: 'stoppedVehicle', zoneId: 'cam-dung', minStoppedS: 60 },
    intrusionRule(restricted),
  ];
  return { analysis, rules };
}

function intrusionRule(zone: RestrictedZone): AlertRule {
  return {
    id: 'cam-vao',
    name: 'Xâm nhập',
    type: 'intrusion',
    zoneId: 'cam-vao',
    ...(zone.vehicles ? { classes: VEHICLES } : {}),
  };
}

/** A polygon drawn on a 960-px-wide still of the clip, in the analysis' pixels. */
function drawnAt960(widthPx: number, points: Array<[number, number]>): Polygon {
  const scale = widthPx / 960;
  return points.map(([x, y]) => ({ x: Math.round(x * scale), y: Math.round(y * scale) }));
}

function setups(): ClipSetup[] {
  const demoStopped: AlertRule = {
    id: 'dung-do',
    name: 'Dừng đỗ giao lộ',
    type: 'stoppedVehicle',
    zoneId: 'giao-lo',
    minStoppedS: 60,
  };
  // The pavement on the right of the intersection, under the trees: no vehicle rides or parks there in the clip.
  const demoPavement: RestrictedZone = {
    name: 'Vỉa hè',
    vehicles: true,
    polygon: drawnAt960(1920, [
      [880, 100],
      [960, 100],
      [960, 200],
      [880, 200],
    ]),
  };
  return [
    {
      clip: 'video/vn_traffic.mp4',
      analysis: {
        ...DEMO_ANALYSIS,
        zones: [...DEMO_ANALYSIS.zones, { id: 'cam-vao', name: demoPavement.name, polygon: demoPavement.polygon }],
      },
      rules: [...DEMO_ALERT_RULES.filter((r) => r.type === 'wrongWay'), demoStopped, intrusionRule(demoPavement)],
      truth: 'traffic drives away from the camera, nobody rides on the pavement: every alert is false',
    },
    // The main carriageway's line of the truth (harness/truth/vn_wrong_way.md): its traffic drives away, and
    // the one rider coming towards the camera along the kerb (crossing at 4.43 s) is the clip's true alert.
    // The planted median between the carriageways is the restricted zone.
    {
      clip: 'video/vn_wrong_way.mp4',
      ...genericSetup(
        1568,
        778,
        'down',
        {
          name: 'Dải phân cách',
          vehicles: false,
          polygon: drawnAt960(1568, [
            [300, 195],
            [340, 195],
            [235, 300],
            [120, 420],
            [20, 420],
            [185, 300],
          ]),
        },
        [
          { x: 390, y: 450 },
          { x: 1330, y: 450 },
        ],
      ),
      truth: 'one wrong-way rider a loop (true, at 4.43 s); nobody on the median',
    },
    // The grass verge beyond the left guardrail.
    {
      clip: 'video/nl_motorway.mp4',
      ...genericSetup(1280, 720, 'up', {
        name: 'Lề cỏ',
        vehicles: false,
        polygon: drawnAt960(1280, [
          [0, 50],
          [300, 50],
          [60, 380],
          [0, 420],
        ]),
      }),
      truth:
        'one direction per carriageway, both carriageways in view: a line across both sees both ways; nobody on the verge',
    },
    // A one-way avenue, all traffic towards the camera (harness/truth/us_street_dusk.md): the truth's line across
    // the avenue only, since a line across the whole frame also cuts the cross street, whose cars drive away
    // legally (with frames dropped, two of them were "wrong-way" on such a line). The pavement on the right of
    // the avenue is the restricted zone (pedestrians walk there: vehicles only).
    {
      clip: 'video/us_street_dusk.mp4',
      ...genericSetup(
        1280,
        720,
        'up',
        {
          name: 'Vỉa hè',
          vehicles: true,
          polygon: drawnAt960(1280, [
            [530, 400],
            [575, 400],
            [650, 540],
            [600, 540],
          ]),
        },
        [
          { x: 290, y: 640 },
          { x: 730, y: 640 },
        ],
      ),
      truth: 'one-way avenue, all traffic towards the camera, nobody rides on the pavement: every alert is false',
    },
    // A pedestrian concourse seen from above, as a walking street's camera (phố đi bộ) sees it: the whole floor is
    // closed to vehicles (a pushchair or a rolling bag must not become one), with a line and a no-stopping zone as
    // on a street. Nobody rides or drives in the clip.
    {
      clip: 'video/pedestrians_concourse.avi',
      ...genericSetup(1280, 720, 'down', {
        name: 'Phố đi bộ',
        vehicles: true,
        polygon: [
          { x: 0, y: 0 },
          { x: 1280, y: 0 },
          { x: 1280, y: 720 },
          { x: 0, y: 720 },
        ],
      }),
      truth: 'people on foot only, no vehicle: every alert is false',
    },
  ];
}

interface FrameRecord {
  capturedOffsetMs: number;
  widthPx: number;
  heightPx: number;
  detections: DetectionsJson;
  faintDetections?: DetectionsJson;
  image: ImageStats;
}

async function detectClip(
  setup: ClipSetup,
  assetsDir: string,
  config: ReturnType<typeof loadConfig>,
): Promise<FrameRecord[]> {
  const frames = await decodeClipFrames(join(assetsDir, setup.clip), {
    sampleFps: SAMPLE_FPS,
    widthPx: FRAME_WIDTH_PX,
  });
  const detector = await createDetector(config);
  try {
    const records: FrameRecord[] = [];
    for (const [i, jpeg] of frames.entries()) {
      const size = readJpegSize(jpeg)!;
      const plan =
        analysisPlanFor(setup.analysis, size, config.analyzer.cropMarginPx, config.analyzer.inferenceRegions) ??
        undefined;
      const detected = await detector.detect(jpeg, { plan });
      const whole = detected.wholeFrame;
      const image = whole ? imageStatsOfLetterbox(whole.rgb, whole.letterbox) : await computeImageStats(jpeg);
      records.push({
        capturedOffsetMs: Math.round((i * 1000) / SAMPLE_FPS),
        widthPx: size.widthPx,
        heightPx: size.heightPx,
        detections: detected.traffic.toJSON(),
        faintDetections: detected.faint.toJSON(),
        image,
      });
    }
    return records;
  } finally {
    await detector.close();
  }
}

export interface FalseAlarmRow {
  clip: string;
  ruleId: string;
  type: string;
  alerts: number;
  perHour: number;
  classes: string;
  /** When in the loop its alerts were raised (clip time, s) and how many times: the same subject each loop, or not. */
  loopTimes: string;
  truth: string;
}

/** The clip's frames looped `loops` times through one camera's pipeline and rule engine. */
export function loopClip(
  setup: ClipSetup,
  records: readonly FrameRecord[],
  loops: number,
  options: { sceneCuts?: boolean; faint?: boolean; dropShare?: number; seed?: number } = {},
): { rows: FalseAlarmRow[]; hours: number; sceneCuts: unknown; dropped: number } {
  const first = records[0]!;
  // --no-cuts: the picture rule off, to see what the alert rules' evidence does alone.
  const sceneCut = options.sceneCuts === false ? { minJump: Infinity, warmupJump: Infinity } : undefined;
  const pipeline = new CameraPipeline(
    'bench',
    setup.analysis,
    { widthPx: first.widthPx, heightPx: first.heightPx },
    { sceneCut },
  );
  const engine = new AlertEngine(
    'bench',
    setup.rules,
    setup.analysis,
    { widthPx: first.widthPx, heightPx: first.heightPx },
    { timeZone: 'Asia/Ho_Chi_Minh' },
  );
  const loopMs = records.length * (1000 / SAMPLE_FPS);
  const raises: AlertSignal[] = [];
  const drops = burstyDrops(options.dropShare ?? 0, options.seed ?? 1);
  let seq = 0;
  let dropped = 0;
  for (let loop = 0; loop < loops; loop++) {
    for (const record of records) {
      const capturedAtMs = START_MS + Math.round(loop * loopMs) + record.capturedOffsetMs;
      const frame = {
        seq: seq++,
        capturedAtMs,
        frameWidthPx: record.widthPx,
        frameHeightPx: record.heightPx,
        image: record.image,
      };
      if (drops()) {
        dropped += 1;
        continue;
      }
      // --no-faint: the detections as published before faint ones existed, to see what they change.
      const output = pipeline.process(
        pipelineFrameOf({
          ...record,
          ...frame,
          faintDetections: options.faint === false ? undefined : record.faintDetections,
        }),
      );
      if (!output) continue;
      raises.push(...engine.onFrame(frame, output).filter((s) => s.kind === 'raise'));
    }
  }
  const hours = (loops * loopMs) / 3_600_000;
  const rows = setup.rules.map((rule) => {
    const own = raises.filter((s) => s.ruleId === rule.id);
    const classes = [...new Set(own.map((s) => String(s.details.className ?? 'vehicle')))].join(',');
    const byLoopTime = new Map<string, number>();
    for (const s of own) {
      const key = (((((s.startedAtMs - START_MS) % loopMs) + loopMs) % loopMs) / 1000).toFixed(1);
      byLoopTime.set(key, (byLoopTime.get(key) ?? 0) + 1);
    }
    const loopTimes = [...byLoopTime]
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([t, n]) => `${t}s×${n}`)
      .join(' ');
    return {
      clip: setup.clip,
      ruleId: rule.id,
      type: rule.type,
      alerts: own.length,
      perHour: Math.round((own.length / hours) * 10) / 10,
      classes,
      loopTimes,
      truth: setup.truth,
    };
  });
  const stats = (pipeline as unknown as { sceneCutStats?: unknown }).sceneCutStats ?? null;
  return { rows, hours, sceneCuts: stats, dropped };
}

/**
 * A frame-by-frame drop decision: bursts of 1–6 frames (a backlog shedding its oldest), started so that about
 * `share` of the frames go; seeded, so a run is repeatable.
 */
function burstyDrops(share: number, seed: number): () => boolean {
  if (share <= 0) return () => false;
  let state = seed >>> 0 || 1;
  const random = () => {
    // mulberry32: a small, well-mixed seeded generator
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const meanBurst = 3.5;
  const startChance = share / (meanBurst * (1 - share) + share);
  let left = 0;
  return () => {
    if (left > 0) {
      left -= 1;
      return true;
    }
    if (random() < startChance) {
      left = Math.floor(random() * 6); // this frame and 0–5 more
      return true;
    }
    return false;
  };
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const loops = Number(arg('loops') ?? 60);
  const cacheFile = arg('detections');
  const only = arg('clip');
  const config = loadConfig();
  const cache: Record<string, FrameRecord[]> =
    cacheFile && existsSync(cacheFile)
      ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, FrameRecord[]>)
      : {};
  for (const setup of setups().filter((s) => !only || s.clip.includes(only))) {
    if (!cache[setup.clip]) {
      process.stderr.write(`detecting ${setup.clip}…\n`);
      cache[setup.clip] = await detectClip(setup, config.assetsDir, config);
      if (cacheFile) writeFileSync(cacheFile, JSON.stringify(cache));
    }
    const dropShare = Number(arg('drop-share') ?? 0);
    const seed = Number(arg('seed') ?? 1);
    const { rows, hours, sceneCuts, dropped } = loopClip(setup, cache[setup.clip]!, loops, {
      sceneCuts: !argv.includes('--no-cuts'),
      faint: !argv.includes('--no-faint'),
      dropShare,
      seed,
    });
    const dropNote = dropShare > 0 ? `; ${dropped} frames dropped in bursts (seed ${seed})` : '';
    process.stdout.write(
      `\n${setup.clip}: ${cache[setup.clip]!.length} frames × ${loops} loops = ${(hours * 60).toFixed(1)} min; scene cuts ${JSON.stringify(sceneCuts)}${dropNote}\n  (${setup.truth})\n`,
    );
    for (const row of rows)
      process.stdout.write(
        `  ${row.ruleId.padEnd(14)} ${row.type.padEnd(15)} ${String(row.alerts).padStart(5)} alerts  ${String(row.perHour).padStart(7)} /h  ${row.classes}  ${row.loopTimes}\n`,
      );
  }
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
