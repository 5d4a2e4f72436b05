import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraRepository } from '../../../store/cameras.ts';
import { TrafficCountStore, type MinuteZoneStat } from '../../../store/trafficCounts.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const OWN = 'Ba Đình';
const OTHER = 'Đống Đa';
const square = (x: number) => [
  { x, y: 10 },
  { x: x + 100, y: 10 },
  { x: x + 100, y: 100 },
  { x, y: 100 },
];
const setup = (zones: object[]) => ({ widthPx: 960, heightPx: 540, lines: [], zones, calibration: null });
const range = 'from=2026-11-25T01:00:00Z&to=2026-11-25T02:00:00Z';

describe('congestion API', () => {
  let t: TestApp;
  let ownId: string;
  let otherId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const cameras = new CameraRepository(t.db.pool);
    ownId = (await cameras.create({ name: 'Kim Mã', mainUrl: 'rtsp://h/km', district: OWN, sampleFps: 5 })).id;
    otherId = (await cameras.create({ name: 'Láng Hạ', mainUrl: 'rtsp://h/lh', district: OTHER, sampleFps: 5 })).id;
    // The capacity is set as an operator sets it: through the analysis API.
    for (const [id, zones] of [
      [
        ownId,
        [
          { id: 'giao-lo', name: 'Giao lộ', polygon: square(10), capacityVehicles: 12 },
          { id: 'via-he', polygon: square(300), areaM2: 80 },
        ],
      ],
      [otherId, [{ id: 'giao-lo', polygon: square(10), capacityVehicles: 4 }]],
    ] as const) {
      const saved = await t.app.inject({
        method: 'PUT',
        url: `/api/cameras/${id}/analysis`,
        headers: t.admin,
        payload: setup([...zones]),
      });
      expect(saved.statusCode).toBe(200);
    }
    // Stats as the analyzer writes them: a row per class for every sampled minute, zeros included.
    const stat = (
      cameraId: string,
      zoneId: string,
      minute: string,
      occupancyMean: Record<string, number>,
    ): MinuteZoneStat[] =>
      ['person', 'bicycle', 'motorbike', 'car', 'bus', 'truck'].map((className) => ({
        minute: new Date(minute),
        cameraId,
        zoneId,
        className,
        samples: 60,
        occupancySum: (occupancyMean[className] ?? 0) * 60,
        occupancyMax: Math.ceil((occupancyMean[className] ?? 0) * 1.5),
        densitySum: null,
      }));
    await new TrafficCountStore(t.db.pool).upsertZoneStats([
      // 01:00–01:15: 5 motorbikes and 4 cars on average (a crowd of 20 people, not vehicles) → 9 / 12 = heavy.
      ...stat(ownId, 'giao-lo', '2026-11-25T01:02:00Z', { motorbike: 6, car: 4, person: 20 }),
      ...stat(ownId, 'giao-lo', '2026-11-25T01:03:00Z', { motorbike: 4, car: 4, person: 20 }),
      // 01:15–01:30: 1 car → free.
      ...stat(ownId, 'giao-lo', '2026-11-25T01:20:00Z', { car: 1 }),
      // A zone without capacity and another district's camera.
      ...stat(ownId, 'via-he', '2026-11-25T01:02:00Z', { motorbike: 30 }),
      ...stat(otherId, 'giao-lo', '2026-11-25T01:02:00Z', { bus: 2 }),
    ]);
  });
  afterAll(async () => t?.close());

  const get = async (query: string, headers: Record<string, string> = t.admin) =>
    t.app.inject({ method: 'GET', url: `/api/congestion?${query}`, headers });

  it('answers each bucket of a zone with a capacity: vehicles without people, and the level', async () => {
    const response = await get(`${range}&bucket=15m&cameraId=${ownId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      {
        bucket: '2026-11-25T01:00:00.000Z',
        cameraId: ownId,
        zoneId: 'giao-lo',
        zoneName: 'Giao lộ',
        capacityVehicles: 12,
        vehiclesAvg: 9,
        vehiclesMax: 15,
        level: 3,
      },
      {
        bucket: '2026-11-25T01:15:00.000Z',
        cameraId: ownId,
        zoneId: 'giao-lo',
        zoneName: 'Giao lộ',
        capacityVehicles: 12,
        vehiclesAvg: 1,
        vehiclesMax: 2,
        level: 0,
      },
    ]);
  });

  it('leaves out zones without a capacity and names a zone by its id when it has no name', async () => {
    const items = (await get(`${range}&bucket=1h`)).json().items;
    expect(items.map((r: { cameraId: string; zoneId: string }) => [r.cameraId, r.zoneId]).sort()).toEqual(
      [
        [ownId, 'giao-lo'],
        [otherId, 'giao-lo'],
      ].sort(),
    );
    expect(items.find((r: { cameraId: string }) => r.cameraId === otherId)).toMatchObject({
      zoneName: 'giao-lo',
      capacityVehicles: 4,
      vehiclesAvg: 2,
      level: 2,
    });
  });

  it('keeps a district-bound caller inside their districts, whatever the query asks', async () => {
    const { headers } = await t.loginAs('transport', [OWN]);
    const cameraIds = async (query: string) =>
      (await get(`${range}&bucket=1h${query}`, headers)).json().items.map((r: { cameraId: string }) => r.cameraId);
    expect(await cameraIds('')).toEqual([ownId]);
    expect(await cameraIds(`&cameraId=${otherId}`)).toEqual([]);
    expect(await cameraIds(`&district=${encodeURIComponent(OTHER)}`)).toEqual([]);
    expect((await get(`${range}&bucket=1h`, (await t.loginAs('police', [OWN])).headers)).statusCode).toBe(403);
  });

  it('answers at most limit rows, in bucket order', async () => {
    const items = (await get(`${range}&bucket=15m&cameraId=${ownId}&limit=1`)).json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ bucket: '2026-11-25T01:00:00.000Z', level: 3 });
  });

  it.each([
    ['minute buckets over a month', 'from=2026-10-01T00:00:00Z&to=2026-11-25T00:00:00Z&bucket=1m', 'from'],
    ['a range backwards', 'from=2026-11-25T02:00:00Z&to=2026-11-25T01:00:00Z', 'to'],
    ['a camera id that is not one', `${range}&cameraId=1';DROP TABLE cameras;--`, 'cameraId'],
    ['a filter it does not take', `${range}&class=car`, 'class'],
    ['a limit past its bound', `${range}&limit=1000000`, 'limit'],
  ])('rejects %s with 400 naming the parameter', async (_label, query, field) => {
    const response = await get(query);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field });
  });

  it('refuses a capacity that is not a whole number of vehicles, naming the zone', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: `/api/cameras/${ownId}/analysis`,
      headers: t.admin,
      payload: setup([
        { id: 'a', polygon: square(10) },
        { id: 'b', polygon: square(300), capacityVehicles: 2.5 },
      ]),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'zones[1].capacityVehicles' });
  });

  it('is documented in the OpenAPI document, saying zones without a capacity are left out', async () => {
    const doc = t.app.swagger() as { paths: Record<string, { get?: { description?: string } }> };
    expect(doc.paths['/api/congestion']?.get?.description).toMatch(/without a capacity are left out/);
  });
});
