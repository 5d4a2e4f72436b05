// Validation of one camera's alert rules against its analysis geometry, with the exact field path of the
// first fault (`rules[2].zoneId`), and the effective rule list with the camera-problem defaults added.
import { ALERT_TYPES, CAMERA_PROBLEM_TYPES, SEVERITIES, type AlertRule, type AlertType, type CameraAlertRules } from '../core/alerts.ts';
import type { CameraAnalysis } from '../core/cameraAnalysis.ts';
import { TRAFFIC_CLASSES } from '../core/detections.ts';
import { ValidationError } from '../core/errors.ts';
import { CAMERA_PROBLEM_RULE_IDS } from './ruleDefaults.ts';

export const MAX_RULES_PER_CAMERA = 100;
const MAX_WINDOWS = 20;
const RULE_ID = /^[a-z0-9-]{1,64}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY_S = 86_400;

const BASE_KEYS = ['id', 'type', 'name', 'enabled', 'severity', 'cooldownS', 'schedule'];
const KEYS_OF: Record<AlertType, string[]> = {
  crowd: ['zoneId', 'minPeople', 'minDensityPerM2', 'minDurationS'],
  intrusion: ['zoneId', 'classes', 'minDurationS'],
  wrongWay: ['lineId', 'forbiddenDirection', 'zoneId', 'laneDirection', 'minDistanceM', 'classes'],
  stoppedVehicle: ['zoneId', 'minStoppedS', 'maxSpeedKmh', 'classes'],
  congestion: ['zoneId', 'capacityVehicles', 'minLevel', 'minDurationS'],
  cameraOffline: ['minDurationS'],
  cameraFrozen: ['minDurationS'],
  cameraBlack: ['minDurationS'],
  cameraViewChanged: ['minDurationS'],
};

type Json = Record<string, unknown>;

function fail(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, { field });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Json, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(`${path}.${key}`, 'is not a known field');
}

/** A finite number within [min, max] (integer when asked), or undefined when absent. */
function number(value: Json, key: string, path: string, min: number, max: number, integer = false): number | undefined {
  const v = value[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'must be a finite number');
  if (integer && !Number.isInteger(v)) fail(`${path}.${key}`, 'must be an integer');
  if (v < min || v > max) fail(`${path}.${key}`, `must be between ${min} and ${max}`);
  return v;
}

function positive(value: Json, key: string, path: string, max: number): number | undefined {
  const v = number(value, key, path, 0, max);
  if (v === 0) fail(`${path}.${key}`, 'must be greater than 0');
  return v;
}

function string(value: Json, key: string, path: string, maxLength: number): string | undefined {
  const v = value[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > maxLength) fail(`${path}.${key}`, `must be a non-empty string of at most ${maxLength} characters`);
  return v;
}

function zoneOf(value: Json, path: string, analysis: CameraAnalysis): { id: string; areaM2?: number | null } {
  const zoneId = string(value, 'zoneId', path, 64) ?? fail(`${path}.zoneId`, 'is required');
  return analysis.zones.find((z) => z.id === zoneId) ?? fail(`${path}.zoneId`, `zone ${zoneId} is not drawn on this camera`);
}

function classes(value: Json, path: string): string[] | undefined {
  const v = value.classes;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) fail(`${path}.classes`, 'must be a non-empty array of class names');
  v.forEach((name, i) => {
    if (!(TRAFFIC_CLASSES as readonly unknown[]).includes(name)) fail(`${path}.classes[${i}]`, `must be one of ${TRAFFIC_CLASSES.join(', ')}`);
  });
  return [...new Set(v as string[])];
}

function schedule(value: Json, path: string): Json[] | undefined {
  const v = value.schedule;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > MAX_WINDOWS) fail(`${path}.schedule`, `must be an array of at most ${MAX_WINDOWS} windows`);
  return v.map((window, i) => {
    const at = `${path}.schedule[${i}]`;
    if (!isObject(window)) fail(at, 'must be an object');
    checkKeys(window, ['from', 'to', 'days'], at);
    for (const key of ['from', 'to']) {
      if (typeof window[key] !== 'string' || !HH_MM.test(window[key])) fail(`${at}.${key}`, "must be a time 'HH:MM' (00:00–23:59)");
    }
    if (window.from === window.to) fail(`${at}.to`, 'must differ from from (leave the schedule out for always)');
    const out: Json = { from: window.from, to: window.to };
    if (window.days !== undefined) {
      if (!Array.isArray(window.days) || window.days.length === 0) fail(`${at}.days`, 'must be a non-empty array of days 0 (Sunday) to 6');
      window.days.forEach((day, j) => {
        if (!Number.isInteger(day) || (day as number) < 0 || (day as number) > 6) fail(`${at}.days[${j}]`, 'must be a day 0 (Sunday) to 6');
      });
      out.days = [...new Set(window.days as number[])].sort((a, b) => a - b);
    }
    return out;
  });
}

function point(value: unknown, path: string, analysis: CameraAnalysis): { x: number; y: number } {
  if (!isObject(value)) fail(path, 'must be a point {x, y}');
  checkKeys(value, ['x', 'y'], path);
  const maxX = analysis.widthPx > 0 ? analysis.widthPx : 100_000;
  const maxY = analysis.heightPx > 0 ? analysis.heightPx : 100_000;
  return { x: number(value, 'x', path, 0, maxX) ?? fail(`${path}.x`, 'is required'), y: number(value, 'y', path, 0, maxY) ?? fail(`${path}.y`, 'is required') };
}

function wrongWay(value: Json, path: string, analysis: CameraAnalysis, out: Json): void {
  const lineMode = value.lineId !== undefined || value.forbiddenDirection !== undefined;
  const laneMode = value.zoneId !== undefined || value.laneDirection !== undefined;
  if (lineMode && laneMode) fail(`${path}.zoneId`, 'a wrongWay rule watches either a line (lineId, forbiddenDirection) or a lane (zoneId, laneDirection), not both');
  if (!lineMode && !laneMode) fail(`${path}.lineId`, 'a wrongWay rule needs lineId and forbiddenDirection, or zoneId and laneDirection');
  if (lineMode) {
    const lineId = string(value, 'lineId', path, 64) ?? fail(`${path}.lineId`, 'is required with forbiddenDirection');
    const line = analysis.lines.find((l) => l.id === lineId) ?? fail(`${path}.lineId`, `line ${lineId} is not drawn on this camera`);
    // LineCounter names the directions 'in' (left to right) and 'out' when the line does not.
    const names = line.directions ? [line.directions.leftToRight, line.directions.rightToLeft] : ['in', 'out'];
    const direction = value.forbiddenDirection;
    if (direction === undefined) fail(`${path}.forbiddenDirection`, 'is required with lineId');
    if (typeof direction !== 'string' || !names.includes(direction)) fail(`${path}.forbiddenDirection`, `must be one of the line's directions: ${names.join(', ')}`);
    if (value.minDistanceM !== undefined) fail(`${path}.minDistanceM`, 'applies to lane mode only');
    Object.assign(out, { lineId, forbiddenDirection: direction });
  } else {
    out.zoneId = zoneOf(value, path, analysis).id;
    const lane = value.laneDirection;
    if (lane === undefined) fail(`${path}.laneDirection`, 'is required with zoneId');
    if (!isObject(lane)) fail(`${path}.laneDirection`, 'must be {from, to}');
    checkKeys(lane, ['from', 'to'], `${path}.laneDirection`);
    const from = point(lane.from, `${path}.laneDirection.from`, analysis);
    const to = point(lane.to, `${path}.laneDirection.to`, analysis);
    if (from.x === to.x && from.y === to.y) fail(`${path}.laneDirection.to`, 'must differ from laneDirection.from');
    out.laneDirection = { from, to };
    out.minDistanceM = positive(value, 'minDistanceM', path, 10_000);
  }
  out.classes = classes(value, path);
}

function typeFields(value: Json, type: AlertType, path: string, analysis: CameraAnalysis, out: Json): void {
  switch (type) {
    case 'crowd': {
      const zone = zoneOf(value, path, analysis);
      out.zoneId = zone.id;
      out.minPeople = number(value, 'minPeople', path, 1, 100_000, true);
      out.minDensityPerM2 = positive(value, 'minDensityPerM2', path, 100);
      if (out.minPeople === undefined && out.minDensityPerM2 === undefined) fail(`${path}.minPeople`, 'a crowd rule needs minPeople or minDensityPerM2');
      if (out.minDensityPerM2 !== undefined && !(zone.areaM2 != null && zone.areaM2 > 0)) {
        fail(`${path}.minDensityPerM2`, `zone ${zone.id} has no measured area (areaM2) for a density`);
      }
      out.minDurationS = number(value, 'minDurationS', path, 0, DAY_S);
      return;
    }
    case 'intrusion':
      out.zoneId = zoneOf(value, path, analysis).id;
      out.classes = classes(value, path);
      out.minDurationS = number(value, 'minDurationS', path, 0, DAY_S);
      return;
    case 'wrongWay':
      return wrongWay(value, path, analysis, out);
    case 'stoppedVehicle':
      out.zoneId = zoneOf(value, path, analysis).id;
      out.minStoppedS = number(value, 'minStoppedS', path, 1, DAY_S);
      out.maxSpeedKmh = positive(value, 'maxSpeedKmh', path, 200);
      out.classes = classes(value, path);
      return;
    case 'congestion':
      out.zoneId = zoneOf(value, path, analysis).id;
      out.capacityVehicles = number(value, 'capacityVehicles', path, 1, 10_000, true) ?? fail(`${path}.capacityVehicles`, 'is required');
      out.minLevel = number(value, 'minLevel', path, 1, 4, true);
      out.minDurationS = number(value, 'minDurationS', path, 0, DAY_S);
      return;
    default:
      out.minDurationS = number(value, 'minDurationS', path, 0, DAY_S);
  }
}

function rule(value: unknown, path: string, analysis: CameraAnalysis): AlertRule {
  if (!isObject(value)) fail(path, 'must be an object');
  const type = value.type;
  if (!(ALERT_TYPES as readonly unknown[]).includes(type)) fail(`${path}.type`, `must be one of ${ALERT_TYPES.join(', ')}`);
  checkKeys(value, [...BASE_KEYS, ...KEYS_OF[type as AlertType]], path);
  if (typeof value.id !== 'string' || !RULE_ID.test(value.id)) fail(`${path}.id`, 'must be 1–64 characters of a-z, 0-9 and -');
  const reservedFor = Object.entries(CAMERA_PROBLEM_RULE_IDS).find(([, id]) => id === value.id)?.[0];
  if (reservedFor && reservedFor !== type) fail(`${path}.id`, `${value.id} is reserved for the ${reservedFor} rule`);
  const out: Json = { id: value.id, type };
  out.name = string(value, 'name', path, 200)?.trim();
  if (value.enabled !== undefined && typeof value.enabled !== 'boolean') fail(`${path}.enabled`, 'must be true or false');
  out.enabled = value.enabled;
  if (value.severity !== undefined && !(SEVERITIES as readonly unknown[]).includes(value.severity)) fail(`${path}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
  out.severity = value.severity;
  out.cooldownS = number(value, 'cooldownS', path, 0, DAY_S);
  out.schedule = schedule(value, path);
  typeFields(value, type as AlertType, path, analysis, out);
  // Absent stays absent (defaults live in code, so improving one reaches every stored rule).
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as unknown as AlertRule;
}

/** The rules as stored: checked against the camera's zones and lines, unknown keys refused, a clean copy. */
export function validateAlertRules(input: unknown, analysis: CameraAnalysis): CameraAlertRules {
  if (!isObject(input)) fail('rules', 'alert rules must be an object {rules: [...]}');
  for (const key of Object.keys(input)) if (key !== 'rules') fail(key, 'is not a known field');
  if (!Array.isArray(input.rules)) fail('rules', 'must be an array');
  if (input.rules.length > MAX_RULES_PER_CAMERA) fail('rules', `at most ${MAX_RULES_PER_CAMERA} rules per camera`);
  const seen = new Set<string>();
  const rules = input.rules.map((value, i) => {
    const checked = rule(value, `rules[${i}]`, analysis);
    if (seen.has(checked.id)) fail(`rules[${i}].id`, `${checked.id} is used by another rule of this camera`);
    seen.add(checked.id);
    return checked;
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
    effective.push({ id: CAMERA_PROBLEM_RULE_IDS[type as keyof typeof CAMERA_PROBLEM_RULE_IDS], type: type as 'cameraFrozen' });
  }
  return effective;
}
