// The alert-rules page in headless Chromium: a form per rule type over the camera's own lines and zones;
// a rule the API refuses shows the API's message on its own card, a fixed one is saved as the API keeps it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';

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

describe('alert rules page', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;
  let cameraId: string;

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
    cameraId = created.json().id;
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
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, isMobile: viewport.width < 500, locale: 'vi-VN' });
    await context.addCookies([
      { name: 'ioc_session', value: t.adminSession.token, url: address, httpOnly: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    await page.goto(`${address}/admin-rules.html?camera=${cameraId}`);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 10_000 });
    return page;
  }

  it("builds rules over the camera's lines and zones and shows the API's refusal on the rule at fault", async () => {
    const page = await open({ width: 1920, height: 1080 });
    await page.selectOption('#new-type', 'crowd');
    await page.click('#add');
    const crowd = page.locator('fieldset.rule[data-type="crowd"]');
    expect(await crowd.locator('select[name="zoneId"] option').allTextContents()).toEqual([
      '— Chọn —',
      'Giao lộ Cầu Giấy',
    ]);
    await crowd.locator('input[name="minPeople"]').fill('10');
    await page.selectOption('#new-type', 'wrongWay');
    await page.click('#add');
    const wrongWay = page.locator('fieldset.rule[data-type="wrongWay"]');
    await wrongWay.locator('select[name="lineId"]').selectOption('ngang-duong');
    // The directions offered are the chosen line's own.
    await wrongWay
      .locator('select[name="forbiddenDirection"] option', { hasText: 'ra' })
      .waitFor({ state: 'attached', timeout: 2000 });
    await page.locator('fieldset.rule[data-type="wrongWay"] select[name="forbiddenDirection"]').selectOption('ra');

    await page.click('#save'); // the crowd rule has no zone yet
    await page.locator('fieldset.rule[data-type="crowd"][data-invalid="true"]').waitFor({ timeout: 5000 });
    expect(await crowd.locator('p.message').textContent()).toBe('Vùng: bắt buộc phải có');
    expect(await crowd.locator('select[name="zoneId"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#message').textContent()).toMatch(/^Không lưu được: /);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'admin-rules-refused-wall.png'), fullPage: true });

    await crowd.locator('select[name="zoneId"]').selectOption('giao-lo');
    await page.click('#save');
    await page.locator('#message.ok').waitFor({ timeout: 5000 });
    const stored = (await t.app.inject({ url: `/api/cameras/${cameraId}/alert-rules`, headers: t.admin })).json().rules;
    expect(stored).toEqual([
      expect.objectContaining({ id: 'crowd-1', type: 'crowd', zoneId: 'giao-lo', minPeople: 10 }),
      expect.objectContaining({ id: 'wrongway-1', type: 'wrongWay', lineId: 'ngang-duong', forbiddenDirection: 'ra' }),
    ]);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'admin-rules-wall.png'), fullPage: true });
    await page.context().close();
  }, 60_000);

  it('fits a phone', async () => {
    const page = await open({ width: 390, height: 844 });
    expect(await page.locator('fieldset.rule').count()).toBe(2);
    const wide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
        .map((el) => el.tagName);
    });
    expect(wide).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'admin-rules-phone.png'), fullPage: true });
    await page.context().close();
  }, 30_000);
});
