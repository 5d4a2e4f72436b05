// Counts tracks crossing a polyline, per direction and class (supervision's LineZone, with hysteresis).
// Counting and drawing are separate: this only counts; the player draws the line.
//
// The counting rule, for each line and each track:
//  1. The track stands at the anchor point of its filtered box (bottom-centre by default), taken only on
//     updates where the track was seen (coasting predictions never count).
//  2. Side: left or right of the nearest polyline segment, as seen on the image walking from the line's
//     first point to its last (image y down). Anchors closer to the polyline than the dead band
//     (max(minDistancePx, minDistanceBoxFrac × box height): detector jitter grows with box size) have no side.
//  3. A track settles on a side after minFramesOnSide consecutive sightings on that side outside the dead
//     band (sightings inside the band restart the run). The first settlement just records the side.
//  3a. A track whose first sighting lies inside the band starts settled on that sighting's side: at 2 fps a
//     motorbike moves ~75 px between frames, so its one sighting before the line falls inside a ±7 px band
//     about one time in six, and the crossing would be lost. It still counts only by settling on the other
//     side outside the band, so a box jittering on the line counts nothing.
//  4. The path between consecutive sightings is a segment; when one of those segments intersects the
//     polyline, the track is marked as having touched the line since it last settled.
//  5. One crossing is counted when a track settles on the side opposite the one it was settled on AND
//     touched the line in between; then the mark is cleared. So a jump across the line between two 2 fps
//     frames counts, a box stopped on the line or jittering inside the band counts nothing, a track that
//     goes round the end of the line counts nothing, and a track that comes back counts again only by
//     settling on the first side again after touching the line (a real U-turn, in the other direction).
//     Settling back on the side a counted crossing came from takes a wider band (returnBoxFrac × box
//     height, half a box by default), so a box jittering across the line by less than that counts once.
//  5b. When every track ends at once (a scene cut or the source's end: endAll), a confirmed track last
//     seen on the far side but inside the band (at least minDistancePx past the line: nearer is jitter, or the
//     filter overshooting a car that stopped short), after touching the line and moving at least half a box
//     height since it settled, crossed: it is counted as of its last sighting (subject to rule 7). A vehicle
//     crossing as a clip loops or ends, or the source restarts, is not missed; a parked car's jitter moves less than half a box. An
//     ordinary death does not count this way: the vehicle's next track, found past the line, may be about
//     to count it (the street scenes at 5 fps counted such a motorbike twice).
//  6. A crossing is held until the track is confirmed and has minHitsToCount sightings, so its class is
//     decided over enough detections (a motorbike misread as a bicycle once at 2 fps is not counted as
//     a bicycle); it is then counted with the time it was made, as the track's class then
//     (analytics/trackClass.ts: a rider is part of the two-wheeler, so a track with enough two-wheeler
//     sightings, or one moving at vehicle speed, counts as a two-wheeler, never as a pedestrian). A confirmed track that dies first is
//     counted at its death with its last class; a track that dies tentative counts nothing.
//  7. A track that meets the line just after another track of the same kind was counted crossing it there
//     in the same direction, and was first seen only once that one was no longer seen, is the same vehicle
//     found again by the tracker (analytics/recentCrossings.ts): its crossing settles its side but is not
//     counted again. Two vehicles seen side by side in one frame are never taken for one. Nor is a track
//     whose box coincides, in the frame of its crossing, with that of a track of the same kind counted crossing
//     there: one vehicle the detector boxed twice as two classes (a taxi as a car and a truck), counted once.
// Distance and frames both hold (not either): with frames alone, a vehicle parked on the line with detector
// jitter would eventually count. The default is the distance rule alone (minFramesOnSide 1), because at
// 2 fps a motorbike may be seen only once or twice on each side; raise it for high-fps, jittery scenes.
import { TRAFFIC_CLASSES, type TrafficClass, type TrafficClassId } from '../core/detections.ts';
import type { AnchorPoint, CountingLineConfig, PointPx } from '../core/geometry.ts';
import { ValidationError } from '../core/errors.ts';
import { anchorOf, crossSide, distanceToSegmentPx, segmentsIntersect, type BoxXyxy } from './geometry.ts';
import { RecentCrossings, type RecentCrossingsOptions } from './recentCrossings.ts';
import type { Track, Tracks } from './tracks.ts';

export interface LineCounterOptions {
  /** Default 'bottomCenter' (where a vehicle meets the road). */
  anchor?: AnchorPoint;
  /** Half-width of the dead band around the line, px, at least. Default 4. */
  minDistancePx?: number;
  /** Half-width of the dead band as a fraction of the track's box height, when larger. Default 0.15. */
  minDistanceBoxFrac?: number;
  /** Consecutive sightings outside the band before a side counts. Default 1. */
  minFramesOnSide?: number;
  /** Dead band for settling back where a counted crossing came from, fraction of box height. Default 0.5. */
  returnBoxFrac?: number;
  /** Sightings a track needs before its crossing is counted, so its class is a majority of enough
   * detections: with a 5 % confusion rate a wrong majority of 7 is ~3e-5 per track (of 3, ~0.7 %). Default 7. */
  minHitsToCount?: number;
  /** When a lost-and-found vehicle's second track is not counted again (rule 7). */
  recount?: RecentCrossingsOptions;
}

export type LineSide = 'left' | 'right';

export interface LineCrossing {
  lineId: string;
  trackId: number;
  classId: TrafficClassId;
  className: TrafficClass;
  /** The direction's name from the line's config (e.g. 'in'). */
  direction: string;
  fromSide: LineSide;
  /** When the crossing was settled (the sighting that completed rule 5). */
  timestampMs: number;
}

interface TrackLineState {
  lastAnchor: PointPx | null;
  /** The anchor at the track's first sighting (rule 7: was it first seen at the line?). */
  firstAnchor: PointPx;
  settledSide: number;
  runSide: number;
  runFrames: number;
  touchedLine: boolean;
  /** Crossings decided but not yet counted (the track is young), oldest first. */
  held: Array<Omit<LineCrossing, 'classId' | 'className'>>;
  everConfirmed: boolean;
  lastClassId: TrafficClassId;
  /** The side the last counted crossing came from (0 before any): going back there takes the wider band. */
  countedFromSide: number;
  /** Where the track last settled (or was first seen inside the band), for rule 5b. */
  settledAnchor: PointPx | null;
  firstSeenMs: number;
  lastSeenMs: number;
  lastHeightPx: number;
  /** The box at the last sighting (rule 7 at an end), null before any. */
  lastBox: BoxXyxy | null;
}

export class LineCounter {
  readonly id: string;
  readonly points: readonly PointPx[];
  readonly directions: { readonly leftToRight: string; readonly rightToLeft: string };
  private readonly anchor: AnchorPoint;
  private readonly minDistancePx: number;
  private readonly minDistanceBoxFrac: number;
  private readonly minFramesOnSide: number;
  private readonly minHitsToCount: number;
  private readonly returnBoxFrac: number;
  private readonly states = new Map<number, TrackLineState>();
  private readonly recent: RecentCrossings;
  /** direction name → per-class counts indexed like TRAFFIC_CLASSES */
  private readonly totals = new Map<string, number[]>();

  constructor(config: CountingLineConfig, options: LineCounterOptions = {}) {
    const distinct = config.points.filter(
      (p, i) => i === 0 || p.x !== config.points[i - 1]!.x || p.y !== config.points[i - 1]!.y,
    );
    if (distinct.length < 2) {
      throw new ValidationError(`line ${config.id} needs 2 distinct points`, { field: 'points' });
    }
    this.id = config.id;
    this.points = distinct.map((p) => ({ x: p.x, y: p.y }));
    this.directions = config.directions ?? { leftToRight: 'in', rightToLeft: 'out' };
    this.anchor = options.anchor ?? 'bottomCenter';
    this.minDistancePx = options.minDistancePx ?? 4;
    this.minDistanceBoxFrac = options.minDistanceBoxFrac ?? 0.15;
    this.minFramesOnSide = Math.max(1, options.minFramesOnSide ?? 1);
    this.minHitsToCount = Math.max(1, options.minHitsToCount ?? 7);
    this.returnBoxFrac = options.returnBoxFrac ?? 0.5;
    this.recent = new RecentCrossings(options.recount);
    for (const direction of [this.directions.leftToRight, this.directions.rightToLeft]) {
      this.totals.set(direction, new Array<number>(TRAFFIC_CLASSES.length).fill(0));
    }
  }

  /** Feeds one tracker update; returns the crossings counted by it. */
  update(tracks: Tracks): LineCrossing[] {
    const crossings: LineCrossing[] = [];
    const alive = new Set<number>();
    this.recent.prune(tracks.timestampMs);
    for (const track of tracks.tracks) {
      if (track.detectionIndex >= 0)
        this.recent.seen(
          track.id,
          anchorOf(track.box, this.anchor),
          track.box[3] - track.box[1],
          tracks.timestampMs,
          track.box,
        );
    }
    for (const track of tracks.tracks) {
      alive.add(track.id);
      if (track.detectionIndex < 0) continue;
      let state = this.states.get(track.id);
      if (!state) {
        state = {
          lastAnchor: null,
          lastBox: null,
          firstAnchor: anchorOf(track.box, this.anchor),
          settledSide: 0,
          runSide: 0,
          runFrames: 0,
          touchedLine: false,
          held: [],
          everConfirmed: false,
          lastClassId: track.classId,
          countedFromSide: 0,
          settledAnchor: null,
          firstSeenMs: track.firstSeenMs,
          lastSeenMs: tracks.timestampMs,
          lastHeightPx: track.box[3] - track.box[1],
        };
        this.states.set(track.id, state);
      }
      this.observe(track, state, tracks.timestampMs);
      state.lastClassId = track.classId;
      if (track.state !== 'tentative') state.everConfirmed = true;
      if (state.held.length > 0 && track.state !== 'tentative' && track.hits >= this.minHitsToCount) {
        for (const held of state.held) crossings.push(this.tally(held, track.classId));
        state.held = [];
      }
    }
    // A track absent from the update has died: count what a confirmed one still held, then forget it.
    for (const [id, state] of this.states) {
      if (alive.has(id)) continue;
      if (state.everConfirmed) for (const held of state.held) crossings.push(this.tally(held, state.lastClassId));
      this.states.delete(id);
    }
    return crossings;
  }

  /**
   * Every track ends at once (a scene cut): what confirmed tracks held is counted,
   * and so is a crossing a track was making as it ended (rule 5b). Returns the crossings counted.
   */
  endAll(): LineCrossing[] {
    const crossings: LineCrossing[] = [];
    for (const [id, state] of this.states) {
      if (!state.everConfirmed) continue;
      const ended = this.endedAcross(id, state);
      if (ended) state.held.push(ended);
      for (const held of state.held) crossings.push(this.tally(held, state.lastClassId));
    }
    this.states.clear();
    return crossings;
  }

  /** Counts so far: direction name → class name → crossings. */
  counts(): Record<string, Record<TrafficClass, number>> {
    const result: Record<string, Record<TrafficClass, number>> = {};
    for (const [direction, perClass] of this.totals) {
      result[direction] = Object.fromEntries(TRAFFIC_CLASSES.map((name, i) => [name, perClass[i]!])) as Record<
        TrafficClass,
        number
      >;
    }
    return result;
  }

  /** Crossings in one direction, of one class or of all. */
  count(direction: string, className?: TrafficClass): number {
    const perClass = this.totals.get(direction);
    if (!perClass) return 0;
    return className ? perClass[TRAFFIC_CLASSES.indexOf(className)]! : perClass.reduce((a, b) => a + b, 0);
  }

  /**
   * Rule 5b: a track ended with the others after touching the line, last seen on the far side but still
   * inside the band, past its jitter floor (a vehicle crossing as the stream stops), having moved half a box
   * since it settled (a parked car's jitter never does), crossed: counted as of its last sighting.
   */
  private endedAcross(trackId: number, state: TrackLineState): Omit<LineCrossing, 'classId' | 'className'> | null {
    if (state.settledSide === 0 || !state.touchedLine || !state.lastAnchor || !state.lastBox || !state.settledAnchor)
      return null;
    const { side, distancePx } = this.sideOf(state.lastAnchor);
    if (side === 0 || side === state.settledSide || distancePx < this.minDistancePx) return null;
    const movedPx = Math.hypot(state.lastAnchor.x - state.settledAnchor.x, state.lastAnchor.y - state.settledAnchor.y);
    if (movedPx < 0.5 * state.lastHeightPx) return null;
    const fromSide: LineSide = state.settledSide < 0 ? 'left' : 'right';
    const direction = fromSide === 'left' ? this.directions.leftToRight : this.directions.rightToLeft;
    const candidate = {
      trackId,
      direction,
      classId: state.lastClassId,
      firstSeenMs: state.firstSeenMs,
      firstAnchor: state.firstAnchor,
      firstDistancePx: this.sideOf(state.firstAnchor).distancePx,
      anchor: state.lastAnchor,
      heightPx: state.lastHeightPx,
      box: state.lastBox,
    };
    if (this.recent.isRecount(candidate, state.lastSeenMs)) return null;
    return { lineId: this.id, trackId, direction, fromSide, timestampMs: state.lastSeenMs };
  }

  private observe(track: Track, state: TrackLineState, timestampMs: number): void {
    const anchor = anchorOf(track.box, this.anchor);
    if (state.lastAnchor && this.pathTouchesLine(state.lastAnchor, anchor)) state.touchedLine = true;
    state.lastAnchor = anchor;
    state.lastSeenMs = timestampMs;
    state.lastHeightPx = track.box[3] - track.box[1];
    state.lastBox = track.box;

    const { side, distancePx } = this.sideOf(anchor);
    const heightPx = track.box[3] - track.box[1];
    const bandFrac =
      side !== 0 && side === state.countedFromSide
        ? Math.max(this.minDistanceBoxFrac, this.returnBoxFrac)
        : this.minDistanceBoxFrac;
    const bandPx = Math.max(this.minDistancePx, bandFrac * heightPx);
    if (side === 0 || distancePx < bandPx) {
      // A track first seen inside the band starts on that side (rule 3a).
      if (state.settledSide === 0 && side !== 0) {
        state.settledSide = side;
        state.settledAnchor = anchor;
      }
      state.runSide = 0;
      state.runFrames = 0;
      return;
    }
    state.runFrames = side === state.runSide ? state.runFrames + 1 : 1;
    state.runSide = side;
    if (state.runFrames < this.minFramesOnSide || (side === state.settledSide && !state.touchedLine)) return;
    if (state.settledSide !== 0 && side !== state.settledSide && state.touchedLine) {
      const fromSide: LineSide = state.settledSide < 0 ? 'left' : 'right';
      const direction = fromSide === 'left' ? this.directions.leftToRight : this.directions.rightToLeft;
      if (!this.isRecount(track, state, anchor, direction, timestampMs)) {
        state.held.push({ lineId: this.id, trackId: track.id, direction, fromSide, timestampMs });
      }
      state.countedFromSide = state.settledSide;
    }
    state.settledSide = side;
    state.settledAnchor = anchor;
    state.touchedLine = false;
  }

  private isRecount(
    track: Track,
    state: TrackLineState,
    anchor: PointPx,
    direction: string,
    timestampMs: number,
  ): boolean {
    return this.recent.isRecount(
      {
        trackId: track.id,
        direction,
        classId: track.classId,
        firstSeenMs: track.firstSeenMs,
        firstAnchor: state.firstAnchor,
        firstDistancePx: this.sideOf(state.firstAnchor).distancePx,
        anchor,
        heightPx: track.box[3] - track.box[1],
        box: track.box,
      },
      timestampMs,
    );
  }

  private tally(held: Omit<LineCrossing, 'classId' | 'className'>, classId: TrafficClassId): LineCrossing {
    const perClass = this.totals.get(held.direction)!;
    perClass[classId] = perClass[classId]! + 1;
    return { ...held, classId, className: TRAFFIC_CLASSES[classId]! };
  }

  private pathTouchesLine(from: PointPx, to: PointPx): boolean {
    for (let i = 0; i + 1 < this.points.length; i++) {
      if (segmentsIntersect(from, to, this.points[i]!, this.points[i + 1]!)) return true;
    }
    return false;
  }

  /** Side (-1 left, +1 right, 0 exactly on) of the nearest segment, and the distance to the polyline. */
  private sideOf(p: PointPx): { side: number; distancePx: number } {
    let best = Infinity;
    let side = 0;
    for (let i = 0; i + 1 < this.points.length; i++) {
      const a = this.points[i]!;
      const b = this.points[i + 1]!;
      const distancePx = distanceToSegmentPx(p, a, b);
      if (distancePx < best) {
        best = distancePx;
        side = Math.sign(crossSide(a, b, p));
      }
    }
    return { side, distancePx: best };
  }
}
