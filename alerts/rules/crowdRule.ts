// Crowd: people in a zone (the pipeline's CrowdMeasurement) at or above minPeople, or density at or above
// minDensityPerM2, for minDurationS; a group that thins for less than the hysteresis stays one alert.
import type { CrowdRule } from '../../core/alerts.ts';
import { anchorOf, pointInPolygon } from '../../analytics/geometry.ts';
import { newDebounce, stepDebounce, type DebounceState } from '../debounce.ts';
import { minDurationMsOf } from '../ruleDefaults.ts';
import { RuleEvaluator, trackEvidence, zoneLabel, type FrameContext, type Observation } from '../ruleEvaluator.ts';

interface CrowdState {
  debounce: DebounceState;
  /** Most people seen during the open condition (reset when it ends). */
  peakPeople: number;
}

export class CrowdRuleEvaluator extends RuleEvaluator<CrowdRule, CrowdState> {
  private readonly minDurationMs: number;
  /** Hysteresis: 20 % of the duration, at least 3 s (a person hidden for a frame or two is not a dispersal). */
  private readonly hysteresisMs: number;

  constructor(rule: CrowdRule) {
    super(rule, { debounce: newDebounce(), peakPeople: 0 });
    this.minDurationMs = minDurationMsOf(rule);
    this.hysteresisMs = Math.max(3000, 0.2 * this.minDurationMs);
  }

  evaluate(context: FrameContext): Observation[] {
    const measurement = context.output.crowd.find((m) => m.zoneId === this.rule.zoneId);
    if (!measurement) return [];
    const { people, densityPerM2 } = measurement;
    const holds =
      (this.rule.minPeople !== undefined && people >= this.rule.minPeople) ||
      (this.rule.minDensityPerM2 !== undefined && densityPerM2 !== null && densityPerM2 >= this.rule.minDensityPerM2);
    const on = stepDebounce(this.state.debounce, holds, context.tMs, this.minDurationMs, this.hysteresisMs);
    if (!on) {
      this.state.peakPeople = 0;
      return [];
    }
    this.state.peakPeople = Math.max(this.state.peakPeople, people);
    const zone = context.zones.get(this.rule.zoneId);
    const boxes = context.output.tracks.tracks
      .filter(
        (t) =>
          t.className === 'person' &&
          t.state !== 'tentative' &&
          zone &&
          pointInPolygon(anchorOf(t.box, 'bottomCenter'), zone.polygon),
      )
      .map(trackEvidence);
    return [
      {
        subject: `zone:${this.rule.zoneId}`,
        sinceMs: this.state.debounce.runSinceMs ?? context.tMs,
        summary: `Crowd of ${people} people in zone ${zoneLabel(context, this.rule.zoneId)}`,
        details: {
          zoneId: this.rule.zoneId,
          people,
          peakPeople: this.state.peakPeople,
          densityPerM2: densityPerM2 === null ? null : Math.round(densityPerM2 * 100) / 100,
          minPeople: this.rule.minPeople ?? null,
          minDensityPerM2: this.rule.minDensityPerM2 ?? null,
        },
        significant: String(this.state.peakPeople),
        boxes,
        zoneId: this.rule.zoneId,
        lineId: null,
      },
    ];
  }
}
