// Occupancy per class, dwell per track, and enter/exit events of one polygon zone (supervision's
// PolygonZone plus dwell). A track is in the zone when the anchor of its box is inside the polygon.
//
// Membership changes only on sightings: entering takes minFramesInside consecutive sightings inside,
// leaving minFramesOutside consecutive sightings outside, and each change is dated at the first sighting
// of its run (so dwell = first sighting outside − first sighting inside, within one frame interval of the
// truth). A member that is lost (coasting) stays a member; a member whose track dies leaves at its last
// sighting inside. Tentative tracks are followed but neither occupy nor emit until confirmed; their
// entry is then reported with its original time.
import { TRAFFIC_CLASSES, type TrafficClass, type TrafficClassId } from '../core/detections.ts';
import type { AnchorPoint, PointPx, ZoneConfig } from '../core/geometry.ts';
import { ValidationError } from '../core/errors.ts';
import { anchorOf, pointInPolygon } from './geometry.ts';
import type { Track, Tracks } from './tracks.ts';

export interface PolygonZoneOptions {
  /** Default 'bottomCenter'. */
  anchor?: AnchorPoint;
  /** Consecutive sightings inside before a track enters. Default 1. */
  minFramesInside?: number;
  /** Consecutive sightings outside before a member leaves. Default 1. */
  minFramesOutside?: number;
}

export interface ZoneEvent {
  zoneId: string;
  kind: 'enter' | 'exit';
  trackId: number;
  classId: TrafficClassId;
  className: TrafficClass;
  timestampMs: number;
  /** Time in the zone: 0 on enter, the whole stay on exit. */
  dwellMs: number;
}

export interface ZoneDwell {
  trackId: number;
  classId: TrafficClassId;
  className: TrafficClass;
  enteredAtMs: number;
  /** So far, at the update's timestamp. */
  dwellMs: number;
}

export interface ZoneUpdate {
  zoneId: string;
  timestampMs: number;
  occupancy: number;
  occupancyByClass: Record<TrafficClass, number>;
  events: ZoneEvent[];
  /** Current members, track ids ascending. */
  dwells: ZoneDwell[];
}

interface TrackZoneState {
  member: boolean;
  announced: boolean;
  enteredAtMs: number;
  lastInsideMs: number;
  runInside: boolean;
  runFrames: number;
  runStartMs: number;
  classId: TrafficClassId;
}

export class PolygonZone {
  readonly id: string;
  readonly polygon: readonly PointPx[];
  readonly areaM2: number | null;
  private readonly anchor: AnchorPoint;
  private readonly minFramesInside: number;
  private readonly minFramesOutside: number;
  private readonly states = new Map<number, TrackZoneState>();

  constructor(config: ZoneConfig, options: PolygonZoneOptions = {}) {
    if (config.polygon.length < 3) throw new ValidationError(`zone ${config.id} needs 3 points`, { field: 'polygon' });
    this.id = config.id;
    this.polygon = config.polygon.map((p) => ({ x: p.x, y: p.y }));
    this.areaM2 = config.areaM2 ?? null;
    this.anchor = options.anchor ?? 'bottomCenter';
    this.minFramesInside = Math.max(1, options.minFramesInside ?? 1);
    this.minFramesOutside = Math.max(1, options.minFramesOutside ?? 1);
  }

  /** True when the anchor of the box is inside the polygon (no memory; for one-off questions). */
  contains(box: readonly [number, number, number, number]): boolean {
    return pointInPolygon(anchorOf(box, this.anchor), this.polygon);
  }

  update(tracks: Tracks): ZoneUpdate {
    const t = tracks.timestampMs;
    const events: ZoneEvent[] = [];
    const alive = new Set<number>();
    for (const track of tracks.tracks) {
      alive.add(track.id);
      let state = this.states.get(track.id);
      if (track.detectionIndex >= 0) {
        if (!state) {
          state = {
            member: false,
            announced: false,
            enteredAtMs: 0,
            lastInsideMs: 0,
            runInside: false,
            runFrames: 0,
            runStartMs: t,
            classId: track.classId,
          };
          this.states.set(track.id, state);
        }
        this.observe(track, state, t, events);
      }
      if (!state) continue;
      state.classId = track.classId;
      if (state.member && !state.announced && track.state !== 'tentative') {
        state.announced = true;
        events.push(this.event('enter', track.id, state, state.enteredAtMs, 0));
      }
    }
    for (const [id, state] of this.states) {
      if (alive.has(id)) continue;
      if (state.member && state.announced) {
        events.push(this.event('exit', id, state, state.lastInsideMs, state.lastInsideMs - state.enteredAtMs));
      }
      this.states.delete(id);
    }
    return this.summarise(t, events);
  }

  private observe(track: Track, state: TrackZoneState, t: number, events: ZoneEvent[]): void {
    const inside = pointInPolygon(anchorOf(track.box, this.anchor), this.polygon);
    if (inside) state.lastInsideMs = t;
    if (inside === state.member) {
      state.runFrames = 0;
      return;
    }
    if (state.runFrames > 0 && state.runInside === inside) {
      state.runFrames += 1;
    } else {
      state.runInside = inside;
      state.runFrames = 1;
      state.runStartMs = t;
    }
    if (state.runFrames < (inside ? this.minFramesInside : this.minFramesOutside)) return;
    state.member = inside;
    state.runFrames = 0;
    if (inside) {
      state.enteredAtMs = state.runStartMs;
      return;
    }
    if (state.announced) {
      events.push(this.event('exit', track.id, state, state.runStartMs, state.runStartMs - state.enteredAtMs));
    }
    state.announced = false;
  }

  private summarise(t: number, events: ZoneEvent[]): ZoneUpdate {
    const perClass = new Array<number>(TRAFFIC_CLASSES.length).fill(0);
    const dwells: ZoneDwell[] = [];
    for (const [trackId, state] of this.states) {
      if (!state.member || !state.announced) continue;
      perClass[state.classId] = perClass[state.classId]! + 1;
      dwells.push({
        trackId,
        classId: state.classId,
        className: TRAFFIC_CLASSES[state.classId]!,
        enteredAtMs: state.enteredAtMs,
        dwellMs: t - state.enteredAtMs,
      });
    }
    dwells.sort((a, b) => a.trackId - b.trackId);
    return {
      zoneId: this.id,
      timestampMs: t,
      occupancy: dwells.length,
      occupancyByClass: Object.fromEntries(TRAFFIC_CLASSES.map((name, i) => [name, perClass[i]!])) as Record<
        TrafficClass,
        number
      >,
      events,
      dwells,
    };
  }

  private event(
    kind: 'enter' | 'exit',
    trackId: number,
    state: TrackZoneState,
    timestampMs: number,
    dwellMs: number,
  ): ZoneEvent {
    return {
      zoneId: this.id,
      kind,
      trackId,
      classId: state.classId,
      className: TRAFFIC_CLASSES[state.classId]!,
      timestampMs,
      dwellMs,
    };
  }
}
