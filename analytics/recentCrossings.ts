// A line's memory of the crossings it counted in the last moments, so a vehicle whose track is lost
// just past the line and found again as a new track just before it is not counted a second time.
//
// A track's crossing is a recount of a remembered one when all hold: same direction and the same kind of
// road user (on foot or two wheels / four wheels); the remembered track was last seen BEFORE the new one
// was first seen (two vehicles seen together are two vehicles) and at most windowMs before; the new track
// was first seen within nearLineBoxFrac of its box height of the line, and within reachBoxFrac of a box
// height (the larger of the two) of where the remembered track was last seen: the same vehicle found where
// it was lost, with a box whose bottom may have jumped (a rider's box without the bike, a bike with it).
// Each remembered crossing excuses one recount at most.
// A crossing is also a recount when, in the very frame of the decision, its track's box coincides (IoU at or
// above coincideIou) with that of a track of the same kind and direction counted crossing the line: one object
// the detector boxed twice, as two classes (a taxi as a car and as a truck). Same-class boxes that overlap that
// much never reach the tracker (class-aware NMS keeps one), so two vehicles are never taken for one this way.
import { FOUR_WHEELER_CLASS_IDS, type TrafficClassId } from '../core/detections.ts';
import type { PointPx } from '../core/geometry.ts';
import { iou, type BoxXyxy } from './geometry.ts';

export interface RecentCrossingsOptions {
  /** How long after its last sighting a counted track's crossing may still be found again, ms. Default 2000. */
  windowMs?: number;
  /** How near the line (fraction of its box height) a new track must be first seen to be a recount. Default 1. */
  nearLineBoxFrac?: number;
  /** How far from the remembered track's last anchor (fraction of box height) a recount may start. Default 1. */
  reachBoxFrac?: number;
  /** IoU at which two tracks' boxes in one frame are one object boxed twice. Default 0.7. */
  coincideIou?: number;
}

interface Remembered {
  trackId: number;
  direction: string;
  fourWheeled: boolean;
  /** The counted track's anchor and box height at its last sighting, px. */
  lastAnchor: PointPx;
  heightPx: number;
  /** The counted track's box at its last sighting. */
  lastBox: BoxXyxy;
  lastSeenMs: number;
}

/** What a line knows about a crossing it is about to count. */
export interface CrossingCandidate {
  trackId: number;
  direction: string;
  classId: TrafficClassId;
  firstSeenMs: number;
  /** The track's first anchor and its distance to the line, px. */
  firstAnchor: PointPx;
  firstDistancePx: number;
  /** The track's anchor and box height now, px. */
  anchor: PointPx;
  heightPx: number;
  /** The track's box at the sighting that decided the crossing. */
  box: BoxXyxy;
}

export class RecentCrossings {
  private readonly windowMs: number;
  private readonly nearLineBoxFrac: number;
  private readonly reachBoxFrac: number;
  private readonly coincideIou: number;
  private remembered: Remembered[] = [];

  constructor(options: RecentCrossingsOptions = {}) {
    this.windowMs = options.windowMs ?? 2000;
    this.nearLineBoxFrac = options.nearLineBoxFrac ?? 1;
    this.reachBoxFrac = options.reachBoxFrac ?? 1;
    this.coincideIou = options.coincideIou ?? 0.7;
  }

  /** A track was seen at timestampMs: its remembered crossings stay fresh while it is. */
  seen(trackId: number, anchor: PointPx, heightPx: number, timestampMs: number, box: BoxXyxy): void {
    for (const entry of this.remembered) {
      if (entry.trackId !== trackId) continue;
      entry.lastSeenMs = timestampMs;
      entry.lastAnchor = anchor;
      entry.heightPx = heightPx;
      entry.lastBox = box;
    }
  }

  /** Forgets crossings whose tracks have been unseen longer than the window. */
  prune(timestampMs: number): void {
    this.remembered = this.remembered.filter((entry) => timestampMs - entry.lastSeenMs <= this.windowMs);
  }

  /** True when the candidate is a recount (and the remembered crossing it repeats is used up); else remembers it. */
  isRecount(candidate: CrossingCandidate, timestampMs: number): boolean {
    const fourWheeled = FOUR_WHEELER_CLASS_IDS.has(candidate.classId);
    const index = this.remembered.findIndex(
      (entry) =>
        entry.trackId !== candidate.trackId &&
        entry.direction === candidate.direction &&
        entry.fourWheeled === fourWheeled &&
        (this.foundAgain(entry, candidate) || this.boxedTwice(entry, candidate, timestampMs)),
    );
    if (index >= 0) {
      this.remembered.splice(index, 1);
      return true;
    }
    const { trackId, direction, anchor, heightPx, box } = candidate;
    this.remembered.push({
      trackId,
      direction,
      fourWheeled,
      lastAnchor: anchor,
      heightPx,
      lastBox: box,
      lastSeenMs: timestampMs,
    });
    return false;
  }

  /** The remembered vehicle, lost, found again as the candidate's new track where it was lost. */
  private foundAgain(entry: Remembered, candidate: CrossingCandidate): boolean {
    return (
      entry.lastSeenMs < candidate.firstSeenMs &&
      candidate.firstSeenMs - entry.lastSeenMs <= this.windowMs &&
      candidate.firstDistancePx <= this.nearLineBoxFrac * candidate.heightPx &&
      Math.hypot(candidate.firstAnchor.x - entry.lastAnchor.x, candidate.firstAnchor.y - entry.lastAnchor.y) <=
        this.reachBoxFrac * Math.max(entry.heightPx, candidate.heightPx)
    );
  }

  /** The remembered vehicle and the candidate seen in this very frame as one box (two classes of one object). */
  private boxedTwice(entry: Remembered, candidate: CrossingCandidate, timestampMs: number): boolean {
    return entry.lastSeenMs === timestampMs && iou(entry.lastBox, candidate.box) >= this.coincideIou;
  }
}
