// Stopped vehicle: a confirmed vehicle in a no-stopping zone that stays put for minStoppedS, one alert per
// track, ended when it moves off or leaves. Stillness is judged on sightings, never on coasting predictions.
//
// With calibration and maxSpeedKmh, a vehicle is still when its ground speed is at most maxSpeedKmh.
// Otherwise (or while the speed is not yet known) it is still when its box centre moved less than 10 % of
// its box height over the last 2 s: a pixel threshold would be too strict for a near car and too loose for
// a far one, the box height scales with distance. maxSpeedKmh is ignored without calibration (its unit
// would be ambiguous there).
import type { StoppedVehicleRule } from '../../core/alerts.ts';
import type { Track } from '../../analytics/tracks.ts';
import { minDurationMsOf, VEHICLE_CLASSES } from '../ruleDefaults.ts';
import { RuleEvaluator, capitalise, round1, trackEvidence, zoneLabel, type FrameContext, type Observation } from '../ruleEvaluator.ts';

export const STILL_WINDOW_MS = 2000;
export const STILL_BOX_FRACTION = 0.1;

interface Sighting {
  tMs: number;
  x: number;
  y: number;
}

interface StoppedTrack {
  /** Sightings of the last STILL_WINDOW_MS, plus the newest one before it (the window's reference). */
  sightings: Sighting[];
  stoppedSinceMs: number | null;
}

interface StoppedState {
  tracks: Record<string, StoppedTrack>;
}

export class StoppedVehicleRuleEvaluator extends RuleEvaluator<StoppedVehicleRule, StoppedState> {
  private readonly minStoppedMs: number;
  private readonly classes: readonly string[];

  constructor(rule: StoppedVehicleRule) {
    super(rule, { tracks: {} });
    this.minStoppedMs = minDurationMsOf(rule);
    this.classes = rule.classes ?? VEHICLE_CLASSES;
  }

  evaluate(context: FrameContext): Observation[] {
    const zoneId = this.rule.zoneId;
    const update = context.output.zoneUpdates.find((u) => u.zoneId === zoneId);
    const observations: Observation[] = [];
    const members = new Set<string>();
    for (const dwell of update?.dwells ?? []) {
      const track = context.tracksById.get(dwell.trackId);
      if (!track || !this.classes.includes(dwell.className)) continue;
      const id = String(dwell.trackId);
      members.add(id);
      const state = (this.state.tracks[id] ??= { sightings: [], stoppedSinceMs: null });
      if (track.detectionIndex >= 0) {
        const still = this.observe(state, track, context);
        if (still === false) state.stoppedSinceMs = null;
        else if (still === true) state.stoppedSinceMs ??= context.tMs;
      }
      if (state.stoppedSinceMs === null || context.tMs - state.stoppedSinceMs < this.minStoppedMs) continue;
      const stoppedS = round1((context.tMs - state.stoppedSinceMs) / 1000);
      observations.push({
        subject: `zone:${zoneId}:track:${dwell.trackId}`,
        sinceMs: state.stoppedSinceMs,
        summary: `${capitalise(dwell.className)} #${dwell.trackId} stopped in zone ${zoneLabel(context, zoneId)} for ${Math.round(stoppedS)} s`,
        details: { zoneId, trackId: dwell.trackId, className: dwell.className, stoppedS, speedKmh: roundOrNull(context.speedsById.get(dwell.trackId)) },
        significant: '',
        boxes: [trackEvidence(track)],
        zoneId,
        lineId: null,
      });
    }
    for (const id of Object.keys(this.state.tracks)) if (!members.has(id)) delete this.state.tracks[id];
    return observations;
  }

  /** Adds a sighting; true/false when stillness can be judged, null while the window is too short. */
  private observe(state: StoppedTrack, track: Track, context: FrameContext): boolean | null {
    const t = context.tMs;
    const centre = { tMs: t, x: (track.box[0] + track.box[2]) / 2, y: (track.box[1] + track.box[3]) / 2 };
    state.sightings.push(centre);
    while (state.sightings.length > 2 && t - state.sightings[1]!.tMs >= STILL_WINDOW_MS) state.sightings.shift();
    const speedKmh = context.speedsById.get(track.id) ?? null;
    if (context.homography && this.rule.maxSpeedKmh !== undefined && speedKmh !== null) return speedKmh <= this.rule.maxSpeedKmh;
    const reference = state.sightings[0]!;
    if (t - reference.tMs < STILL_WINDOW_MS) return null;
    const movedPx = Math.max(...state.sightings.map((s) => Math.hypot(s.x - reference.x, s.y - reference.y)));
    return movedPx < STILL_BOX_FRACTION * (track.box[3] - track.box[1]);
  }
}

function roundOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : round1(value);
}
