// The admin's and the desk's pages in headless Chromium: an admin adds a camera and creates a police user
// for one district, logs out; the officer logs in, is made to change the password, and sees only their
// district's cameras; the audit log page shows each step. Every new page is shot at wall and phone size.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DistrictRepository } from '../../../store/districts.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, type Session, type TestApp } from '../../support/testApp.ts';

const WALL = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const CAMERA_PASSWORD = 'Cam-Bi-Mat-2026';
const INITIAL_PASSWORD = 'Mat-khau-ban-dau-01';
const OWN_PASSWORD = 'Mat-khau-rieng-cua-toi-02';
const OFFICER = 'canhsat.caugiay';

/** Elements wider than the screen (none on a phone-sized page). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
  });
}

describe('admin pages', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;

  beforeAll(async () => {
    t = await createTestApp();
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    const districts = new DistrictRepository(t.db.pool);
    for (const name of ['Cầu Giấy', 'Hoàn Kiếm', 'Tây Hồ']) await districts.add(name);
    // Another district's camera the officer must never see.
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: {
        name: 'Hồ Hoàn Kiếm — Đinh Tiên Hoàng',
        mainUrl: 'rtsp://127.0.0.1:9/hk',
        district: 'Hoàn Kiếm',
        enabled: true,
      },
    });
    expect(other.statusCode).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function contextAs(viewport: { width: number; height: number }, session?: Session): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport,
      isMobile: viewport.width < 500,
      hasTouch: viewport.width < 500,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    if (session)
      await context.addCookies([
        { name: 'ioc_session', value: session.token, url: address, httpOnly: true, sameSite: 'Strict' },
      ]);
    return context;
  }

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${address}${path}`);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 10_000 });
    return page;
  }

  /** The page at wall and phone size: a screenshot of each, nothing wider than the phone. */
  async function shoot(path: string, name: string, session: Session) {
    for (const [size, viewport] of [
      ['wall', WALL],
      ['phone', PHONE],
    ] as const) {
      const context = await contextAs(viewport, session);
      const page = await open(context, path);
      await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}-${size}.png`), fullPage: true });
      if (size === 'phone') expect(await overflowing(page), `${name} on a phone`).toEqual([]);
      expect(await page.content()).not.toContain(CAMERA_PASSWORD);
      await context.close();
    }
  }

  it('lets an admin add a camera and a police user, then the officer changes the password and sees only their district', async () => {
    const admin = await contextAs(WALL, await t.loginAs('admin', null)); // this one logs out
    const cameras = await open(admin, '/admin-cameras.html');
    expect(await cameras.locator('header nav a:not([hidden])').allTextContents()).toEqual(
      expect.arrayContaining(['Quản lý camera', 'Người dùng', 'Nhật ký']),
    );
    await cameras.fill('input[name="name"]', 'Ngã tư Cầu Giấy — Xuân Thủy');
    // The district is picked from the province's list.
    expect(await cameras.locator('select[name="district"] option').allTextContents()).toEqual([
      '— Chọn —',
      'Cầu Giấy',
      'Hoàn Kiếm',
      'Tây Hồ',
    ]);
    await cameras.selectOption('select[name="district"]', 'Cầu Giấy');
    await cameras.fill('input[name="mainUrl"]', `rtsp://admin:${CAMERA_PASSWORD}@127.0.0.1:9/main`);
    await cameras.fill('input[name="subUrl"]', `rtsp://admin:${CAMERA_PASSWORD}@127.0.0.1:9/sub`);
    // Test the connection before saving: nothing answers on port 9, and the page says so without the password.
    await cameras.click('#test');
    await cameras.locator('#message.error', { hasText: 'Không lấy được hình từ camera' }).waitFor({ timeout: 15_000 });
    expect(await cameras.locator('#message').textContent()).not.toContain(CAMERA_PASSWORD);
    await cameras.click('#save');
    await cameras.locator('#message.ok').waitFor({ timeout: 5000 });
    const row = cameras.locator('#camera-table tr', { hasText: 'Ngã tư Cầu Giấy' });
    await row.waitFor({ timeout: 5000 });
    expect(await row.textContent()).toContain('rtsp://***:***@127.0.0.1:9/main');
    // Editing keeps the stored credentials: the form shows *** and sends the URL only when it changed.
    expect(await cameras.inputValue('input[name="mainUrl"]')).toBe('rtsp://***:***@127.0.0.1:9/main');
    await cameras.fill('input[name="sampleFps"]', '4');
    await cameras.click('#save');
    await cameras
      .locator('#camera-table tr', { hasText: 'Ngã tư Cầu Giấy' })
      .filter({ hasText: '4' })
      .waitFor({ timeout: 5000 });
    const stored = await t.db.pool.query('SELECT main_url FROM cameras WHERE name = $1', [
      'Ngã tư Cầu Giấy — Xuân Thủy',
    ]);
    expect(stored.rows[0].main_url).toContain(CAMERA_PASSWORD);
    expect(await cameras.content()).not.toContain(CAMERA_PASSWORD);

    const users = await open(admin, '/admin-users.html');
    await users.fill('#user-form input[name="username"]', OFFICER);
    await users.selectOption('#user-form select[name="role"]', 'police');
    await users.check('#user-form .district-ticks input[value="Cầu Giấy"]');
    expect(
      await users
        .locator('#district-list li')
        .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.district)),
    ).toEqual(['Cầu Giấy', 'Hoàn Kiếm', 'Tây Hồ']);
    await users.fill('#user-form input[name="password"]', INITIAL_PASSWORD);
    await users.click('#user-form button[type="submit"]');
    const userRow = users.locator(`#user-table tr[data-username="${OFFICER}"]`);
    await userRow.waitFor({ timeout: 5000 });
    expect(await userRow.textContent()).toContain('công an');
    expect(await userRow.textContent()).toContain('Phải đổi mật khẩu');
    await users.click('#logout');
    await users.waitForURL(/\/login\.html/, { timeout: 5000 });
    await admin.close();

    const desk = await contextAs(PHONE);
    const login = await desk.newPage();
    await login.goto(`${address}/login.html`);
    await login.fill('#username', OFFICER);
    await login.fill('#password', INITIAL_PASSWORD);
    await login.click('#submit');
    await login.waitForURL(/\/password\.html/, { timeout: 5000 });
    await login.locator('body[data-loaded="true"]').waitFor({ timeout: 5000 });
    expect(await login.locator('#forced').isVisible()).toBe(true);
    // Any other page sends the officer back here until the password is changed.
    await login.goto(`${address}/alerts.html`);
    await login.waitForURL(/\/password\.html\?next=%2Falerts\.html/, { timeout: 15_000 });
    await login.locator('body[data-loaded="true"]').waitFor({ timeout: 15_000 });
    await login.screenshot({ path: join(ARTIFACTS_DIR, 'password-forced-phone.png'), fullPage: true });
    await login.fill('#current', INITIAL_PASSWORD);
    await login.fill('#new', OWN_PASSWORD);
    await login.fill('#repeat', 'something else entirely');
    await login.click('#submit');
    expect(await login.locator('#message').textContent()).toBe('Hai lần nhập mật khẩu mới không khớp.');
    await login.fill('#repeat', OWN_PASSWORD);
    await login.click('#submit');
    await login.waitForURL(/\/alerts\.html/, { timeout: 5000 });
    const seen = await login.evaluate(async () =>
      (await (await fetch('/api/cameras')).json()).items.map((c: { name: string }) => c.name),
    );
    expect(seen).toEqual(['Ngã tư Cầu Giấy — Xuân Thủy']);
    const wall = await desk.newPage();
    await wall.goto(`${address}/wall.html`);
    await wall.locator('.tile').first().waitFor({ timeout: 5000 });
    expect(await wall.locator('.tile').count()).toBe(1);
    // The officer's header has no admin pages, and the API refuses them (and the log says so).
    expect(await wall.locator('header nav a:not([hidden])').allTextContents()).not.toContain('Người dùng');
    expect(await wall.evaluate(async () => (await fetch('/api/users')).status)).toBe(403);
    await desk.close();

    const auditor = await contextAs(WALL, t.adminSession);
    const audit = await open(auditor, '/admin-audit.html');
    const actions = await audit
      .locator('#audit-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
    expect(actions).toEqual(
      expect.arrayContaining([
        'camera.create',
        'camera.update',
        'user.create',
        'logout',
        'login',
        'password.change',
        'access.refused',
      ]),
    );
    const text = await audit.locator('#audit-table').textContent();
    expect(text).toContain('Camera Ngã tư Cầu Giấy — Xuân Thủy'); // the camera's name, not its id
    expect(text).toContain('Đổi mật khẩu');
    expect(text).toContain('Bị từ chối');
    await audit.selectOption('select[name="action"]', 'password.change');
    await audit.click('#audit-filters button[type="submit"]');
    await audit.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 1, null, {
      timeout: 5000,
    });
    expect(await audit.locator('#audit-table tbody tr').textContent()).toContain(OFFICER);
    await auditor.close();
  }, 90_000);

  it('keeps English only for a page asked with ?lang=en, and for later pages once chosen in the switch', async () => {
    const context = await contextAs(WALL, t.adminSession);
    const english = await open(context, '/admin-audit.html?lang=en');
    expect(await english.getAttribute('html', 'lang')).toBe('en');
    expect(await english.locator('h2').first().textContent()).toBe('Audit log');
    const later = await open(context, '/admin-users.html');
    expect(await later.getAttribute('html', 'lang')).toBe('vi');
    await later.click('#language');
    await later.locator('body[data-loaded="true"]').waitFor({ timeout: 5000 });
    expect(await later.getAttribute('html', 'lang')).toBe('en');
    const after = await open(context, '/admin-cameras.html');
    expect(await after.getAttribute('html', 'lang')).toBe('en');
    await context.close();
  }, 60_000);

  it('shows every new page at wall and phone size with nothing cut off', async () => {
    for (const [path, name] of [
      ['/admin-cameras.html', 'admin-cameras'],
      ['/admin-users.html', 'admin-users'],
      ['/admin-audit.html', 'admin-audit'],
      ['/password.html', 'password'],
    ] as const)
      await shoot(path, name, t.adminSession);
  }, 90_000);
});
