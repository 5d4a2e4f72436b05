import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

const setup = {
  widthPx: 960,
  heightPx: 540,
  lines: [
    {
      id: 'kim-ma',
      name: 'Kim Mã',
      points: [
        { x: 100, y: 400 },
        { x: 860, y: 380 },
      ],
      directions: { leftToRight: 'vào', rightToLeft: 'ra' },
    },
  ],
  zones: [
    {
      id: 'via-he',
      name: 'Vỉa hè',
      polygon: [
        { x: 10, y: 10 },
        { x: 200, y: 10 },
        { x: 200, y: 120 },
        { x: 10, y: 120 },
      ],
      areaM2: 80,
    },
  ],
  calibration: {
    imagePoints: [
      { x: 300, y: 500 },
      { x: 700, y: 500 },
      { x: 600, y: 300 },
      { x: 400, y: 300 },
    ],
    groundPoints: [
      { x: 0, y: 0 },
      { x: 7, y: 0 },
      { x: 7, y: 20 },
      { x: 0, y: 20 },
    ],
  },
};

describe('camera analysis setup API', () => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await createTestApp();
    const created = await t.app.inject({
      headers: t.admin,
      method: 'POST',
      url: '/api/cameras',
      payload: { name: 'Kim Mã', mainUrl: 'rtsp://h/km', district: 'Ba Đình' },
    });
    id = created.json().id;
  });
  afterAll(async () => t?.close());

  it('saves lines, zones and calibration and reads them back', async () => {
    const saved = await t.app.inject({
      headers: t.admin,
      method: 'PUT',
      url: `/api/cameras/${id}/analysis`,
      payload: setup,
    });
    expect(saved.statusCode).toBe(200);
    const read = await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/cameras/${id}/analysis` });
    expect(read.json()).toEqual(setup);
    expect(t.changes).toContain('updated:Kim Mã');
  });

  it.each([
    [
      'a self-intersecting zone',
      {
        zones: [
          {
            id: 'z',
            polygon: [
              { x: 0, y: 0 },
              { x: 100, y: 100 },
              { x: 100, y: 0 },
              { x: 0, y: 100 },
            ],
          },
        ],
      },
      'zones[0].polygon',
    ],
    [
      'a line of one point',
      {
        lines: [
          {
            id: 'l',
            points: [
              { x: 5, y: 5 },
              { x: 5, y: 5 },
            ],
          },
        ],
      },
      'lines[0].points',
    ],
    [
      'a point outside the frame',
      {
        lines: [
          {
            id: 'l',
            points: [
              { x: 5, y: 5 },
              { x: 2000, y: 5 },
            ],
          },
        ],
      },
      'lines[0].points[1]',
    ],
    [
      'a collinear calibration',
      {
        calibration: {
          ...setup.calibration,
          imagePoints: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
            { x: 2, y: 2 },
            { x: 3, y: 3 },
          ],
        },
      },
      'calibration.imagePoints',
    ],
  ])('rejects %s with 400 naming the field', async (_label, change, field) => {
    const response = await t.app.inject({
      headers: t.admin,
      method: 'PUT',
      url: `/api/cameras/${id}/analysis`,
      payload: { ...setup, ...change },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field });
    expect(response.json().error.problems[0].field).toBe(field);
  });

  it("keeps a camera's own model input size, and refuses one the model does not run at, naming the field", async () => {
    const sized = { ...setup, inputSizePx: { widthPx: 960, heightPx: 544 } };
    expect(
      (await t.app.inject({ headers: t.admin, method: 'PUT', url: `/api/cameras/${id}/analysis`, payload: sized }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ headers: t.admin, method: 'GET', url: `/api/cameras/${id}/analysis` })).json(),
    ).toEqual(sized);
    const refused = await t.app.inject({
      headers: t.admin,
      method: 'PUT',
      url: `/api/cameras/${id}/analysis`,
      payload: { ...setup, inputSizePx: { widthPx: 960, heightPx: 540 } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'inputSizePx' });
    expect(refused.json().error.message).toMatch(/multiples of 32/);
  });

  it('answers 404 for the setup of an unknown camera', async () => {
    const response = await t.app.inject({
      headers: t.admin,
      method: 'PUT',
      url: '/api/cameras/6f1c9a52-5a1e-4d7e-9a0e-2b8f3c1d4e5f/analysis',
      payload: setup,
    });
    expect(response.statusCode).toBe(404);
  });
});
