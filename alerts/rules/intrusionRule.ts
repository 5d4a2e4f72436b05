// Intrusion: each confirmed track of the watched classes seen in the restricted zone for minDurationS (the
// zone's membership and dwell, so an edge flicker does not count) is one alert, ended when it leaves or dies.
import type { IntrusionRule } from '../../core/alerts.ts';
import { minDurationMsOf } from '../ruleDefaults.ts';
import { RuleEvaluator, capitalise, round1, trackEvidence, zoneLabel, type FrameContext, type Observation } from '../ruleEvaluator.ts';

/** Stateless: the zone's membership and dwell (analytics/polygonZone.ts) carry all it needs. */
export class IntrusionRuleEvaluator extends RuleEvaluator<IntrusionRule, Record<string, never>> {
  private readonly minDurationMs: number;

  constructor(rule: IntrusionRule) {
    super(rule, {});
    this.minDurationMs = minDurationMsOf(rule);
  }

  evaluate(context: FrameContext): Observation[] {
    const update = context.output.zoneUpdates.find((u) => u.zoneId === this.rule.zoneId);
    if (!update) return [];
    const observations: Observation[] = [];
    for (const dwell of update.dwells) {
      if (this.rule.classes && !this.rule.classes.includes(dwell.className)) continue;
      const track = context.tracksById.get(dwell.trackId);
      // Seen inside for minDuration, not merely predicted there: a lost track coasts on its last velocity
      // and stays a member, so a person who turned back at the edge would otherwise "intrude" as a ghost.
      if (!track || track.lastSeenMs - dwell.enteredAtMs < this.minDurationMs) continue;
      observations.push({
        subject: `zone:${this.rule.zoneId}:track:${dwell.trackId}`,
        sinceMs: dwell.enteredAtMs,
        summary: `${capitalise(dwell.className)} #${dwell.trackId} in restricted zone ${zoneLabel(context, this.rule.zoneId)}`,
        details: { zoneId: this.rule.zoneId, trackId: dwell.trackId, className: dwell.className, dwellS: round1(dwell.dwellMs / 1000) },
        significant: dwell.className,
        boxes: [trackEvidence(track)],
        zoneId: this.rule.zoneId,
        lineId: null,
      });
    }
    return observations;
  }
}
