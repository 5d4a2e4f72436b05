// Which crossings the analytics counted, when, and which hand-counted crossings they answer: the replay's
// published detections run once more through the product's own CameraPipeline (deterministic, so the same
// counts as the analyzer stored), each counted crossing matched to the nearest truth crossing in time.
import { FORBIDDEN_COST, solveAssignment } from '../analytics/assignment.ts';
import { CameraPipeline } from '../analytics/cameraPipeline.ts';
import type { LineCrossing } from '../analytics/lineCounter.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { DetectionsJson } from '../core/detections.ts';
import type { RectPx } from '../core/geometry.ts';
import { pipelineFrameOf } from '../analytics/pipelineFrameOf.ts';
import type { ClipTruth } from './truth.ts';

export interface PublishedFrame {
  capturedAtMs: number;
  frameWidthPx: number;
  frameHeightPx: number;
  detections: DetectionsJson;
  faintDetections?: DetectionsJson;
  /** Motion gating: the parts the model ran on (absent: the whole frame). */
  analysedRegions?: RectPx[];
}

export interface TracedCrossing {
  lineId: string;
  direction: string;
  className: string;
  /** Clip time of the sighting that settled the crossing, s. */
  timeS: number;
  trackId: number;
}

export interface CrossingMatch {
  truth: NonNullable<ClipTruth['crossings']>[number] | null;
  counted: TracedCrossing | null;
}

export function traceCrossings(
  analysis: CameraAnalysis,
  frames: readonly PublishedFrame[],
  startMs: number,
): TracedCrossing[] {
  if (frames.length === 0) return [];
  const first = frames[0]!;
  const pipeline = new CameraPipeline('trace', analysis, {
    widthPx: first.frameWidthPx,
    heightPx: first.frameHeightPx,
  });
  const crossings: TracedCrossing[] = [];
  const trace = (counted: readonly LineCrossing[]) => {
    for (const c of counted)
      crossings.push({
        lineId: c.lineId,
        direction: c.direction,
        className: c.className,
        timeS: (c.timestampMs - startMs) / 1000,
        trackId: c.trackId,
      });
  };
  // As the analyzer of a replay: the clip's end is the source's end, after its last frame (harness/clipReplay.ts),
  // and ends every track, so a vehicle caught crossing then is counted (rule 5b of analytics/lineCounter.ts).
  for (const frame of frames) trace(pipeline.process(pipelineFrameOf(frame))?.crossings ?? []);
  trace(pipeline.endSource(frames.length));
  return crossings;
}

/**
 * Pairs counted and hand-counted crossings of the same line and direction: same class within toleranceS, or
 * another class within half of it; as many pairs as the tolerances allow, then the least total gap (a wrong
 * class costing as much as toleranceS more). Pairing the nearest first instead left a slow van's late count to
 * the next car and called the van missed and the last car extra. What stays unpaired is a miss (truth only) or
 * an extra count (counted only).
 */
export function matchCrossings(truth: ClipTruth, counted: readonly TracedCrossing[], toleranceS = 2): CrossingMatch[] {
  const truthCrossings = truth.crossings ?? [];
  const lagS = typicalLagS(truthCrossings, counted, toleranceS);
  const costs = new Float64Array(truthCrossings.length * counted.length).fill(FORBIDDEN_COST);
  truthCrossings.forEach((t, i) =>
    counted.forEach((c, j) => {
      const gap = Math.abs(t.timeS + lagS - c.timeS);
      const sameClass = t.className === c.className;
      if (t.lineId === c.lineId && t.direction === c.direction && gap <= (sameClass ? toleranceS : toleranceS / 2))
        costs[i * counted.length + j] = gap + (sameClass ? 0 : toleranceS);
    }),
  );
  const assignment = solveAssignment(costs, truthCrossings.length, counted.length);
  const matches: CrossingMatch[] = assignment.matches.map(([i, j]) => ({
    truth: truthCrossings[i]!,
    counted: counted[j]!,
  }));
  for (const i of assignment.unmatchedRows) matches.push({ truth: truthCrossings[i]!, counted: null });
  for (const j of assignment.unmatchedColumns) matches.push({ truth: null, counted: counted[j]! });
  return matches.sort((a, b) => (a.truth?.timeS ?? a.counted!.timeS) - (b.truth?.timeS ?? b.counted!.timeS));
}

/**
 * How much later the counter settles crossings than a person sees them (the dead band past the line), as the
 * median offset of each hand-counted crossing to its nearest counted one: without it, slow traffic that
 * settles ~0.7 s late pairs every crossing with its successor's.
 */
function typicalLagS(
  truthCrossings: NonNullable<ClipTruth['crossings']>,
  counted: readonly TracedCrossing[],
  toleranceS: number,
): number {
  const offsets: number[] = [];
  for (const t of truthCrossings) {
    let best: number | null = null;
    for (const c of counted) {
      if (c.lineId !== t.lineId || c.direction !== t.direction) continue;
      const offset = c.timeS - t.timeS;
      if (Math.abs(offset) <= toleranceS && (best === null || Math.abs(offset) < Math.abs(best))) best = offset;
    }
    if (best !== null) offsets.push(best);
  }
  if (offsets.length === 0) return 0;
  offsets.sort((a, b) => a - b);
  return offsets[Math.floor(offsets.length / 2)]!;
}
