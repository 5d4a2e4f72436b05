// Stopped vehicle: a confirmed vehicle in a no-stopping zone that stays put while the traffic of the zone
// moves past it, one alert per vehicle, ended when it moves off or leaves. Stillness is judged on
// sightings, never on coasting predictions.
//
// What counts as stopped (the choice, for officers and for the bench):
//  - still: with calibration and maxSpeedKmh, ground speed ≤ maxSpeedKmh; otherwise its box centre moved
//    less than 10 % of its box height over the last 2 s (the box height scales with distance, a pixel
//    threshold would be too strict near and too loose far);
//  - the alert needs minStoppedS of stillness WHILE another vehicle in the zone is moving (a queue at a red
//    light is everyone still: it raises nothing), or, when nothing moves, QUEUE_FACTOR × minStoppedS and at
//    least QUEUE_MIN_S (a queue that never moves for that long is an incident in its own right);
//  - a parked vehicle is one alert: when the tracker loses it and finds it again as a new track at the same
//    place (box IoU ≥ 0.5, within PLACE_MEMORY_MS), the new track continues the first one's subject and stop
//    time, so the same alert stays open (or re-opens within the cooldown) instead of a new one every
//    minStoppedS for as long as it is parked;
//  - evidence as for every track rule: MIN_EVIDENCE_SIGHTINGS sightings, a vehicle class by most of them.
import type { StoppedVehicleRule } from '../../core/alerts.ts';
import type { BoxXyxy } from '../../analytics/geometry.ts';
import { iou } from '../../analytics/geometry.ts';
import type { Track } from '../../analytics/tracks.ts';
import { minDurationMsOf, VEHICLE_CLASSES } from '../ruleDefaults.ts';
import {
  RuleEvaluator,
  namedTrackEvidence,
  round1,
  zoneLabel,
  type FrameContext,
  type Observation,
} from '../ruleEvaluator.ts';
import {
  classVerdict,
  MIN_EVIDENCE_SIGHTINGS,
  ofClasses,
  recordSightings,
  sightingsOf,
  type SightingsState,
} from '../trackSightings.ts';
import { subjectName } from '../alertFacts.ts';

export const STILL_WINDOW_MS = 2000;
export const STILL_BOX_FRACTION = 0.1;
/** Another vehicle is moving when its box centre goes this many box heights per second. */
export const MOVING_BOXES_PER_S = 0.5;
export const QUEUE_FACTOR = 3;
export const QUEUE_MIN_S = 180;
export const PLACE_MEMORY_MS = 10 * 60_000;
/** Stillness between two sightings further apart than this is not credited as "amid traffic". */
const MAX_CREDIT_STEP_MS = 2000;

interface Centre {
  tMs: number;
  x: number;
  y: number;
}

interface StoppedTrack {
  /** Centres of the last STILL_WINDOW_MS, plus the newest one before it (the window's reference). */
  centres: Centre[];
  stoppedSinceMs: number | null;
  /** Still time while another vehicle of the zone moved. */
  amidTrafficMs: number;
  lastStillMs: number | null;
  /** The subject it is alerted under (its own, or that of the vehicle it replaced at the same place). */
  subject: string | null;
}

interface Place {
  box: [number, number, number, number];
  subject: string;
  stoppedSinceMs: number;
  lastSeenMs: number;
}

interface StoppedState {
  tracks: Record<string, StoppedTrack>;
  sightings: SightingsState;
  places: Place[];
}

export class StoppedVehicleRuleEvaluator extends RuleEvaluator<StoppedVehicleRule, StoppedState> {
  private readonly minStoppedMs: number;
  private readonly queueStoppedMs: number;
  private readonly classes: readonly string[];

  constructor(rule: StoppedVehicleRule) {
    super(rule, { tracks: {}, sightings: {}, places: [] });
    this.minStoppedMs = minDurationMsOf(rule);
    this.queueStoppedMs = Math.max(QUEUE_FACTOR * this.minStoppedMs, QUEUE_MIN_S * 1000);
    this.classes = rule.classes ?? VEHICLE_CLASSES;
  }

  override loadState(state: unknown): void {
    const saved = state as Partial<StoppedState> | null;
    // A checkpoint of the code before evidence and places were kept: its per-track stillness does not carry over.
    if (!saved || !saved.sightings || !saved.places) return;
    super.loadState(state);
  }

  evaluate(context: FrameContext): Observation[] {
    const zoneId = this.rule.zoneId;
    const update = context.output.zoneUpdates.find((u) => u.zoneId === zoneId);
    const inZone = new Set((update?.dwells ?? []).map((d) => d.trackId));
    recordSightings(this.state.sightings, context, (track) => inZone.has(track.id));
    const members = (update?.dwells ?? [])
      .map((d) => context.tracksById.get(d.trackId))
      .filter((t): t is Track => t !== undefined);
    const vehicles = members.filter(
      (t) => this.classes.includes(t.className) || ofClasses(sightingsOf(this.state.sightings, t.id), this.classes),
    );
    const moving = new Set(vehicles.filter(isMoving).map((t) => t.id));
    const observations: Observation[] = [];
    const kept = new Set<string>();
    for (const track of vehicles) {
      const id = String(track.id);
      kept.add(id);
      const state = (this.state.tracks[id] ??= {
        centres: [],
        stoppedSinceMs: null,
        amidTrafficMs: 0,
        lastStillMs: null,
        subject: null,
      });
      if (track.detectionIndex >= 0)
        this.judge(
          state,
          track,
          context,
          [...moving].some((m) => m !== track.id),
        );
      const observation = this.observation(state, track, context, zoneId);
      if (observation) observations.push(observation);
    }
    for (const id of Object.keys(this.state.tracks)) if (!kept.has(id)) delete this.state.tracks[id];
    this.state.places = this.state.places.filter((p) => context.tMs - p.lastSeenMs <= PLACE_MEMORY_MS);
    return observations;
  }

  private judge(state: StoppedTrack, track: Track, context: FrameContext, othersMoving: boolean): void {
    const still = this.observe(state, track, context);
    if (still === false) {
      state.stoppedSinceMs = null;
      state.amidTrafficMs = 0;
      state.lastStillMs = null;
      state.subject = null;
      return;
    }
    if (still !== true) return;
    if (state.stoppedSinceMs === null) {
      state.stoppedSinceMs = context.tMs;
      // The vehicle the tracker lost at this place, found again: it goes on under the first one's alert.
      const place = this.state.places.find((p) => iou(p.box, track.box as BoxXyxy) >= 0.5);
      if (place) {
        state.stoppedSinceMs = place.stoppedSinceMs;
        state.amidTrafficMs = this.minStoppedMs;
        state.subject = place.subject;
      }
    } else if (othersMoving && state.lastStillMs !== null) {
      state.amidTrafficMs += Math.min(MAX_CREDIT_STEP_MS, context.tMs - state.lastStillMs);
    }
    state.lastStillMs = context.tMs;
  }

  private observation(state: StoppedTrack, track: Track, context: FrameContext, zoneId: string): Observation | null {
    if (state.stoppedSinceMs === null || track.state === 'tentative') return null;
    const stoppedMs = context.tMs - state.stoppedSinceMs;
    if (state.amidTrafficMs < this.minStoppedMs && stoppedMs < this.queueStoppedMs) return null;
    const sightings = sightingsOf(this.state.sightings, track.id);
    if (sightings.length < MIN_EVIDENCE_SIGHTINGS || !ofClasses(sightings, this.classes)) return null;
    state.subject ??= `zone:${zoneId}:track:${track.id}`;
    this.remember(state, track, context.tMs);
    const verdict = classVerdict(sightings);
    const stoppedS = round1(stoppedMs / 1000);
    const zoneName = zoneLabel(context, zoneId);
    return {
      subject: state.subject,
      sinceMs: state.stoppedSinceMs,
      summary: `${subjectName(verdict.className, 'en')} #${track.id} stopped in zone ${zoneName} for ${Math.round(stoppedS)} s`,
      details: {
        zoneId,
        zoneName,
        trackId: track.id,
        className: verdict.className,
        classShare: verdict.share,
        stoppedS,
        amidTrafficS: round1(state.amidTrafficMs / 1000),
        speedKmh: roundOrNull(context.speedsById.get(track.id)),
      },
      significant: '',
      boxes: [namedTrackEvidence(track, verdict.className)],
      zoneId,
      lineId: null,
    };
  }

  private remember(state: StoppedTrack, track: Track, tMs: number): void {
    const box = track.box.map(round1) as [number, number, number, number];
    const place = this.state.places.find((p) => p.subject === state.subject);
    if (place) Object.assign(place, { box, lastSeenMs: tMs });
    else
      this.state.places.push({ box, subject: state.subject!, stoppedSinceMs: state.stoppedSinceMs!, lastSeenMs: tMs });
  }

  /** Adds a sighting; true/false when stillness can be judged, null while the window is too short. */
  private observe(state: StoppedTrack, track: Track, context: FrameContext): boolean | null {
    const t = context.tMs;
    state.centres.push({ tMs: t, x: (track.box[0] + track.box[2]) / 2, y: (track.box[1] + track.box[3]) / 2 });
    while (state.centres.length > 2 && t - state.centres[1]!.tMs >= STILL_WINDOW_MS) state.centres.shift();
    const speedKmh = context.speedsById.get(track.id) ?? null;
    if (context.homography && this.rule.maxSpeedKmh !== undefined && speedKmh !== null)
      return speedKmh <= this.rule.maxSpeedKmh;
    const reference = state.centres[0]!;
    if (t - reference.tMs < STILL_WINDOW_MS) return null;
    const movedPx = Math.max(...state.centres.map((s) => Math.hypot(s.x - reference.x, s.y - reference.y)));
    return movedPx < STILL_BOX_FRACTION * (track.box[3] - track.box[1]);
  }
}

/** Seen now, established, and going at least MOVING_BOXES_PER_S box heights a second. */
function isMoving(track: Track): boolean {
  if (track.detectionIndex < 0 || track.state === 'tentative' || track.hits < 3) return false;
  const heightPx = Math.max(1, track.box[3] - track.box[1]);
  return Math.hypot(track.velocityPxPerS.x, track.velocityPxPerS.y) >= MOVING_BOXES_PER_S * heightPx;
}

function roundOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : round1(value);
}
