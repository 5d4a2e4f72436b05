// The shape of a camera's alert rules, checked with core/alertRules.ts's schemas (compiled once): the first
// fault becomes a ValidationError naming its field as the rules page reads it (`rules[2].schedule[0].from`).
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  ALERT_TYPES,
  CameraAlertRulesSchema,
  MAX_RULES_PER_CAMERA,
  PATTERN_WORDS,
  RULE_SCHEMAS,
  type AlertType,
  type CameraAlertRules,
} from '../core/alertRules.ts';
import { ValidationError } from '../core/errors.ts';

const wholeCheck = Compile(CameraAlertRulesSchema);
// A union's errors mix every branch's complaints: a rule of a known type is explained by its own branch only.
const ruleChecks = Object.fromEntries(ALERT_TYPES.map((type) => [type, Compile(RULE_SCHEMAS[type])])) as Record<
  AlertType,
  ReturnType<typeof Compile>
>;

interface Issue {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function fail(field: string, message: string): never {
  throw new ValidationError(`${field}: ${message}`, { field });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `/schedule/0/from` under `rules[2]` → `rules[2].schedule[0].from`. */
function fieldOf(base: string, instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra !== undefined) parts.push(extra);
  return parts.reduce((field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : `${field}.${part}`), base);
}

/** The sub-schema an issue's schemaPath (`#/properties/schedule/items/properties/from`) points at. */
function schemaAt(root: TSchema, schemaPath: string): Json {
  let at: unknown = root;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean))
    at = isObject(at) ? at[part] : undefined;
  return isObject(at) ? at : {};
}

function typeWords(type: unknown): string {
  switch (type) {
    case 'integer':
      return 'must be an integer';
    case 'number':
      return 'must be a finite number';
    case 'boolean':
      return 'must be true or false';
    case 'array':
      return 'must be an array';
    case 'object':
      return 'must be an object';
    default:
      return 'must be a string';
  }
}

function rangeWords(schema: Json): string {
  if (schema.exclusiveMinimum !== undefined) {
    return schema.maximum === undefined
      ? `must be greater than ${schema.exclusiveMinimum}`
      : `must be greater than ${schema.exclusiveMinimum} and at most ${schema.maximum}`;
  }
  return `must be between ${schema.minimum ?? '-∞'} and ${schema.maximum ?? '∞'}`;
}

/** The words for one issue, read from the schema it failed (its bounds, its pattern's words, its enum). */
function words(issue: Issue, schema: Json): string {
  switch (issue.keyword) {
    case 'type':
      return typeWords(schema.type);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return rangeWords(schema);
    case 'enum':
    case 'const':
      return `must be one of ${((schema.enum as unknown[] | undefined) ?? [schema.const]).join(', ')}`;
    case 'pattern':
      return PATTERN_WORDS[schema.pattern as string] ?? `must match ${schema.pattern}`;
    case 'minLength':
    case 'maxLength':
      return `must be 1 to ${schema.maxLength} characters`;
    case 'minItems':
      return 'must not be empty';
    case 'maxItems':
      return `must have at most ${schema.maxItems} items`;
    default:
      return 'is invalid';
  }
}

/** The first issue as a person would fix it: unknown fields first, then missing ones, then values. */
function explain(root: TSchema, base: string, issues: Issue[]): never {
  const rank = (issue: Issue) => (issue.keyword === 'additionalProperties' ? 0 : issue.keyword === 'required' ? 1 : 2);
  const issue = issues.filter((i) => i.keyword !== 'boolean').sort((a, b) => rank(a) - rank(b))[0];
  if (!issue) fail(base, 'is invalid');
  if (issue.keyword === 'additionalProperties')
    fail(fieldOf(base, issue.instancePath, (issue.params.additionalProperties as string[])[0]), 'is not a known field');
  if (issue.keyword === 'required')
    fail(fieldOf(base, issue.instancePath, (issue.params.requiredProperties as string[])[0]), 'is required');
  fail(fieldOf(base, issue.instancePath), words(issue, schemaAt(root, issue.schemaPath)));
}

/** The rules as typed when their shape is right; else a ValidationError naming the first field at fault. */
export function checkRuleShape(input: unknown): CameraAlertRules {
  if (wholeCheck.Check(input)) return input as CameraAlertRules;
  if (!isObject(input)) fail('rules', 'alert rules must be an object {rules: [...]}');
  for (const key of Object.keys(input)) if (key !== 'rules') fail(key, 'is not a known field');
  if (!Array.isArray(input.rules)) fail('rules', input.rules === undefined ? 'is required' : 'must be an array');
  if (input.rules.length > MAX_RULES_PER_CAMERA) fail('rules', `at most ${MAX_RULES_PER_CAMERA} rules per camera`);
  input.rules.forEach((rule: unknown, i) => {
    const base = `rules[${i}]`;
    if (!isObject(rule)) fail(base, 'must be an object');
    if (!(ALERT_TYPES as readonly unknown[]).includes(rule.type))
      fail(`${base}.type`, `must be one of ${ALERT_TYPES.join(', ')}`);
    const type = rule.type as AlertType;
    const check = ruleChecks[type];
    const fits: boolean = check.Check(rule);
    if (!fits) explain(RULE_SCHEMAS[type], base, [...check.Errors(rule)] as unknown as Issue[]);
  });
  fail('rules', 'is invalid'); // not reached: a whole that fails has a rule that fails
}
