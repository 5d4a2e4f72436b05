// The traffic panel in headless Chromium: zone occupancy is the SUM of the per-class rows the API answers
// (objects in the zone at once), lines and zones read by the names set on the setup page, not their ids,
// one term for counting lines ("Vạch đếm"), and numbers written the page's language's way.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { TrafficCountStore } from '../../../store/trafficCounts.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, type Session, type TestApp } from '../../support/testApp.ts';

const SETUP = {
  widthPx: 960,
  heightPx: 540,
  lines: [
    {
      id: 'ngang-duong',
      name: 'Ngang đường Xuân Thủy',
      points: [
        { x: 100, y: 400 },
        { x: 860, y: 380 },
      ],
      directions: { leftToRight: 'vào', rightToLeft: 'ra' },
    },
  ],
  zones: [
    {
      id: 'giao-lo',
      name: 'Giao lộ Cầu Giấy',
      polygon: [
        { x: 10, y: 10 },
        { x: 200, y: 10 },
        { x: 200, y: 120 },
        { x: 10, y: 120 },
      ],
      areaM2: 80,
    },
  ],
};

describe('traffic panel', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;
  let transport: Session;

  beforeAll(async () => {
    t = await createTestApp();
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: { name: 'Cầu Giấy', mainUrl: 'rtsp://127.0.0.1:9/cg', district: 'Cầu Giấy', enabled: false },
    });
    const cameraId = created.json().id;
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/cameras/${cameraId}/analysis`,
          headers: t.admin,
          payload: SETUP,
        })
      ).statusCode,
    ).toBe(200);
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
    const store = new TrafficCountStore(t.db.pool);
    // In that minute 4.2 motorbikes and 1.3 cars were in the junction on average: 5.5 vehicles at once.
    await store.upsertZoneStats([
      {
        minute,
        cameraId,
        zoneId: 'giao-lo',
        className: 'motorbike',
        occupancySum: 42,
        occupancyMax: 6,
        samples: 10,
        densitySum: null,
      },
      {
        minute,
        cameraId,
        zoneId: 'giao-lo',
        className: 'car',
        occupancySum: 13,
        occupancyMax: 2,
        samples: 10,
        densitySum: null,
      },
    ]);
    await store.upsertCounts([
      {
        minute,
        cameraId,
        lineId: 'ngang-duong',
        direction: 'vào',
        className: 'motorbike',
        count: 1234,
        speedSumKmh: 0,
        speedSamples: 0,
      },
    ]);
    transport = await t.loginAs('transport', ['Cầu Giấy']);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(path: string) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    await context.addCookies([
      { name: 'ioc_session', value: transport.token, url: address, httpOnly: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    await page.goto(`${address}${path}`);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 10_000 });
    return page;
  }

  const chartData = (id: string) =>
    `(() => { const c = Chart.getChart(document.getElementById('${id}')); return { labels: c.data.labels, data: c.data.datasets[0]?.data ?? [] }; })()`;

  it('sums the classes of a zone and names lines and zones as set up, in Vietnamese', async () => {
    const page = await open('/traffic.html');
    expect(await page.evaluate(chartData('zones-chart'))).toEqual({
      labels: ['Cầu Giấy · Giao lộ Cầu Giấy'],
      data: [5.5],
    });
    expect(await page.evaluate(chartData('lines-chart'))).toEqual({
      labels: ['Cầu Giấy · Ngang đường Xuân Thủy'],
      data: [1234],
    });
    const text = await page.locator('body').textContent();
    expect(text).toContain('Vạch đếm đông nhất');
    expect(text).not.toContain('Tuyến đếm');
    expect(text).not.toMatch(/ngang-duong|giao-lo/);
    expect(await page.locator('#summary').textContent()).toBe('1.234 phương tiện');
    expect(await page.evaluate('Chart.defaults.locale')).toBe('vi-VN');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'traffic-panel.png'), fullPage: true });
    await page.context().close();
  }, 30_000);

  it('writes numbers the English way on the English page', async () => {
    const page = await open('/traffic.html?lang=en');
    expect(await page.locator('#summary').textContent()).toBe('1,234 vehicles');
    expect(await page.evaluate('Chart.defaults.locale')).toBe('en-US');
    await page.context().close();
  }, 30_000);
});
