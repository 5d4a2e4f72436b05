// Wrong way, two modes. Line: a counted crossing of a one-way line in its forbidden direction is an event,
// raised and ended in the same frame, once the track has shown it (crossingEvidence.ts): seen settled on
// both sides for several sightings, a real path along the road, steep to the line. Lane: a track in the zone
// moving against the lane for minDistanceM.
//
// Why raise+end at once for a crossing: the crossing is instantaneous, so holding the alert open for an
// arbitrary time would only delay its end; the store gets one alert per crossing with startedAt = endedAt,
// and its evidence is the frame where the evidence was complete (a few sightings past the line).
// A crossing whose track dies, or that gathers no evidence within PENDING_CROSSING_MS, raises nothing.
// The vehicle is named by the class most of its own sightings had (trackSightings.ts), or "vehicle".
// Lane distance is in ground metres through the camera's homography when it is calibrated; without
// calibration the same number is read as pixels of the analysed frame (minDistanceM treated as px).
import type { WrongWayRule } from '../../core/alerts.ts';
import type { PointPx } from '../../core/geometry.ts';
import { anchorOf, distanceToSegmentPx } from '../../analytics/geometry.ts';
import type { Track } from '../../analytics/tracks.ts';
import type { Homography } from '../../analytics/homography.ts';
import { DEFAULT_WRONG_WAY_DISTANCE_M, VEHICLE_CLASSES, WRONG_WAY_EVIDENCE } from '../ruleDefaults.ts';
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
  type Sighting,
  type SightingsState,
} from '../trackSightings.ts';
import type { EvidenceBox } from '../../core/alerts.ts';
import { crossingEvidence } from './crossingEvidence.ts';
import { directionName, lineName, subjectName } from '../alertFacts.ts';

/** Sightings are kept of tracks this many box heights (at least NEAR_LINE_MIN_PX) from the line. */
const NEAR_LINE_BOXES = 6;
const NEAR_LINE_MIN_PX = 80;

/** A counted forbidden crossing waits this long for its track to show it; then it is forgotten. */
export const PENDING_CROSSING_MS = 5000;

interface PendingCrossing {
  trackId: number;
  timestampMs: number;
  direction: string;
  fromSign: number;
  speedKmh: number | null;
}

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
  sightings: SightingsState;
  /** Forbidden crossings waiting for their evidence, by track id. */
  pending: Record<string, PendingCrossing>;
}

export class WrongWayRuleEvaluator extends RuleEvaluator<WrongWayRule, WrongWayState> {
  private readonly classes: readonly string[];
  private readonly minDistance: number;

  constructor(rule: WrongWayRule) {
    super(rule, { lane: {}, sightings: {}, pending: {} });
    this.classes = rule.classes ?? VEHICLE_CLASSES;
    this.minDistance = rule.minDistanceM ?? DEFAULT_WRONG_WAY_DISTANCE_M;
  }

  override loadState(state: unknown): void {
    super.loadState(state);
    // A checkpoint of the code before evidence was kept: start gathering it now.
    this.state.sightings ??= {};
    this.state.pending ??= {};
  }

  evaluate(context: FrameContext): Observation[] {
    if (this.rule.lineId !== undefined) this.holdCrossings(context, this.rule.lineId);
    recordSightings(
      this.state.sightings,
      context,
      this.nearWatch(context),
      (id) => this.state.pending[id] !== undefined,
    );
    return this.rule.lineId !== undefined ? this.lineMode(context, this.rule.lineId) : this.laneMode(context);
  }

  /** This frame's counted crossings in the forbidden direction wait for their evidence. */
  private holdCrossings(context: FrameContext, lineId: string): void {
    for (const crossing of context.output.crossings) {
      if (crossing.lineId !== lineId || crossing.direction !== this.rule.forbiddenDirection) continue;
      this.state.pending[String(crossing.trackId)] = {
        trackId: crossing.trackId,
        timestampMs: crossing.timestampMs,
        direction: crossing.direction,
        fromSign: crossing.fromSide === 'left' ? -1 : 1,
        speedKmh: crossing.speedKmh === null ? null : round1(crossing.speedKmh),
      };
    }
  }

  /** Whose sightings are kept: tracks near the line (NEAR_LINE_BOXES box heights), or in the lane's zone. */
  private nearWatch(context: FrameContext): (track: Track) => boolean {
    if (this.rule.lineId === undefined) {
      const members = new Set(
        context.output.zoneUpdates.find((u) => u.zoneId === this.rule.zoneId)?.dwells.map((d) => d.trackId) ?? [],
      );
      return (track) => members.has(track.id);
    }
    const points = context.lines.get(this.rule.lineId)?.points ?? [];
    return (track) => {
      const anchor = anchorOf(track.box, 'bottomCenter');
      const reachPx = Math.max(NEAR_LINE_MIN_PX, NEAR_LINE_BOXES * (track.box[3] - track.box[1]));
      for (let k = 0; k + 1 < points.length; k++)
        if (distanceToSegmentPx(anchor, points[k]!, points[k + 1]!) <= reachPx) return true;
      return this.state.pending[String(track.id)] !== undefined;
    };
  }

  private lineMode(context: FrameContext, lineId: string): Observation[] {
    const line = context.lines.get(lineId);
    if (!line) return [];
    const observations: Observation[] = [];
    for (const [id, pending] of Object.entries(this.state.pending)) {
      const track = context.tracksById.get(pending.trackId);
      // A track gone (it died, or a scene cut ended it) is judged once on what was seen of it, then forgotten.
      const sightings = sightingsOf(this.state.sightings, id);
      if (!track || context.tMs - pending.timestampMs > PENDING_CROSSING_MS) {
        delete this.state.pending[id];
        if (!track) delete this.state.sightings[id];
      }
      if (
        track?.state === 'tentative' ||
        sightings.length < MIN_EVIDENCE_SIGHTINGS ||
        !ofClasses(sightings, this.classes)
      )
        continue;
      const evidence = crossingEvidence(
        sightings,
        line.points,
        pending.fromSign,
        WRONG_WAY_EVIDENCE,
        !track || track.state === 'lost',
      );
      if (!evidence.ok) continue;
      delete this.state.pending[id];
      const verdict = classVerdict(sightings);
      const names = { line: lineName(line), direction: directionName(line, pending.direction) };
      observations.push({
        subject: `line:${lineId}:track:${pending.trackId}`,
        sinceMs: pending.timestampMs,
        summary: `${subjectName(verdict.className, 'en')} #${pending.trackId} crossed line ${names.line} the wrong way (${names.direction})`,
        details: {
          lineId,
          lineName: names.line,
          trackId: pending.trackId,
          className: verdict.className,
          classShare: verdict.share,
          direction: pending.direction,
          directionName: names.direction,
          speedKmh: pending.speedKmh,
          sightingsBefore: evidence.fromSideSightings,
          sightingsAfter: evidence.toSideSightings,
          pathPx: evidence.displacementPx,
          angleDeg: evidence.angleDeg,
          jumpRatio: evidence.jumpRatio,
        },
        significant: '',
        boxes: track
          ? [namedTrackEvidence(track, verdict.className)]
          : [lastSightingBox(sightings, pending.trackId, verdict.className)],
        zoneId: null,
        lineId,
        instantaneous: true,
      });
    }
    return observations;
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
      // Class filtering is on the sightings' majority below (the group a track cannot leave is checked first).
      if (
        !this.classes.includes(dwell.className) &&
        !ofClasses(sightingsOf(this.state.sightings, dwell.trackId), this.classes)
      )
        continue;
      const track = context.tracksById.get(dwell.trackId);
      if (!track) continue;
      const id = String(dwell.trackId);
      members.add(id);
      const position = toLaneSpace(anchorOf(track.box, 'bottomCenter'), context.homography);
      let state = this.state.lane[id];
      if (!state)
        state = this.state.lane[id] = {
          startX: position.x,
          startY: position.y,
          againstSinceMs: null,
          againstDistance: 0,
        };
      // Measured only on sightings: a coasting prediction is not evidence of where the vehicle went.
      if (track.detectionIndex >= 0 && state.againstSinceMs === null) {
        const along = (position.x - state.startX) * unit.x + (position.y - state.startY) * unit.y;
        if (along <= -this.minDistance) {
          state.againstSinceMs = context.tMs;
          state.againstDistance = -along;
        }
      }
      if (state.againstSinceMs === null) continue;
      const sightings = sightingsOf(this.state.sightings, id);
      // Evidence as for a line: a confirmed track, seen enough, of a watched class by most of its sightings.
      if (
        track.state === 'tentative' ||
        sightings.length < MIN_EVIDENCE_SIGHTINGS ||
        !ofClasses(sightings, this.classes)
      )
        continue;
      const verdict = classVerdict(sightings);
      const zoneName = zoneLabel(context, zoneId);
      observations.push({
        subject: `zone:${zoneId}:track:${dwell.trackId}`,
        sinceMs: state.againstSinceMs,
        summary: `${subjectName(verdict.className, 'en')} #${dwell.trackId} moving against the lane in zone ${zoneName}`,
        details: {
          zoneId,
          zoneName,
          trackId: dwell.trackId,
          className: verdict.className,
          classShare: verdict.share,
          againstDistance: round1(state.againstDistance),
          distanceUnit: unitName,
        },
        significant: '',
        boxes: [namedTrackEvidence(track, verdict.className)],
        zoneId,
        lineId: null,
      });
    }
    for (const id of Object.keys(this.state.lane)) if (!members.has(id)) delete this.state.lane[id];
    return observations;
  }
}

/** Where a track that is gone was last seen, as a box for the snapshot (its height, a square's width). */
function lastSightingBox(sightings: readonly Sighting[], trackId: number, className: string | null): EvidenceBox {
  const last = sightings[sightings.length - 1]!;
  const half = last.heightPx / 2;
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    box: [round(last.x - half), round(last.y - last.heightPx), round(last.x + half), round(last.y)],
    label: `${className ?? 'vehicle'} #${trackId}`,
    trackId,
  };
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
