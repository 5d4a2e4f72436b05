// Scores what the pipeline stored and detected against a clip's hand-made truth: count error per line ×
// direction × class (and per class over the clip), detection recall and precision on hand-boxed frames,
// people counted in a zone. Pure: the replay hands it rows and detections.
import { TRAFFIC_CLASSES } from '../core/detections.ts';
import { pointInPolygon } from '../analytics/geometry.ts';
import type { ClipTruth } from './truth.ts';

export interface CountedRow {
  lineId: string;
  direction: string;
  className: string;
  count: number;
}

export interface CountScore {
  lineId: string;
  direction: string;
  className: string;
  truth: number;
  min: number;
  max: number;
  counted: number;
  /** counted − truth */
  error: number;
  /** counted inside [min, max] */
  inRange: boolean;
}

export interface ClassScore {
  className: string;
  truth: number;
  min: number;
  max: number;
  counted: number;
  error: number;
  /** |error| / truth (0 when both are 0, Infinity when only the truth is 0). */
  relError: number;
  inRange: boolean;
}

export interface DetectedBox {
  className: string;
  score: number;
  box: [number, number, number, number];
}

export interface DetectionScore {
  className: string;
  truthBoxes: number;
  detections: number;
  matched: number;
  recall: number | null;
  precision: number | null;
}

export interface ZoneScore {
  zoneId: string;
  timeS: number;
  className: string;
  truth: number;
  min: number;
  max: number;
  detected: number;
  inRange: boolean;
}

/** Sums stored rows over minutes and scores them per line × direction × class against the truth. */
export function scoreCounts(truth: ClipTruth, counted: readonly CountedRow[]): CountScore[] {
  const key = (r: { lineId: string; direction: string; className: string }) =>
    `${r.lineId}\u0000${r.direction}\u0000${r.className}`;
  const sums = new Map<string, number>();
  for (const row of counted) sums.set(key(row), (sums.get(key(row)) ?? 0) + row.count);
  const rows = new Map<string, CountScore>();
  for (const line of truth.lines) {
    for (const direction of [line.directions.leftToRight, line.directions.rightToLeft]) {
      for (const className of TRAFFIC_CLASSES) {
        const entry = truth.counts.find(
          (c) => c.lineId === line.id && c.direction === direction && c.className === className,
        );
        const row = {
          lineId: line.id,
          direction,
          className,
          truth: entry?.count ?? 0,
          min: entry?.min ?? 0,
          max: entry?.max ?? 0,
        };
        const got = sums.get(key(row)) ?? 0;
        rows.set(key(row), { ...row, counted: got, error: got - row.truth, inRange: got >= row.min && got <= row.max });
      }
    }
  }
  // A direction the truth's lines do not name (a misconfigured line) still shows, against a truth of 0.
  for (const [k, got] of sums) {
    if (rows.has(k)) continue;
    const [lineId, direction, className] = k.split('\u0000') as [string, string, string];
    rows.set(k, {
      lineId,
      direction,
      className,
      truth: 0,
      min: 0,
      max: 0,
      counted: got,
      error: got,
      inRange: got === 0,
    });
  }
  return [...rows.values()];
}

/** Per class over every line and direction of the clip. */
export function scoreByClass(rows: readonly CountScore[]): ClassScore[] {
  return TRAFFIC_CLASSES.map((className) => {
    const mine = rows.filter((r) => r.className === className);
    const sum = (pick: (r: CountScore) => number) => mine.reduce((s, r) => s + pick(r), 0);
    const truth = sum((r) => r.truth);
    const counted = sum((r) => r.counted);
    const min = sum((r) => r.min);
    const max = sum((r) => r.max);
    const error = counted - truth;
    const relError = truth === 0 ? (counted === 0 ? 0 : Infinity) : Math.abs(error) / truth;
    return { className, truth, min, max, counted, error, relError, inRange: counted >= min && counted <= max };
  });
}

/** Whether a class's count meets the bound: inside the hand count's range, or within maxRelError of it. */
export function withinBound(score: ClassScore, maxRelError: number): boolean {
  return score.inRange || score.relError <= maxRelError;
}

/** A detection this close to a boxed region's border may be of an object the border cuts. */
const EDGE_PX = 2;

/**
 * Recall and precision per class on the hand-boxed frames. A detection matches a truth box of its class
 * that contains its box centre (one to one, best score first); detections not wholly inside the frame's
 * region are not judged.
 */
export function scoreDetections(
  truth: ClipTruth,
  detectionsAt: (timeS: number) => DetectedBox[] | null,
): DetectionScore[] {
  const totals = new Map<string, { truthBoxes: number; detections: number; matched: number }>();
  const total = (className: string) => {
    let t = totals.get(className);
    if (!t) totals.set(className, (t = { truthBoxes: 0, detections: 0, matched: 0 }));
    return t;
  };
  for (const frame of truth.frames ?? []) {
    const detected = detectionsAt(frame.timeS);
    if (!detected) continue;
    const r = frame.region;
    const centre = (b: readonly number[]) => ({ x: (b[0]! + b[2]!) / 2, y: (b[1]! + b[3]!) / 2 });
    // Truth boxes are the objects wholly inside the region: a detection reaching its border may be of an
    // object the region cuts, so it is not judged either way.
    const inRegion = detected.filter(
      (d) =>
        d.box[0] > r.x + EDGE_PX &&
        d.box[1] > r.y + EDGE_PX &&
        d.box[2] < r.x + r.widthPx - EDGE_PX &&
        d.box[3] < r.y + r.heightPx - EDGE_PX,
    );
    const taken = new Set<number>();
    for (const box of frame.boxes) total(box.className).truthBoxes += 1;
    for (const d of [...inRegion].sort((a, b) => b.score - a.score)) {
      total(d.className).detections += 1;
      const c = centre(d.box);
      const hit = frame.boxes.findIndex(
        (t, i) =>
          !taken.has(i) &&
          t.className === d.className &&
          c.x >= t.box[0]! &&
          c.x <= t.box[2]! &&
          c.y >= t.box[1]! &&
          c.y <= t.box[3]!,
      );
      if (hit >= 0) {
        taken.add(hit);
        total(d.className).matched += 1;
      }
    }
  }
  return TRAFFIC_CLASSES.filter((c) => totals.has(c)).map((className) => {
    const t = totals.get(className)!;
    return {
      className,
      ...t,
      recall: t.truthBoxes > 0 ? t.matched / t.truthBoxes : null,
      precision: t.detections > 0 ? t.matched / t.detections : null,
    };
  });
}

/** Objects of the class whose ground point (bottom-centre) lies in the zone, against the hand count. */
export function scoreZones(truth: ClipTruth, detectionsAt: (timeS: number) => DetectedBox[] | null): ZoneScore[] {
  const scores: ZoneScore[] = [];
  for (const zone of truth.zones ?? []) {
    for (const o of zone.occupancy) {
      const detected = detectionsAt(o.timeS);
      if (!detected) continue;
      const inside = detected.filter(
        (d) =>
          d.className === o.className && pointInPolygon({ x: (d.box[0] + d.box[2]) / 2, y: d.box[3] }, zone.polygon),
      ).length;
      scores.push({
        zoneId: zone.id,
        timeS: o.timeS,
        className: o.className,
        truth: o.count,
        min: o.min,
        max: o.max,
        detected: inside,
        inRange: inside >= o.min && inside <= o.max,
      });
    }
  }
  return scores;
}
