// Defaults of the alert rules that core/alerts.ts documents, resolved in one place so the validator, the
// evaluators and the engine agree on what an absent field means.
import { ALERT_DEFAULT_SEVERITY, type AlertRule, type AlertType, type Severity } from '../core/alerts.ts';
import type { TrafficClass } from '../core/detections.ts';

export const DEFAULT_COOLDOWN_S = 60;

/** Default minDurationS per type (stoppedVehicle's is its minStoppedS). */
export const DEFAULT_MIN_DURATION_S: Record<AlertType, number> = {
  crowd: 10,
  intrusion: 1,
  wrongWay: 0,
  stoppedVehicle: 60,
  congestion: 120,
  cameraOffline: 10,
  cameraFrozen: 20,
  cameraBlack: 20,
  cameraViewChanged: 60,
};

/**
 * Lane mode of wrongWay: distance against the lane before it raises. Metres with calibration; without it
 * the same number is read as pixels of the analysed frame (set it explicitly on an uncalibrated camera).
 */
export const DEFAULT_WRONG_WAY_DISTANCE_M = 5;

/**
 * What a counted crossing must show before it is a wrong-way alert (rules/crossingEvidence.ts): 3 sightings
 * before the line and 3 after (0.6 s at 5 fps, 1.5 s at 2 fps; 1 after when the track is gone), a path of a
 * box height at 30° or more to the line, and a step across it at most 2.5 times the track's usual speed; all
 * of it on one continuous run of sightings (no step over 0.8 s or more that moves half a box, no box height
 * changing 1.6× in one step).
 */
export const WRONG_WAY_EVIDENCE = {
  minSightingsPerSide: 3,
  minDisplacementBoxes: 1,
  minAngleDeg: 30,
  bandBoxFrac: 0.15,
  maxJumpFactor: 2.5,
  maxGapMs: 800,
  maxHeightRatio: 1.6,
} as const;

/** Classes wrongWay and stoppedVehicle check by default, and that congestion counts. */
export const VEHICLE_CLASSES: readonly TrafficClass[] = ['bicycle', 'motorbike', 'car', 'bus', 'truck'];

/** Ids the camera-problem defaults take in effectiveRules(); a rule using one must be of that type. */
export const CAMERA_PROBLEM_RULE_IDS = {
  cameraOffline: 'camera-offline',
  cameraFrozen: 'camera-frozen',
  cameraBlack: 'camera-black',
  cameraViewChanged: 'camera-view-changed',
} as const;

export function severityOf(rule: AlertRule): Severity {
  return rule.severity ?? ALERT_DEFAULT_SEVERITY[rule.type];
}

export function cooldownMsOf(rule: AlertRule): number {
  return (rule.cooldownS ?? DEFAULT_COOLDOWN_S) * 1000;
}

/** The rule's minDurationS in ms (stoppedVehicle: minStoppedS), its type's default when absent. */
export function minDurationMsOf(rule: AlertRule): number {
  if (rule.type === 'stoppedVehicle') return (rule.minStoppedS ?? DEFAULT_MIN_DURATION_S.stoppedVehicle) * 1000;
  if (rule.type === 'wrongWay') return 0;
  return (rule.minDurationS ?? DEFAULT_MIN_DURATION_S[rule.type]) * 1000;
}
