// The pages require login: headless Chromium is sent to the login page (Vietnamese by default), logs in,
// lands back on the page it asked for, and sees only the links its role may open; logout ends it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../../support/testApp.ts';

describe('login page', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;
  beforeAll(async () => {
    t = await createTestApp();
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends an anonymous visitor to the login page and back to the traffic panel after login', async () => {
    const { username } = await t.loginAs('transport', ['Ba Đình']);
    const page = await browser.newPage();
    await page.goto(`${address}/traffic.html`);
    await page.waitForURL(/\/login\.html\?next=%2Ftraffic\.html/, { timeout: 10_000 });
    expect(await page.locator('#form-title').textContent()).toBe('Đăng nhập');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill('wrong password here');
    await page.locator('#submit').click();
    await page.locator('#message', { hasText: 'Sai tên đăng nhập hoặc mật khẩu' }).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'login.png') });
    await page.locator('#password').fill(TEST_ADMIN_PASSWORD);
    await page.locator('#submit').click();
    await page.waitForURL(/\/traffic\.html$/, { timeout: 10_000 });
    await page.locator('#user', { hasText: username }).waitFor({ timeout: 5_000 });
    // A transport officer sees the wall, the traffic panel, the alerts (read only) and the reports, not the camera setup.
    expect(await page.locator('header nav a:not([hidden])').allTextContents()).toEqual([
      'Tường video',
      'Lưu lượng',
      'Cảnh báo',
      'Báo cáo',
    ]);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'ioc_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.locator('#logout').click();
    await page.waitForURL(/\/login\.html/, { timeout: 5_000 });
    await page.goto(`${address}/wall.html`);
    await page.waitForURL(/\/login\.html/, { timeout: 10_000 });
    await page.close();
  });

  it('speaks English on request and shows a wall viewer only the wall, without detections', async () => {
    const { username } = await t.loginAs('viewer', ['Ba Đình']);
    const page = await browser.newPage();
    // English chosen in the visible switch (a ?lang=en link alone holds for that page only).
    await page.goto(`${address}/login.html`);
    await page.locator('#language').click();
    await page.waitForURL(/lang=en/, { timeout: 5_000 });
    expect(await page.locator('#form-title').textContent()).toBe('Log in');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(TEST_ADMIN_PASSWORD);
    await page.locator('#submit').click();
    await page.waitForURL(`${address}/`, { timeout: 10_000 });
    await page.locator('#user', { hasText: username }).waitFor({ timeout: 5_000 });
    expect(await page.locator('header nav a:not([hidden])').allTextContents()).toEqual(['Video wall']);
    expect(await page.locator('#overlay-toggle').isHidden()).toBe(true);
    // The traffic panel is not theirs: the page sends them back to the wall.
    await page.goto(`${address}/traffic.html`);
    await page.waitForURL(/\/wall\.html$/, { timeout: 10_000 });
    await page.close();
  });
});
