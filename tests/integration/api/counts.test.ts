import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraRepository } from '../../../store/cameras.ts';
import { TrafficCountStore } from '../../../store/trafficCounts.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

describe('counts API', () => {
  let t: TestApp;
  let cameraId: string;

  beforeAll(async () => {
    t = await createTestApp();
    cameraId = (
      await new CameraRepository(t.db.pool).create({
        name: 'Láng Hạ',
        mainUrl: 'rtsp://h/x',
        district: 'Đống Đa',
        sampleFps: 5,
      })
    ).id;
    const store = new TrafficCountStore(t.db.pool);
    await store.upsertCounts([
      {
        minute: new Date('2026-11-25T01:00:00Z'),
        cameraId,
        lineId: 'lang-ha',
        direction: 'north',
        className: 'motorbike',
        count: 40,
        speedSumKmh: 1000,
        speedSamples: 40,
      },
      {
        minute: new Date('2026-11-25T01:01:00Z'),
        cameraId,
        lineId: 'lang-ha',
        direction: 'north',
        className: 'motorbike',
        count: 20,
        speedSumKmh: 200,
        speedSamples: 20,
      },
      {
        minute: new Date('2026-11-25T01:01:00Z'),
        cameraId,
        lineId: 'lang-ha',
        direction: 'north',
        className: 'car',
        count: 5,
        speedSumKmh: 0,
        speedSamples: 0,
      },
    ]);
  });
  afterAll(async () => t?.close());

  const url = (query: string) => `/api/counts?from=2026-11-25T00:00:00Z&to=2026-11-25T02:00:00Z&${query}`;

  it('answers counts per bucket and class with a weighted mean speed', async () => {
    const response = await t.app.inject({ headers: t.admin, method: 'GET', url: url('bucket=1h&class=motorbike') });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      {
        bucket: '2026-11-25T01:00:00.000Z',
        cameraId,
        lineId: 'lang-ha',
        direction: 'north',
        class: 'motorbike',
        count: 60,
        meanSpeedKmh: 20,
      },
    ]);
  });

  it('exports CSV that a spreadsheet opens safely', async () => {
    const response = await t.app.inject({ headers: t.admin, method: 'GET', url: url('bucket=1h&format=csv') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body.trim().split('\r\n');
    expect(lines[0]).toBe('bucket,cameraId,lineId,direction,class,count,meanSpeedKmh');
    expect(lines).toHaveLength(3);
    expect(lines).toContain(`"2026-11-25T01:00:00.000Z","${cameraId}","lang-ha","north","car","5",""`);
  });

  it.each([
    ['a missing from', 'to=2026-11-25T02:00:00Z', 'from'],
    ['a range backwards', 'from=2026-11-25T02:00:00Z&to=2026-11-25T01:00:00Z', 'to'],
    ['minute buckets over a month', 'from=2026-10-01T00:00:00Z&to=2026-11-25T00:00:00Z&bucket=1m', 'from'],
    ['an unknown class', 'from=2026-11-25T00:00:00Z&to=2026-11-25T02:00:00Z&class=tank', 'class'],
    ['an unknown bucket', 'from=2026-11-25T00:00:00Z&to=2026-11-25T02:00:00Z&bucket=7m', 'bucket'],
    [
      'a camera id that is not one',
      "from=2026-11-25T00:00:00Z&to=2026-11-25T02:00:00Z&cameraId=1';DROP TABLE cameras;--",
      'cameraId',
    ],
  ])('rejects %s with 400 naming the parameter', async (_label, query, field) => {
    const response = await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/counts?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field });
  });
});
