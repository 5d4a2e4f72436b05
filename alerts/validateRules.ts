// Validation of one camera's alert rules: their shape by the schemas of core/alertRules.ts (alerts/ruleShape.ts),
// then what no schema knows: the camera's zones and lines, ids, and fields that go together. Exact field paths.
import { CAMERA_PROBLEM_TYPES, type AlertRule, type CameraAlertRules, type WrongWayRule } from '../core/alerts.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { ValidationError } from '../core/errors.ts';
import { CAMERA_PROBLEM_RULE_IDS } from './ruleDefaults.ts';
import { checkRuleShape } from './ruleShape.ts';

export { MAX_RULES_PER_CAMERA } from '../core/alertRules.ts';

function fail(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, { field });
}

function zoneOf(zoneId: string, path: string, analysis: CameraAnalysis): { id: string; areaM2?: number | null } {
  return (
    analysis.zones.find((z) => z.id === zoneId) ?? fail(`${path}.zoneId`, `zone ${zoneId} is not drawn on this camera`)
  );
}

function pointOnFrame(point: { x: number; y: number }, path: string, analysis: CameraAnalysis): void {
  const maxX = analysis.widthPx > 0 ? analysis.widthPx : 100_000;
  const maxY = analysis.heightPx > 0 ? analysis.heightPx : 100_000;
  if (point.x > maxX) fail(`${path}.x`, `must be between 0 and ${maxX}`);
  if (point.y > maxY) fail(`${path}.y`, `must be between 0 and ${maxY}`);
}

function wrongWay(rule: WrongWayRule, path: string, analysis: CameraAnalysis): void {
  const lineMode = rule.lineId !== undefined || rule.forbiddenDirection !== undefined;
  const laneMode = rule.zoneId !== undefined || rule.laneDirection !== undefined;
  if (lineMode && laneMode)
    fail(
      `${path}.zoneId`,
      'a wrongWay rule watches either a line (lineId, forbiddenDirection) or a lane (zoneId, laneDirection), not both',
    );
  if (!lineMode && !laneMode)
    fail(`${path}.lineId`, 'a wrongWay rule needs lineId and forbiddenDirection, or zoneId and laneDirection');
  if (lineMode) {
    const lineId = rule.lineId ?? fail(`${path}.lineId`, 'is required with forbiddenDirection');
    const line =
      analysis.lines.find((l) => l.id === lineId) ??
      fail(`${path}.lineId`, `line ${lineId} is not drawn on this camera`);
    // LineCounter names the directions 'in' (left to right) and 'out' when the line does not.
    const names = line.directions ? [line.directions.leftToRight, line.directions.rightToLeft] : ['in', 'out'];
    const direction = rule.forbiddenDirection ?? fail(`${path}.forbiddenDirection`, 'is required with lineId');
    if (!names.includes(direction))
      fail(`${path}.forbiddenDirection`, `must be one of the line's directions: ${names.join(', ')}`);
    if (rule.minDistanceM !== undefined) fail(`${path}.minDistanceM`, 'applies to lane mode only');
  } else {
    zoneOf(rule.zoneId ?? fail(`${path}.zoneId`, 'is required with laneDirection'), path, analysis);
    const lane = rule.laneDirection ?? fail(`${path}.laneDirection`, 'is required with zoneId');
    pointOnFrame(lane.from, `${path}.laneDirection.from`, analysis);
    pointOnFrame(lane.to, `${path}.laneDirection.to`, analysis);
    if (lane.from.x === lane.to.x && lane.from.y === lane.to.y)
      fail(`${path}.laneDirection.to`, 'must differ from laneDirection.from');
  }
}

/** What the schema cannot say: the rule's zones and lines exist on this camera, and fields that go together. */
function crossCheck(rule: AlertRule, path: string, analysis: CameraAnalysis): void {
  const reservedFor = Object.entries(CAMERA_PROBLEM_RULE_IDS).find(([, id]) => id === rule.id)?.[0];
  if (reservedFor && reservedFor !== rule.type)
    fail(`${path}.id`, `${rule.id} is reserved for the ${reservedFor} rule`);
  rule.schedule?.forEach((window, i) => {
    if (window.from === window.to)
      fail(`${path}.schedule[${i}].to`, 'must differ from from (leave the schedule out for always)');
  });
  switch (rule.type) {
    case 'crowd': {
      const zone = zoneOf(rule.zoneId, path, analysis);
      if (rule.minPeople === undefined && rule.minDensityPerM2 === undefined)
        fail(`${path}.minPeople`, 'a crowd rule needs minPeople or minDensityPerM2');
      if (rule.minDensityPerM2 !== undefined && !(zone.areaM2 != null && zone.areaM2 > 0)) {
        fail(`${path}.minDensityPerM2`, `zone ${zone.id} has no measured area (areaM2) for a density`);
      }
      return;
    }
    case 'intrusion':
    case 'stoppedVehicle':
    case 'congestion':
      zoneOf(rule.zoneId, path, analysis);
      return;
    case 'wrongWay':
      return wrongWay(rule, path, analysis);
    default:
  }
}

/** A copy of a rule as stored: the name trimmed, classes and days without repeats (days sorted). */
function cleanCopy(rule: AlertRule): AlertRule {
  const copy = structuredClone(rule);
  if (copy.name !== undefined) copy.name = copy.name.trim();
  if ('classes' in copy && copy.classes) copy.classes = [...new Set(copy.classes)];
  for (const window of copy.schedule ?? [])
    if (window.days) window.days = [...new Set(window.days)].sort((a, b) => a - b);
  return copy;
}

/** The rules as stored: shape by the schemas, checked against the camera's zones and lines, a clean copy. */
export function validateAlertRules(input: unknown, analysis: CameraAnalysis): CameraAlertRules {
  const seen = new Set<string>();
  const rules = checkRuleShape(input).rules.map((rule, i) => {
    crossCheck(rule, `rules[${i}]`, analysis);
    if (seen.has(rule.id)) fail(`rules[${i}].id`, `${rule.id} is used by another rule of this camera`);
    seen.add(rule.id);
    return cleanCopy(rule);
  });
  return { rules };
}

/**
 * The rules the engine runs: the camera's own, plus each camera-problem rule with its defaults where the
 * camera has none of that type (one of that type with `enabled: false` keeps it off).
 */
export function effectiveRules(rules: CameraAlertRules): AlertRule[] {
  const effective = [...rules.rules];
  for (const type of CAMERA_PROBLEM_TYPES) {
    if (effective.some((r) => r.type === type)) continue;
    effective.push({
      id: CAMERA_PROBLEM_RULE_IDS[type as keyof typeof CAMERA_PROBLEM_RULE_IDS],
      type: type as 'cameraFrozen',
    });
  }
  return effective;
}
