// Wrong way, two modes. Line: a counted crossing of a one-way line in its forbidden direction is an event,
// raised and ended in the same frame. Lane: a track in the zone moving against the lane for minDistanceM.
//
// Why raise+end at once for a crossing: the crossing is instantaneous and already settled by the line
// counter (hysteresis, class majority), so holding the alert open for an arbitrary time would only delay
// its end; the store gets one alert per crossing with startedAt = endedAt, and its evidence is the frame.
// Lane distance is in ground metres through the camera's homography when it is calibrated; without
// calibration the same number is read as pixels of the analysed frame (minDistanceM treated as px).
import type { WrongWayRule } from '../../core/alerts.ts';
import type { PointPx } from '../../core/geometry.ts';
import { anchorOf } from '../../analytics/geometry.ts';
import type { Homography } from '../../analytics/homography.ts';
import { DEFAULT_WRONG_WAY_DISTANCE_M, VEHICLE_CLASSES } from '../ruleDefaults.ts';
import { RuleEvaluator, capitalise, round1, trackEvidence, zoneLabel, type FrameContext, type Observation } from '../ruleEvaluator.ts';

interface LaneTrack {
  /** Where the track was first seen in the zone (ground m, or px without calibration). */
  startX: number;
  startY: number;
  /** When it had gone minDistance against the lane; the alert then holds until it leaves the zone. */
  againstSinceMs: number | null;
  againstDistance: number;
}

interface WrongWayState {
  lane: Record<string, LaneTrack>;
}

export class WrongWayRuleEvaluator extends RuleEvaluator<WrongWayRule, WrongWayState> {
  private readonly classes: readonly string[];
  private readonly minDistance: number;

  constructor(rule: WrongWayRule) {
    super(rule, { lane: {} });
    this.classes = rule.classes ?? VEHICLE_CLASSES;
    this.minDistance = rule.minDistanceM ?? DEFAULT_WRONG_WAY_DISTANCE_M;
  }

  evaluate(context: FrameContext): Observation[] {
    return this.rule.lineId !== undefined ? this.lineMode(context, this.rule.lineId) : this.laneMode(context);
  }

  private lineMode(context: FrameContext, lineId: string): Observation[] {
    const lineName = context.lines.get(lineId)?.name ?? lineId;
    return context.output.crossings
      .filter((c) => c.lineId === lineId && c.direction === this.rule.forbiddenDirection && this.classes.includes(c.className))
      .map((crossing) => {
        const track = context.tracksById.get(crossing.trackId);
        return {
          subject: `line:${lineId}:track:${crossing.trackId}`,
          sinceMs: crossing.timestampMs,
          summary: `${capitalise(crossing.className)} #${crossing.trackId} crossed line ${lineName} the wrong way (${crossing.direction})`,
          details: {
            lineId,
            trackId: crossing.trackId,
            className: crossing.className,
            direction: crossing.direction,
            speedKmh: crossing.speedKmh === null ? null : round1(crossing.speedKmh),
          },
          significant: '',
          boxes: track ? [trackEvidence(track)] : [],
          zoneId: null,
          lineId,
          instantaneous: true,
        };
      });
  }

  private laneMode(context: FrameContext): Observation[] {
    const zoneId = this.rule.zoneId!;
    const update = context.output.zoneUpdates.find((u) => u.zoneId === zoneId);
    const lane = this.rule.laneDirection!;
    const unit = laneUnit(lane.from, lane.to, context.homography);
    const unitName = context.homography ? 'm' : 'px';
    const observations: Observation[] = [];
    const members = new Set<string>();
    for (const dwell of update?.dwells ?? []) {
      if (!this.classes.includes(dwell.className)) continue;
      const track = context.tracksById.get(dwell.trackId);
      if (!track) continue;
      const id = String(dwell.trackId);
      members.add(id);
      const position = toLaneSpace(anchorOf(track.box, 'bottomCenter'), context.homography);
      let state = this.state.lane[id];
      if (!state) state = this.state.lane[id] = { startX: position.x, startY: position.y, againstSinceMs: null, againstDistance: 0 };
      // Measured only on sightings: a coasting prediction is not evidence of where the vehicle went.
      if (track.detectionIndex >= 0 && state.againstSinceMs === null) {
        const along = (position.x - state.startX) * unit.x + (position.y - state.startY) * unit.y;
        if (along <= -this.minDistance) {
          state.againstSinceMs = context.tMs;
          state.againstDistance = -along;
        }
      }
      if (state.againstSinceMs === null) continue;
      observations.push({
        subject: `zone:${zoneId}:track:${dwell.trackId}`,
        sinceMs: state.againstSinceMs,
        summary: `${capitalise(dwell.className)} #${dwell.trackId} moving against the lane in zone ${zoneLabel(context, zoneId)}`,
        details: { zoneId, trackId: dwell.trackId, className: dwell.className, againstDistance: round1(state.againstDistance), distanceUnit: unitName },
        significant: '',
        boxes: [trackEvidence(track)],
        zoneId,
        lineId: null,
      });
    }
    for (const id of Object.keys(this.state.lane)) if (!members.has(id)) delete this.state.lane[id];
    return observations;
  }
}

function toLaneSpace(p: PointPx, homography: Homography | null): PointPx {
  return homography ? homography.project(p) : p;
}

/** Unit vector of the lane's direction of travel, on the ground when calibrated. */
function laneUnit(from: PointPx, to: PointPx, homography: Homography | null): PointPx {
  const a = toLaneSpace(from, homography);
  const b = toLaneSpace(to, homography);
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: (b.x - a.x) / length, y: (b.y - a.y) / length };
}
