// The evidence a counted crossing needs before it becomes a wrong-way alert:
//  - seen before the line (minSightingsPerSide sightings on its first side or in the dead band) and after it
//    (minSightingsPerSide outside the band; one is enough when the track is gone: lost, or ended by a scene
//    cut, since no more sightings can come);
//  - its path from one side to the other is a real movement along the road: at least a box height long,
//    and steep to the line;
//  - the step across the line continues its motion: no faster than maxJumpFactor × its usual speed
//    between sightings (and at least a box height a second is allowed), so a track carried across a jump
//    of the picture (a clip that loops, a tracker swap between two vehicles) does not cross.
//  - only the track's last continuous run of sightings counts: a step over a long gap (frames dropped on a
//    busy box, the detector missing it) that also moves more than half a box, or a box whose height changes by
//    more than maxHeightRatio in one step, starts a new run. The tracker can hand a track to another vehicle
//    across such a gap (measured: with 20 % of frames dropped in bursts, vn_traffic's cars going away from the
//    camera were "seen" going towards it, 3–8 false alerts in 10 minutes; the time-scaled jump check let them
//    through, since over 1.4 s a 240 px step is a usual speed).
// Why: a counted crossing is one sighting past the line; a jumping track crosses in one step, and a box
// jittering on a line drawn along the road "crosses" sideways. Neither is a vehicle going the wrong way.
// The real wrong-way cyclist of vn_wrong_way is seen 3 times before the line and once after it before the
// detector loses it: the "one is enough when gone" case. Defaults (ruleDefaults.ts): 3, 1 box, 30°, 2.5.
import type { PointPx } from '../../core/geometry.ts';
import { crossSide, distanceToSegmentPx } from '../../analytics/geometry.ts';
import type { Sighting } from '../trackSightings.ts';

export interface CrossingEvidenceOptions {
  minSightingsPerSide: number;
  /** Path from the first side to the other, in box heights. */
  minDisplacementBoxes: number;
  /** Angle of that path to the line. */
  minAngleDeg: number;
  /** Dead band around the line, fraction of box height (px at least 4), as the line counter's. */
  bandBoxFrac: number;
  /** The step across the line may be this many times the track's median speed between sightings. */
  maxJumpFactor: number;
  /** A step over a gap this long or longer that also moves more than half a box breaks the run. */
  maxGapMs: number;
  /** A step whose box height grows or shrinks by more than this factor breaks the run. */
  maxHeightRatio: number;
}

export interface CrossingEvidence {
  ok: boolean;
  fromSideSightings: number;
  toSideSightings: number;
  displacementPx: number;
  angleDeg: number;
  /** Speed of the step across the line over the track's median speed (1 = as usual). */
  jumpRatio: number;
}

/**
 * Judges the sightings of a track that crossed from side `fromSign` (-1 left, +1 right of the line walked
 * from its first point to its last) to the other.
 */
export function crossingEvidence(
  allSightings: readonly Sighting[],
  line: readonly PointPx[],
  fromSign: number,
  options: CrossingEvidenceOptions,
  trackGone = false,
): CrossingEvidence {
  const sightings = continuousTail(allSightings, options);
  const sided = sightings.map((s) => ({
    s,
    ...sideOf(line, { x: s.x, y: s.y }, Math.max(4, options.bandBoxFrac * s.heightPx)),
  }));
  // The last run on the far side, and the sightings on the near side before it.
  let i = sided.length - 1;
  while (i >= 0 && sided[i]!.side !== -fromSign) i--;
  const lastFar = i;
  while (i >= 0 && sided[i]!.side !== fromSign) i--;
  const lastNear = i;
  const far = sided.slice(lastNear + 1, lastFar + 1).filter((p) => p.side === -fromSign);
  const near = sided.slice(0, lastNear + 1).filter((p) => p.side === fromSign);
  const firstFar = sided.findIndex((p, k) => k > lastNear && p.side === -fromSign);
  // Before the line: on the first side, or in the band on the way to the other.
  const before =
    firstFar < 0
      ? 0
      : sided.slice(0, firstFar).filter((p, k) => k > lastNear || p.side === fromSign || (k > 0 && p.side === 0))
          .length;
  const none = {
    ok: false,
    fromSideSightings: before,
    toSideSightings: far.length,
    displacementPx: 0,
    angleDeg: 0,
    jumpRatio: 0,
  };
  if (near.length === 0 || far.length === 0 || firstFar < 1) return none;
  const start = near[0]!.s;
  const end = far[far.length - 1]!.s;
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const displacementPx = Math.hypot(dx, dy);
  const segment = near[near.length - 1]!.segment;
  const lx = segment[1].x - segment[0].x;
  const ly = segment[1].y - segment[0].y;
  const cos = Math.abs(dx * lx + dy * ly) / ((Math.hypot(lx, ly) || 1) * (displacementPx || 1));
  const angleDeg = Math.round((Math.acos(Math.min(1, cos)) * 180) / Math.PI);
  const heightPx = median(sightings.map((s) => s.heightPx));
  const jumpRatio = stepJump(sightings, firstFar, heightPx);
  const ok =
    before >= options.minSightingsPerSide &&
    (far.length >= options.minSightingsPerSide || (trackGone && far.length >= 1)) &&
    displacementPx >= options.minDisplacementBoxes * heightPx &&
    angleDeg >= options.minAngleDeg &&
    jumpRatio <= options.maxJumpFactor;
  return {
    ok,
    fromSideSightings: before,
    toSideSightings: far.length,
    displacementPx: Math.round(displacementPx),
    angleDeg,
    jumpRatio: Math.round(jumpRatio * 100) / 100,
  };
}

/** The sightings since the last break in continuity (see the header), oldest first. */
export function continuousTail(
  sightings: readonly Sighting[],
  options: Pick<CrossingEvidenceOptions, 'maxGapMs' | 'maxHeightRatio'>,
): readonly Sighting[] {
  let start = 0;
  for (let k = 1; k < sightings.length; k++) {
    const a = sightings[k - 1]!;
    const b = sightings[k]!;
    const heightRatio = Math.max(a.heightPx, b.heightPx) / Math.max(1, Math.min(a.heightPx, b.heightPx));
    const moved = Math.hypot(b.x - a.x, b.y - a.y) > 0.5 * Math.max(a.heightPx, b.heightPx);
    if (heightRatio > options.maxHeightRatio || (b.tMs - a.tMs >= options.maxGapMs && moved)) start = k;
  }
  return start === 0 ? sightings : sightings.slice(start);
}

/**
 * Speed of the step into sighting `k` over the median speed of the track's other steps (floored at a box
 * height a second, so a vehicle that was nearly still may still move off); Infinity with nothing to compare.
 */
function stepJump(sightings: readonly Sighting[], k: number, heightPx: number): number {
  const speed = (i: number) => {
    const a = sightings[i - 1]!;
    const b = sightings[i]!;
    return Math.hypot(b.x - a.x, b.y - a.y) / Math.max(1, b.tMs - a.tMs);
  };
  const others: number[] = [];
  for (let i = 1; i < sightings.length; i++) if (i !== k) others.push(speed(i));
  if (others.length === 0) return Infinity;
  const usual = Math.max(median(others), heightPx / 1000);
  return speed(k) / usual;
}

/** Side of the nearest segment (0 inside the band) and that segment. */
function sideOf(line: readonly PointPx[], p: PointPx, bandPx: number): { side: number; segment: [PointPx, PointPx] } {
  let best = Infinity;
  let side = 0;
  let segment: [PointPx, PointPx] = [line[0]!, line[1]!];
  for (let k = 0; k + 1 < line.length; k++) {
    const a = line[k]!;
    const b = line[k + 1]!;
    const d = distanceToSegmentPx(p, a, b);
    if (d < best) {
      best = d;
      side = Math.sign(crossSide(a, b, p));
      segment = [a, b];
    }
  }
  return { side: best < bandPx ? 0 : side, segment };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
