// What a rule has seen of each track with its own eyes: the sightings (not the coasting predictions) with
// the class the detector gave that box. The evidence rules ask for before an alert names a vehicle.
//
// Why not the track's class: the tracker keeps a vote over the detections it matched, but the vote of a
// young track is one or two boxes, and a motorbike seen from behind is often a "car" to a small model; an
// alert names a class only when it holds CLASS_MAJORITY_SHARE of the sightings, otherwise just "vehicle".
import { TRAFFIC_CLASSES, type TrafficClass } from '../core/detections.ts';
import { anchorOf } from '../analytics/geometry.ts';
import type { Track } from '../analytics/tracks.ts';
import type { FrameContext } from './ruleEvaluator.ts';

export interface Sighting {
  tMs: number;
  /** Bottom-centre of the box, px of the pipeline's frame. */
  x: number;
  y: number;
  heightPx: number;
  /** Class id the detector gave this box (TRAFFIC_CLASSES). */
  classId: number;
}

/** A sighting as stored: [tMs, x, y, heightPx, classId] (a checkpoint holds many; keys would double it). */
export type StoredSighting = [number, number, number, number, number];

/** Track id → its latest sightings, oldest first. Plain JSON (part of a rule's checkpointed state). */
export type SightingsState = Record<string, StoredSighting[]>;

/** The sightings of one track, oldest first. */
export function sightingsOf(state: SightingsState, trackId: number | string): Sighting[] {
  return (state[String(trackId)] ?? []).map(([tMs, x, y, heightPx, classId]) => ({ tMs, x, y, heightPx, classId }));
}

/** Sightings kept per track: 3 s at 5 fps, enough for every rule's look-back (and a small checkpoint). */
export const MAX_SIGHTINGS = 16;
/** Share of a track's sightings one class must hold to be named. */
export const CLASS_MAJORITY_SHARE = 0.6;
/** Sightings a track needs before any rule alerts on it. */
export const MIN_EVIDENCE_SIGHTINGS = 3;

/**
 * Adds this frame's sighting of each live track that `wanted` accepts and forgets the tracks gone, but for
 * those `keep` still needs (a crossing counted as its track died is judged on what was seen of it).
 */
export function recordSightings(
  state: SightingsState,
  context: FrameContext,
  wanted: (track: Track) => boolean = () => true,
  keep: (id: string) => boolean = () => false,
): void {
  const classIds = context.output.tracks.detections.classIds;
  for (const track of context.output.tracks.tracks) {
    if (track.detectionIndex < 0 || !wanted(track)) continue;
    const anchor = anchorOf(track.box, 'bottomCenter');
    const sightings = (state[String(track.id)] ??= []);
    sightings.push([
      context.tMs,
      round1(anchor.x),
      round1(anchor.y),
      round1(track.box[3] - track.box[1]),
      classIds[track.detectionIndex] ?? track.classId,
    ]);
    if (sightings.length > MAX_SIGHTINGS) sightings.shift();
  }
  for (const id of Object.keys(state)) if (!context.tracksById.has(Number(id)) && !keep(id)) delete state[id];
}

export interface ClassVerdict {
  /** The class a clear majority of the sightings gave; null when none holds CLASS_MAJORITY_SHARE. */
  className: TrafficClass | null;
  /** The most frequent class and its share of the sightings. */
  leading: TrafficClass | null;
  share: number;
}

export function classVerdict(sightings: readonly Sighting[]): ClassVerdict {
  if (sightings.length === 0) return { className: null, leading: null, share: 0 };
  const votes = new Array<number>(TRAFFIC_CLASSES.length).fill(0);
  for (const s of sightings) votes[s.classId] = (votes[s.classId] ?? 0) + 1;
  let best = 0;
  for (let c = 1; c < votes.length; c++) if (votes[c]! > votes[best]!) best = c;
  const share = votes[best]! / sightings.length;
  const leading = TRAFFIC_CLASSES[best]!;
  return { className: share >= CLASS_MAJORITY_SHARE ? leading : null, leading, share: Math.round(share * 100) / 100 };
}

/** Whether the sightings are of the watched classes: most of them (CLASS_MAJORITY_SHARE) are. */
export function ofClasses(sightings: readonly Sighting[], classes: readonly string[]): boolean {
  if (sightings.length === 0) return false;
  const watched = sightings.filter((s) => classes.includes(TRAFFIC_CLASSES[s.classId]!)).length;
  return watched / sightings.length >= CLASS_MAJORITY_SHARE;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
