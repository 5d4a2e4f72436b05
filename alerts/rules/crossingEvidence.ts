// The evidence a counted crossing needs before it becomes a wrong-way alert: the track was seen settled on
// both sides of the line (several sightings each, outside the line's dead band), and its path from one
// side to the other is a real movement along the road: at least a box height long, and steep to the line.
//
// Why: a counted crossing is one sighting past the line; a track carried across a jump of the picture (a
// clip that loops, a tracker swap between two vehicles) crosses in one step with nothing before or after,
// and a box jittering on a line drawn along the road "crosses" sideways. Neither is a vehicle going the
// wrong way. Defaults (ruleDefaults.ts): 3 sightings a side, 1 box height, 30°.
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
}

export interface CrossingEvidence {
  ok: boolean;
  fromSideSightings: number;
  toSideSightings: number;
  displacementPx: number;
  angleDeg: number;
}

/**
 * Judges the sightings of a track that crossed from side `fromSign` (-1 left, +1 right of the line walked
 * from its first point to its last) to the other.
 */
export function crossingEvidence(sightings: readonly Sighting[], line: readonly PointPx[], fromSign: number, options: CrossingEvidenceOptions): CrossingEvidence {
  const sided = sightings.map((s) => ({ s, ...sideOf(line, { x: s.x, y: s.y }, Math.max(4, options.bandBoxFrac * s.heightPx)) }));
  // The last run on the far side, and the sightings on the near side before it.
  let i = sided.length - 1;
  while (i >= 0 && sided[i]!.side !== -fromSign) i--;
  const lastFar = i;
  while (i >= 0 && sided[i]!.side !== fromSign) i--;
  const lastNear = i;
  const far = sided.slice(lastNear + 1, lastFar + 1).filter((p) => p.side === -fromSign);
  const near = sided.slice(0, lastNear + 1).filter((p) => p.side === fromSign);
  const none = { ok: false, fromSideSightings: near.length, toSideSightings: far.length, displacementPx: 0, angleDeg: 0 };
  if (near.length === 0 || far.length === 0) return none;
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
  const ok =
    near.length >= options.minSightingsPerSide &&
    far.length >= options.minSightingsPerSide &&
    displacementPx >= options.minDisplacementBoxes * heightPx &&
    angleDeg >= options.minAngleDeg;
  return { ok, fromSideSightings: near.length, toSideSightings: far.length, displacementPx: Math.round(displacementPx), angleDeg };
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
