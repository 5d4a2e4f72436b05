// Congestion: the zone's level (analytics/congestion.ts: how full, from its vehicles and capacity, and how
// slow, from its vehicles' mean ground speed) at or above minLevel for minDurationS; ends after 30 s below.
import type { CongestionRule } from '../../core/alerts.ts';
import type { TrafficClass } from '../../core/detections.ts';
import { congestionLevel, meanSpeedKmh } from '../../analytics/congestion.ts';
import { newDebounce, stepDebounce, type DebounceState } from '../debounce.ts';
import { minDurationMsOf, VEHICLE_CLASSES } from '../ruleDefaults.ts';
import {
  RuleEvaluator,
  round1,
  trackEvidence,
  zoneLabel,
  type FrameContext,
  type Observation,
} from '../ruleEvaluator.ts';

/** Traffic eases and packs again in waves at a signal: a jam ends only after this long below its level. */
export const CONGESTION_HYSTERESIS_MS = 30_000;
const LEVEL_NAMES = ['free', 'light', 'moderate', 'heavy', 'jammed'];

interface CongestionState {
  debounce: DebounceState;
  peakLevel: number;
}

export class CongestionRuleEvaluator extends RuleEvaluator<CongestionRule, CongestionState> {
  private readonly minDurationMs: number;
  private readonly minLevel: number;

  constructor(rule: CongestionRule) {
    super(rule, { debounce: newDebounce(), peakLevel: 0 });
    this.minDurationMs = minDurationMsOf(rule);
    this.minLevel = rule.minLevel ?? 3;
  }

  evaluate(context: FrameContext): Observation[] {
    const zoneId = this.rule.zoneId;
    const update = context.output.zoneUpdates.find((u) => u.zoneId === zoneId);
    if (!update) return [];
    const vehicles = VEHICLE_CLASSES.reduce((sum, name: TrafficClass) => sum + update.occupancyByClass[name], 0);
    const members = update.dwells.filter((d) => VEHICLE_CLASSES.includes(d.className));
    const speedKmh = meanSpeedKmh(members.map((d) => context.speedsById.get(d.trackId) ?? null));
    const level = congestionLevel({ vehicles, capacityVehicles: this.rule.capacityVehicles, meanSpeedKmh: speedKmh });
    const on = stepDebounce(
      this.state.debounce,
      level >= this.minLevel,
      context.tMs,
      this.minDurationMs,
      CONGESTION_HYSTERESIS_MS,
    );
    if (!on) {
      this.state.peakLevel = 0;
      return [];
    }
    this.state.peakLevel = Math.max(this.state.peakLevel, level);
    const boxes = members.flatMap((d) => {
      const track = context.tracksById.get(d.trackId);
      return track ? [trackEvidence(track)] : [];
    });
    return [
      {
        subject: `zone:${zoneId}`,
        sinceMs: this.state.debounce.runSinceMs ?? context.tMs,
        summary: `Congestion level ${level} (${LEVEL_NAMES[level]}) in zone ${zoneLabel(context, zoneId)}: ${vehicles} vehicles`,
        details: {
          zoneId,
          level,
          peakLevel: this.state.peakLevel,
          vehicles,
          capacityVehicles: this.rule.capacityVehicles,
          meanSpeedKmh: speedKmh === null ? null : round1(speedKmh),
        },
        significant: String(this.state.peakLevel),
        boxes,
        zoneId,
        lineId: null,
      },
    ];
  }
}
