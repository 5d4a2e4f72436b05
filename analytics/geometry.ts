// Plane geometry on source-frame pixels shared by lines, zones and validation: anchors, sides,
// segment intersection, point-in-polygon and IoU. Pure numbers in, numbers out.
import type { AnchorPoint, PointPx } from '../core/geometry.ts';

/** xyxy box in source pixels. */
export type BoxXyxy = readonly [x1: number, y1: number, x2: number, y2: number];

export function anchorOf(box: BoxXyxy, anchor: AnchorPoint): PointPx {
  const x = (box[0] + box[2]) / 2;
  switch (anchor) {
    case 'bottomCenter':
      return { x, y: box[3] };
    case 'center':
      return { x, y: (box[1] + box[3]) / 2 };
    case 'topCenter':
      return { x, y: box[1] };
  }
}

/** z of (b - a) × (p - a): positive when p is right of a→b as seen on the image (y down). */
export function crossSide(a: PointPx, b: PointPx, p: PointPx): number {
  return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
}

export function distanceToSegmentPx(p: PointPx, a: PointPx, b: PointPx): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * True when segments p1–p2 and q1–q2 share a point. Touching counts (an anchor landing exactly on
 * the line is on it), collinear overlaps count too.
 */
export function segmentsIntersect(p1: PointPx, p2: PointPx, q1: PointPx, q2: PointPx): boolean {
  const d1 = Math.sign(crossSide(q1, q2, p1));
  const d2 = Math.sign(crossSide(q1, q2, p2));
  const d3 = Math.sign(crossSide(p1, p2, q1));
  const d4 = Math.sign(crossSide(p1, p2, q2));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (
    (d1 === 0 && onSegment(q1, q2, p1)) ||
    (d2 === 0 && onSegment(q1, q2, p2)) ||
    (d3 === 0 && onSegment(p1, p2, q1)) ||
    (d4 === 0 && onSegment(p1, p2, q2))
  );
}

function onSegment(a: PointPx, b: PointPx, p: PointPx): boolean {
  return (
    Math.min(a.x, b.x) <= p.x && p.x <= Math.max(a.x, b.x) && Math.min(a.y, b.y) <= p.y && p.y <= Math.max(a.y, b.y)
  );
}

/** Even-odd ray casting; points exactly on an edge may fall either way, which zones tolerate. */
export function pointInPolygon(p: PointPx, polygon: readonly PointPx[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Shoelace area in px²; absolute value, so orientation does not matter. */
export function polygonAreaPx2(polygon: readonly PointPx[]): number {
  let twiceArea = 0;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    twiceArea += polygon[j]!.x * polygon[i]!.y - polygon[i]!.x * polygon[j]!.y;
  }
  return Math.abs(twiceArea) / 2;
}

/** Index pairs of non-adjacent edges that cross; empty for a simple polygon. */
export function selfIntersections(polygon: readonly PointPx[]): Array<[number, number]> {
  const n = polygon.length;
  const crossings: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) continue;
      if (segmentsIntersect(polygon[i]!, polygon[(i + 1) % n]!, polygon[j]!, polygon[(j + 1) % n]!)) {
        crossings.push([i, j]);
      }
    }
  }
  return crossings;
}

export function iou(a: BoxXyxy, b: BoxXyxy): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}
