// The OpenAPI document served at /docs/json describes every alert rule type with its own fields, from the
// same schemas that check the rules (core/alertRules.ts): a rule type or a field dropped there fails here.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TYPES, RULE_SCHEMAS } from '../../../core/alertRules.ts';
import { AlertSchema } from '../../../core/alerts.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

/** Every rule type the engine evaluates and the rules page (player/ruleFields.js) offers. */
const KNOWN_RULE_TYPES = [
  'crowd',
  'intrusion',
  'wrongWay',
  'stoppedVehicle',
  'congestion',
  'cameraOffline',
  'cameraFrozen',
  'cameraBlack',
  'cameraViewChanged',
];

interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

let t: TestApp;
let doc: { paths: Record<string, Record<string, any>> };

beforeAll(async () => {
  t = await createTestApp();
  const served = await t.app.inject({ method: 'GET', url: '/docs/json' });
  expect(served.statusCode).toBe(200);
  doc = served.json();
});
afterAll(async () => t?.close());

/** The rule branches of an alert-rules body in the document, by the one value of their `type` (@fastify/swagger writes a const as an enum of one). */
function branchesByType(body: JsonSchema): Map<unknown, JsonSchema> {
  const branches = body.properties?.rules?.items?.anyOf ?? [];
  return new Map(
    branches.map((branch) => {
      const type = branch.properties?.type;
      expect(type?.const !== undefined || type?.enum?.length === 1, 'a rule branch has one type').toBe(true);
      return [type?.const ?? type?.enum?.[0], branch];
    }),
  );
}

describe('OpenAPI document of alert rules', () => {
  const route = () => doc.paths['/api/cameras/{id}/alert-rules']!;
  const bodies = () => ({
    'PUT body': route().put.requestBody.content['application/json'].schema as JsonSchema,
    'PUT 200': route().put.responses['200'].content['application/json'].schema as JsonSchema,
    'GET 200': route().get.responses['200'].content['application/json'].schema as JsonSchema,
  });

  it('knows every rule type, and the schema has not dropped one', () => {
    expect(Object.keys(RULE_SCHEMAS).sort()).toEqual([...KNOWN_RULE_TYPES].sort());
    expect([...ALERT_TYPES].sort()).toEqual([...KNOWN_RULE_TYPES].sort());
    for (const [where, body] of Object.entries(bodies())) {
      expect([...branchesByType(body).keys()].sort(), where).toEqual([...KNOWN_RULE_TYPES].sort());
    }
  });

  it('the rules page offers the same rule types', async () => {
    // player/ is browser code that cannot import core/: its list is read as text.
    const page = await readFile(new URL('../../../player/ruleFields.js', import.meta.url), 'utf8');
    const listed = /export const RULE_TYPES = \[([^\]]*)\]/.exec(page)?.[1] ?? '';
    expect([...listed.matchAll(/'(\w+)'/g)].map((m) => m[1]).sort()).toEqual([...KNOWN_RULE_TYPES].sort());
  });

  it("describes each rule type's fields, which it requires, and nothing else", () => {
    for (const [where, body] of Object.entries(bodies())) {
      const branches = branchesByType(body);
      for (const [type, schema] of Object.entries(RULE_SCHEMAS)) {
        const branch = branches.get(type)!;
        expect(Object.keys(branch.properties!).sort(), `${where} ${type}`).toEqual(
          Object.keys(schema.properties).sort(),
        );
        expect([...(branch.required ?? [])].sort(), `${where} ${type} required`).toEqual(
          [...(schema.required ?? [])].sort(),
        );
        expect((branch as { additionalProperties?: unknown }).additionalProperties, `${where} ${type}`).toBe(false);
      }
    }
  });

  it('shows the fields a person sets for the rule types the rules page edits', () => {
    const branches = branchesByType(bodies()['PUT body']);
    const fields = (type: string) => Object.keys(branches.get(type)!.properties!);
    expect(fields('crowd')).toEqual(
      expect.arrayContaining([
        'id',
        'zoneId',
        'minPeople',
        'minDensityPerM2',
        'minDurationS',
        'schedule',
        'severity',
        'cooldownS',
      ]),
    );
    expect(fields('wrongWay')).toEqual(
      expect.arrayContaining(['lineId', 'forbiddenDirection', 'zoneId', 'laneDirection', 'minDistanceM', 'classes']),
    );
    expect(fields('stoppedVehicle')).toEqual(
      expect.arrayContaining(['zoneId', 'minStoppedS', 'maxSpeedKmh', 'classes']),
    );
    expect(fields('intrusion')).toEqual(expect.arrayContaining(['zoneId', 'classes', 'minDurationS']));
    expect(branches.get('congestion')!.required).toEqual(
      expect.arrayContaining(['id', 'type', 'zoneId', 'capacityVehicles']),
    );
    expect(fields('cameraFrozen')).toEqual(expect.arrayContaining(['minDurationS']));
    expect(branches.get('crowd')!.properties!.schedule!.items!.properties!.from).toMatchObject({ type: 'string' });
  });

  it('answers alerts with the one Alert schema of core/', () => {
    const list = doc.paths['/api/alerts/']!.get.responses['200'].content['application/json'].schema as JsonSchema;
    expect(Object.keys(list.properties!.items!.items!.properties!).sort()).toEqual(
      Object.keys(AlertSchema.properties).sort(),
    );
  });
});
