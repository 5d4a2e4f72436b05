// /asyncapi.json: a valid AsyncAPI 3 document (checked by the AsyncAPI project's own parser, offline),
// describing the district topic tree, and the messages the store really writes match its payload schemas.
import { randomUUID } from 'node:crypto';
import { Parser } from '@asyncapi/parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../core/alerts.ts';
import { mqttAlertMessage as alertMessage, statusMessage } from '../../../store/mqttMessages.ts';
import { reportReadyMessage } from '../../../store/reportEvents.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

function sampleAlert(): Alert {
  const at = new Date(Date.UTC(2026, 10, 25, 1, 0, 0)).toISOString();
  return {
    id: randomUUID(),
    cameraId: randomUUID(),
    cameraName: 'Ngã tư Kim Mã',
    district: 'Ba Đình',
    ruleId: 'crowd-1',
    type: 'crowd',
    severity: 'warning',
    subject: 'zone:z1',
    summary: '12 people in zone z1',
    details: { people: 12 },
    state: 'acknowledged',
    active: true,
    startedAt: at,
    lastSeenAt: at,
    endedAt: null,
    raisedAt: at,
    triggeredAt: at,
    occurrences: 1,
    assignee: null,
    resolutionNote: null,
    hasSnapshot: false,
    clipState: 'pending',
    updatedAt: at,
    message: '12 người trong vùng z1',
  };
}

describe('AsyncAPI document', () => {
  let t: TestApp;
  let document: Record<string, any>;

  beforeAll(async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/asyncapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  }, 60_000);
  afterAll(async () => t?.close());

  it('is valid AsyncAPI 3 by @asyncapi/parser, with no error or warning', async () => {
    const diagnostics = await new Parser().validate(JSON.stringify(document));
    // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    expect(
      diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`),
    ).toEqual([]);
  });

  it('describes one subtree per district, QoS 1, and retained camera status', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.channels.alerts.address).toBe('ioc/v1/{district}/cameras/{cameraId}/alerts');
    expect(document.channels.counts.address).toBe('ioc/v1/{district}/cameras/{cameraId}/counts');
    expect(document.channels.status.address).toBe('ioc/v1/{district}/cameras/{cameraId}/status');
    expect(document.operations.publishAlerts.bindings.mqtt.qos).toBe(1);
    expect(document.operations.publishStatus.bindings.mqtt.retain).toBe(true);
    expect(document.channels.reports.address).toBe('ioc/v1/{district}/reports');
    expect(document.operations.publishReports.bindings.mqtt).toMatchObject({ qos: 1, retain: false });
    expect(JSON.stringify(document.servers)).not.toMatch(/@/); // never a credential of the broker URL
  });

  it('matches the messages the outbox holds', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const check = (name: string, payload: unknown) => {
      const validate = ajv.compile(document.components.messages[name].payload);
      expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
    };
    const alert = sampleAlert();
    const message = alertMessage('stateChanged', alert);
    expect(message.topic).toBe(`ioc/v1/ba-dinh/cameras/${alert.cameraId}/alerts`);
    check('alertsMessage', message.payload);
    check('statusMessage', statusMessage('Ba Đình', alert.cameraId, 'live', new Date()).payload);
    const report = {
      id: randomUUID(),
      kind: 'weekly' as const,
      district: 'Ba Đình',
      periodFrom: new Date(Date.UTC(2026, 10, 22, 17)),
      periodTo: new Date(Date.UTC(2026, 10, 29, 17)),
      language: 'vi',
      madeBy: 'scheduler',
      madeAt: new Date(),
      pdfSha256: 'a'.repeat(64),
      csvSha256: 'b'.repeat(64),
      pdfBytes: 40_000,
      csvBytes: 3_000,
    };
    const ready = reportReadyMessage(report);
    expect(ready.topic).toBe('ioc/v1/ba-dinh/reports');
    check('reportsMessage', ready.payload);
    const province = reportReadyMessage({ ...report, district: null });
    expect(province.topic).toBe('ioc/v1/_province/reports');
    check('reportsMessage', province.payload);
  });
});
