// Intrusion: each confirmed track of the watched classes seen in the restricted zone for minDurationS (the
// zone's membership and dwell, so an edge flicker does not count) is one alert, ended when it leaves or dies.
// Evidence as for every track rule (trackSightings.ts): MIN_EVIDENCE_SIGHTINGS sightings inside, of a
// watched class by most of them, and named by the class they agree on ("vehicle" when they do not).
import type { IntrusionRule } from '../../core/alerts.ts';
import { TRAFFIC_CLASSES } from '../../core/detections.ts';
import { minDurationMsOf } from '../ruleDefaults.ts';
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

interface IntrusionState {
  sightings: SightingsState;
}

export class IntrusionRuleEvaluator extends RuleEvaluator<IntrusionRule, IntrusionState> {
  private readonly minDurationMs: number;
  private readonly classes: readonly string[];

  constructor(rule: IntrusionRule) {
    super(rule, { sightings: {} });
    this.minDurationMs = minDurationMsOf(rule);
    this.classes = rule.classes ?? TRAFFIC_CLASSES;
  }

  override loadState(state: unknown): void {
    super.loadState(state);
    // A checkpoint of the code before evidence was kept ({}): start gathering it now.
    this.state.sightings ??= {};
  }

  evaluate(context: FrameContext): Observation[] {
    const update = context.output.zoneUpdates.find((u) => u.zoneId === this.rule.zoneId);
    const members = new Set((update?.dwells ?? []).map((d) => d.trackId));
    recordSightings(this.state.sightings, context, (track) => members.has(track.id));
    if (!update) return [];
    const observations: Observation[] = [];
    for (const dwell of update.dwells) {
      const track = context.tracksById.get(dwell.trackId);
      // Seen inside for minDuration, not merely predicted there: a lost track coasts on its last velocity
      // and stays a member, so a person who turned back at the edge would otherwise "intrude" as a ghost.
      if (!track || track.state === 'tentative' || track.lastSeenMs - dwell.enteredAtMs < this.minDurationMs) continue;
      const inside = sightingsOf(this.state.sightings, dwell.trackId).filter((s) => s.tMs >= dwell.enteredAtMs);
      if (inside.length < MIN_EVIDENCE_SIGHTINGS || !ofClasses(inside, this.classes)) continue;
      const verdict = classVerdict(inside);
      const zoneName = zoneLabel(context, this.rule.zoneId);
      observations.push({
        subject: `zone:${this.rule.zoneId}:track:${dwell.trackId}`,
        sinceMs: dwell.enteredAtMs,
        summary: `${subjectName(verdict.className, 'en')} #${dwell.trackId} in restricted zone ${zoneName}`,
        details: {
          zoneId: this.rule.zoneId,
          zoneName,
          trackId: dwell.trackId,
          className: verdict.className,
          classShare: verdict.share,
          dwellS: round1(dwell.dwellMs / 1000),
        },
        significant: verdict.className ?? '',
        boxes: [namedTrackEvidence(track, verdict.className)],
        zoneId: this.rule.zoneId,
        lineId: null,
      });
    }
    return observations;
  }
}
