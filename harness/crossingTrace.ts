// Which crossings the analytics counted, when, and which hand-counted crossings they answer: the replay's
// published detections run once more through the product's own CameraPipeline (deterministic, so the same
// counts as the analyzer stored), each counted crossing paired with a hand-counted one by time and, where the truth
// says where it crossed, by place (matchCrossings).
import { FORBIDDEN_COST, solveAssignment } from '../analytics/assignment.ts';
import { CameraPipeline } from '../analytics/cameraPipeline.ts';
import type { LineCrossing } from '../analytics/lineCounter.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import type { DetectionsJson } from '../core/detections.ts';
import type { RectPx } from '../core/geometry.ts';
import { pipelineFrameOf } from '../analytics/pipelineFrameOf.ts';
import { percentileOfSorted } from './stats.ts';
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
  /** The track's box centre x when it was last seen by then, in the analysis's (the truth's) pixels. */
  xPx: number;
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
  // Boxes are in the analysed frame's pixels; the truth's positions in the clip's (the analysis's) own.
  const toAnalysisPx = analysis.widthPx / first.frameWidthPx;
  const lastCentreX = new Map<number, number>();
  const trace = (counted: readonly LineCrossing[]) => {
    for (const c of counted)
      crossings.push({
        lineId: c.lineId,
        direction: c.direction,
        className: c.className,
        timeS: (c.timestampMs - startMs) / 1000,
        trackId: c.trackId,
        xPx: (lastCentreX.get(c.trackId) ?? 0) * toAnalysisPx,
      });
  };
  // As the analyzer of a replay: the clip's end is the source's end, after its last frame (harness/clipReplay.ts),
  // and ends every track, so a vehicle caught crossing then is counted (rule 5b of analytics/lineCounter.ts).
  for (const frame of frames) {
    const output = pipeline.process(pipelineFrameOf(frame));
    for (const track of output?.tracks.tracks ?? [])
      if (track.detectionIndex >= 0) lastCentreX.set(track.id, (track.box[0] + track.box[2]) / 2);
    trace(output?.crossings ?? []);
  }
  trace(pipeline.endSource(frames.length));
  return crossings;
}

/**
 * Pairs counted and hand-counted crossings of the same line and direction: same class within toleranceS, or
 * another class within half of it, after the counter's usual lag for that class (a car's box settles past the
 * line later than a motorbike's), and where the hand count gives the crossing's x, no further along the line than
 * an eighth of the frame. The pairing is the one of least total cost, a pair costing its gap, plus its distance
 * along the line as a share of that eighth (a wrong class toleranceS more), each crossing left unpaired half of
 * toleranceS: pairing the nearest first left a slow
 * van's late count to the next car and called the van missed and the last car extra, while pairing as many as
 * the tolerance allows would slide a dense stream of motorbikes along to hide a missed one. What stays unpaired
 * is a miss (truth only) or an extra count (counted only).
 */
export function matchCrossings(truth: ClipTruth, counted: readonly TracedCrossing[], toleranceS = 2): CrossingMatch[] {
  const truthCrossings = truth.crossings ?? [];
  // The lag is the median offset of a first pairing without one, per hand-counted class.
  // A vehicle drifts sideways while its box settles past the line: an eighth of the frame's width at most.
  const maxApartPx = truth.frameSizePx.widthPx / 8;
  const firstPass = pairAtLeastCost(truthCrossings, counted, toleranceS, () => 0, maxApartPx);
  const offsets = new Map<string, number[]>();
  for (const m of firstPass)
    if (m.truth && m.counted)
      offsets.set(m.truth.className, [...(offsets.get(m.truth.className) ?? []), m.counted.timeS - m.truth.timeS]);
  const lagOf = (className: string) =>
    percentileOfSorted(
      [...(offsets.get(className) ?? [])].sort((a, b) => a - b),
      0.5,
    );
  return pairAtLeastCost(truthCrossings, counted, toleranceS, lagOf, maxApartPx).sort(
    (a, b) => (a.truth?.timeS ?? a.counted!.timeS) - (b.truth?.timeS ?? b.counted!.timeS),
  );
}

function pairAtLeastCost(
  truthCrossings: NonNullable<ClipTruth['crossings']>,
  counted: readonly TracedCrossing[],
  toleranceS: number,
  lagOf: (className: string) => number,
  maxApartPx: number,
): CrossingMatch[] {
  const unpairedCost = toleranceS / 2;
  // Square, with a stand-in column per truth crossing and a stand-in row per counted one ("left unpaired").
  const [n, m] = [truthCrossings.length, counted.length];
  const size = n + m;
  const costs = new Float64Array(size * size).fill(FORBIDDEN_COST);
  truthCrossings.forEach((t, i) => {
    costs[i * size + m + i] = unpairedCost;
    counted.forEach((c, j) => {
      const gap = Math.abs(t.timeS + lagOf(t.className) - c.timeS);
      const sameClass = t.className === c.className;
      // Where the hand count says where it crossed: as far along the line as the tolerance, priced in seconds.
      const apart = t.xPx === undefined ? 0 : Math.abs(t.xPx - c.xPx) / maxApartPx;
      if (
        t.lineId === c.lineId &&
        t.direction === c.direction &&
        gap <= (sameClass ? toleranceS : toleranceS / 2) &&
        apart <= 1
      )
        costs[i * size + j] = gap + apart + (sameClass ? 0 : toleranceS);
    });
  });
  for (let j = 0; j < m; j++) {
    costs[(n + j) * size + j] = unpairedCost;
    for (let i = 0; i < n; i++) costs[(n + j) * size + m + i] = 0;
  }
  const matches: CrossingMatch[] = [];
  for (const [row, column] of solveAssignment(costs, size, size).matches) {
    if (row < n && column < m) matches.push({ truth: truthCrossings[row]!, counted: counted[column]! });
    else if (row < n) matches.push({ truth: truthCrossings[row]!, counted: null });
    else if (column < m) matches.push({ truth: null, counted: counted[column]! });
  }
  return matches;
}
