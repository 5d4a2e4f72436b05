// The whole analysis chain on real footage: vn_traffic.mp4 replayed through the frames queue, a real
// YOLOX-Nano worker and a real analyzer, twice. Same clip, same frames → the same stored counts.
import { resolve } from 'node:path';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CameraRepository } from '../../../store/cameras.ts';
import { TrafficCountStore, type MinuteZoneStat } from '../../../store/trafficCounts.ts';
import { CameraAnalysisRepository } from '../../../store/cameraAnalysis.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { loadConfig } from '../../../core/config.ts';
import { DEMO_ANALYSIS } from '../../../bin/demoCamera.ts';
import { replayClip, type StoredCount } from '../../../harness/clipReplay.ts';

const config = loadConfig({ env: { IOC_ASSETS: process.env.IOC_ASSETS } });
const clipPath = resolve(config.assetsDir, 'video/vn_traffic.mp4');
const START_MS = Date.parse('2026-11-25T01:00:00Z');

function total(rows: StoredCount[], filter: (row: StoredCount) => boolean): number {
  return rows.filter(filter).reduce((sum, row) => sum + row.count, 0);
}

describe('replaying vn_traffic.mp4 through the full pipeline', () => {
  let replayed: StoredCount[] = [];
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('stores identical counts twice, plausible for what the clip shows', async () => {
    const replay = () =>
      replayClip({ clipPath, analysis: DEMO_ANALYSIS, sampleFps: 5, frameWidthPx: 960, startMs: START_MS });
    const first = await replay();
    const second = await replay();
    expect(second).toEqual(first);

    // Plausibility against the clip, counted by hand on frames every 2 s with the line drawn on them:
    // all traffic on these lanes drives away from the camera; about 6 four-wheelers (two sedans, a grey car,
    // the green taxi, two minivans) and about 8 motorbikes cross the line in the 10.4 s.
    // Accepted ranges are wide on purpose: YOLOX-Nano misses small two-wheelers (it often sees only the
    // rider, who then counts as a person) and calls minivans trucks, so vehicles are summed by kind.
    const away = (row: StoredCount) => row.lineId === 'ngang-duong' && row.direction === 'di-xa';
    const towards = (row: StoredCount) => row.lineId === 'ngang-duong' && row.direction === 've-phia-camera';
    const fourWheelers = total(first, (r) => away(r) && ['car', 'bus', 'truck'].includes(r.className));
    const twoWheelersAndRiders = total(
      first,
      (r) => away(r) && ['motorbike', 'bicycle', 'person'].includes(r.className),
    );
    expect(fourWheelers).toBeGreaterThanOrEqual(4);
    expect(fourWheelers).toBeLessThanOrEqual(10);
    expect(twoWheelersAndRiders).toBeGreaterThanOrEqual(3);
    expect(twoWheelersAndRiders).toBeLessThanOrEqual(12);
    expect(total(first, towards)).toBeLessThanOrEqual(1);
    expect(first.every((row) => row.minute === '2026-11-25T01:00:00.000Z')).toBe(true);
    replayed = first;
  }, 600_000);

  it('shows the replayed counts on the traffic panel in headless Chromium', async () => {
    expect(replayed.length).toBeGreaterThan(0);
    app = await createTestApp();
    const camera = await new CameraRepository(app.db.pool).create({
      name: 'Ngã tư Hà Nội',
      mainUrl: 'rtsp://127.0.0.1:1/x',
      district: 'Hoàn Kiếm',
      sampleFps: 5,
    });
    // The replay's minute moved to a few minutes ago, so it falls in the panel's default "last 24 hours".
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000);
    const store = new TrafficCountStore(app.db.pool);
    await store.upsertCounts(
      replayed.map((row) => ({
        minute,
        cameraId: camera.id,
        lineId: row.lineId,
        direction: row.direction,
        className: row.className,
        count: row.count,
        speedSumKmh: 0,
        speedSamples: 0,
      })),
    );
    // The sample camera's setup (its junction holds 12 vehicles) and the junction's occupancy: free half an
    // hour ago, 9 vehicles on average now (the 20 pedestrians do not count) → 9 / 12 = heavy.
    await new CameraAnalysisRepository(app.db.pool).set(camera.id, DEMO_ANALYSIS);
    const junction = (at: Date, occupancyMean: Record<string, number>): MinuteZoneStat[] =>
      ['person', 'bicycle', 'motorbike', 'car', 'bus', 'truck'].map((className) => ({
        minute: at,
        cameraId: camera.id,
        zoneId: 'giao-lo',
        className,
        samples: 300,
        occupancySum: (occupancyMean[className] ?? 0) * 300,
        occupancyMax: Math.ceil(occupancyMean[className] ?? 0),
        densitySum: null,
      }));
    await store.upsertZoneStats([
      ...junction(new Date(minute.getTime() - 30 * 60_000), { car: 1, person: 3 }),
      ...junction(minute, { motorbike: 5, car: 4, person: 20 }),
    ]);
    const address = await app.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page
      .context()
      .addCookies([
        { name: 'ioc_session', value: app.adminSession.token, url: address, httpOnly: true, sameSite: 'Strict' },
      ]);
    await page.goto(`${address}/traffic.html`);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
    const chartTotals = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart('flow-chart');
      return chart.data.datasets.map((d: { label: string; data: number[] }) => [
        d.label,
        d.data.reduce((a, b) => a + b, 0),
      ]);
    });
    const expected = new Map<string, number>();
    for (const row of replayed) expected.set(row.className, (expected.get(row.className) ?? 0) + row.count);
    const shown = Object.fromEntries(chartTotals) as Record<string, number>;
    expect(shown['Ô tô']).toBe(expected.get('car'));
    expect(Object.values(shown).reduce((a, b) => a + b, 0)).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    expect((await page.locator('#motorbike-share').textContent()) ?? '').toMatch(/Xe máy: \d+ %/);

    const zones = page.locator('#congestion [data-zone]');
    await expect.poll(() => zones.count()).toBe(1);
    expect(await zones.first().getAttribute('data-level')).toBe('3');
    expect(await zones.first().textContent()).toMatch(/Ngã tư Hà Nội · Giao lộ\s*Ùn ứ\s*9 \/ 12 phương tiện/);
    const levels = await page.evaluate(() =>
      (window as any).Chart.getChart('congestion-chart').data.datasets.map((d: { data: (number | null)[] }) =>
        d.data.filter((v) => v !== null),
      ),
    );
    expect(levels).toEqual([[0, 3]]);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'traffic-panel.png'), fullPage: true });
    await page.close();
  });
});
