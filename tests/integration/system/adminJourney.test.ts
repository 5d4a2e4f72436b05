// The admin's and the desk's pages in one scenario on the whole system (api + ingest, a real RTSP camera):
// the first admin logs in and must change the password, adds a camera (a still from the connection test),
// draws its counting line on the live still, sets a wrong-way rule on it, creates a district's police user and
// logs out; the officer must change the password too and sees only their district's cameras and alerts; the
// audit log shows every step. Each page visited is shot at wall and phone size (artifacts/journey-*.png).
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AlertSignal } from '../../../core/alerts.ts';
import { createLogger } from '../../../core/logger.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { openDatabase, type Database } from '../../../store/database.ts';
import { DistrictRepository } from '../../../store/districts.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { startRtspServer, type RtspServer } from '../../../harness/rtspServer.ts';
import { SYSTEM_ADMIN, startSystem, waitFor, type SystemUnderTest } from '../../support/systemHarness.ts';

const WALL = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const CAMERA_PASSWORD = 'Cam-Xuan-Thuy-2026';
const ADMIN_OWN_PASSWORD = 'Quan-tri-tinh-rieng-01';
const OFFICER = 'canhsat.caugiay';
const OFFICER_INITIAL = 'Mat-khau-ban-dau-01';
const OFFICER_OWN = 'Mat-khau-rieng-cua-toi-02';
const CAMERA = 'Ngã tư Cầu Giấy — Xuân Thủy';
const OTHER_CAMERA = 'Hồ Hoàn Kiếm — Đinh Tiên Hoàng';
const LINE = 'Vạch dừng Xuân Thủy';

/** Elements wider than the screen (none on a phone-sized page). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
  });
}

describe("the admin's and the desk's journey", () => {
  let rtsp: RtspServer;
  let system: SystemUnderTest;
  let db: Database;
  let browser: Browser;
  const shots: string[] = [];

  beforeAll(async () => {
    system = await startSystem({}, { firstAdminReady: false });
    rtsp = await startRtspServer({ mounts: { xuanthuy: resolve(system.config.assetsDir, 'video/vn_traffic.mp4') } });
    db = await openDatabase(system.config.database, createLogger({ level: 'silent' }));
    const districts = new DistrictRepository(db.pool);
    for (const name of ['Cầu Giấy', 'Hoàn Kiếm', 'Tây Hồ']) await districts.add(name);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await db?.close();
    await system?.close();
    await rtsp?.stop();
  });

  /** The page as it is now, at wall size and at phone size (full page), then back to wall size. */
  async function shoot(page: Page, name: string) {
    await page.setViewportSize(WALL);
    await page.screenshot({ path: join(ARTIFACTS_DIR, `journey-${name}-wall.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(ARTIFACTS_DIR, `journey-${name}-phone.png`), fullPage: true });
    expect(await overflowing(page), `${name} on a phone`).toEqual([]);
    await page.setViewportSize(WALL);
    expect(await page.content()).not.toContain(CAMERA_PASSWORD);
    shots.push(name);
  }

  async function newContext(): Promise<BrowserContext> {
    return browser.newContext({ viewport: WALL, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  }

  async function loaded(page: Page) {
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 15_000 });
  }

  /** The login page, then the password page it must lead to, changed from `initial` to `own`. */
  async function firstLogin(page: Page, username: string, initial: string, own: string, next: RegExp) {
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(initial);
    await shoot(page, `login-${username}`);
    await page.click('#submit');
    await page.waitForURL(/\/password\.html\?next=/, { timeout: 10_000 });
    await loaded(page);
    expect(await page.locator('#forced').isVisible()).toBe(true);
    // The API itself refuses anything else until then, not only the page.
    const refused = await page.evaluate(async () => {
      const response = await fetch('/api/cameras');
      return { status: response.status, code: (await response.json()).error?.code };
    });
    expect(refused).toEqual({ status: 403, code: 'IOC_PASSWORD_CHANGE_REQUIRED' });
    await shoot(page, `password-${username}`);
    await page.fill('#current', initial);
    await page.fill('#new', own);
    await page.fill('#repeat', own);
    await page.click('#submit');
    await page.waitForURL(next, { timeout: 10_000 });
  }

  /** A bearer session of its own for the checks through the API (taken after the change, so not ended by it). */
  async function api(username: string, password: string) {
    const login = await fetch(`${system.api.url}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { token: string }).token;
    return async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${system.api.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, json: (await response.json().catch(() => null)) as any };
    };
  }

  it("takes an admin from first login to a wrong-way rule and a police user, and the officer to their own district's alerts", async () => {
    const started = Date.now();
    // 1. The first admin: login with the password from config, made to change it.
    const adminContext = await newContext();
    const admin = await adminContext.newPage();
    await admin.goto(`${system.api.url}/admin-cameras.html`);
    await admin.waitForURL(/\/login\.html/, { timeout: 10_000 });
    await firstLogin(admin, SYSTEM_ADMIN.username, SYSTEM_ADMIN.password, ADMIN_OWN_PASSWORD, /\/admin-cameras\.html$/);
    const asAdmin = await api(SYSTEM_ADMIN.username, ADMIN_OWN_PASSWORD);
    const other = await asAdmin('/api/cameras', {
      method: 'POST',
      body: { name: OTHER_CAMERA, mainUrl: 'rtsp://127.0.0.1:9/hk', district: 'Hoàn Kiếm', enabled: false },
    });
    expect(other.status).toBe(201);

    // 2. Add the camera; the connection test shows a still of the RTSP camera before it is saved.
    await loaded(admin);
    await admin.reload();
    await loaded(admin);
    await admin.fill('input[name="name"]', CAMERA);
    await admin.selectOption('select[name="district"]', 'Cầu Giấy');
    await admin.fill('input[name="mainUrl"]', rtsp.url('xuanthuy', { user: 'admin', password: CAMERA_PASSWORD }));
    await admin.fill('input[name="sampleFps"]', '2');
    await admin.click('#test');
    await admin
      .locator('#message.ok', { hasText: 'Kết nối được' })
      .waitFor({ timeout: 20_000 })
      .catch(async () => {
        throw new Error(`connection test: ${await admin.locator('#message').textContent()}`);
      });
    await admin.waitForFunction(
      () => {
        const still = document.getElementById('still') as HTMLImageElement;
        return !document.getElementById('still-box')!.hidden && still.complete && still.naturalWidth >= 640;
      },
      null,
      { timeout: 10_000 },
    );
    await admin.click('#save');
    await admin.locator('#message.ok', { hasText: 'Đã lưu' }).waitFor({ timeout: 10_000 });
    const row = admin.locator('#camera-table tbody tr', { hasText: CAMERA });
    await row.waitFor({ timeout: 5000 });
    const cameraId = (await row.getAttribute('data-camera-id'))!;
    await admin.locator('#test').click(); // the still again, this time of the saved camera, for the screenshot
    await admin.locator('#message.ok', { hasText: 'Kết nối được' }).waitFor({ timeout: 20_000 });
    await shoot(admin, 'admin-cameras');

    // 3. The setup page draws the counting line with the mouse on a still of the live view.
    await waitFor(
      'a live still of the new camera',
      async () => (await asAdmin(`/api/cameras/${cameraId}/frame.jpg`)).status === 200 || null,
      30_000,
      250,
    );
    // From the camera's row: its setup page opens on it.
    await admin.locator('#camera-table tbody tr', { hasText: CAMERA }).locator('a.setup-link').click();
    await admin.waitForURL(/\/setup\.html\?camera=/);
    await loaded(admin);
    expect(await admin.inputValue('#camera')).toBe(cameraId);
    await admin.waitForFunction(() => (document.getElementById('frame') as HTMLCanvasElement).width === 1920, null, {
      timeout: 15_000,
    });
    await admin.locator('#draw-line').click();
    const box = (await admin.locator('#frame').boundingBox())!;
    const from = { x: box.x + box.width * 0.2, y: box.y + box.height * 0.6 };
    const to = { x: box.x + box.width * 0.85, y: box.y + box.height * 0.55 };
    await admin.mouse.click(from.x, from.y);
    await admin.mouse.click(to.x, to.y);
    await admin.locator('#finish').click();
    const lineRow = admin.locator('#lines li').first();
    await lineRow.locator('input').first().fill(LINE);
    await lineRow.locator('input').first().dispatchEvent('change');
    for (const [key, shown] of [
      ['leftToRight', 'về phía Cầu Giấy'],
      ['rightToLeft', 'về phía Xuân Thủy'],
    ] as const) {
      await lineRow.locator(`input[data-direction-name="${key}"]`).fill(shown);
      await lineRow.locator(`input[data-direction-name="${key}"]`).dispatchEvent('change');
    }
    await admin.locator('#save').click();
    await admin.locator('#message', { hasText: 'Đã lưu' }).waitFor({ timeout: 5000 });
    await shoot(admin, 'setup');
    const analysis = (await asAdmin(`/api/cameras/${cameraId}/analysis`)).json;
    expect([analysis.widthPx, analysis.heightPx]).toEqual([1920, 1080]);
    expect(analysis.lines).toHaveLength(1);
    const line = analysis.lines[0];
    expect(line.name).toBe(LINE);
    // Stored in the camera's own pixels: where the mouse clicked, scaled from the canvas as shown.
    const sourcePx = (p: { x: number; y: number }) => ({
      x: ((p.x - box.x) / box.width) * 1920,
      y: ((p.y - box.y) / box.height) * 1080,
    });
    for (const [stored, clicked] of [
      [line.points[0], sourcePx(from)],
      [line.points[1], sourcePx(to)],
    ]) {
      expect(Math.abs(stored.x - clicked.x)).toBeLessThanOrEqual(2);
      expect(Math.abs(stored.y - clicked.y)).toBeLessThanOrEqual(2);
    }
    expect(line.directionNames).toEqual({ leftToRight: 'về phía Cầu Giấy', rightToLeft: 'về phía Xuân Thủy' });
    expect(line.directions).toEqual({ leftToRight: 'vao', rightToLeft: 'ra' }); // the page's codes: Vietnamese words without diacritics (they go into MQTT topics, CSV and URLs)

    // 4. A wrong-way rule on that line, from the rules page.
    await admin.click('header nav a[href="/admin-rules.html"]');
    await admin.waitForURL(/\/admin-rules\.html/);
    await loaded(admin);
    await admin.selectOption('#camera', cameraId);
    await admin.locator('#no-geometry[hidden]').waitFor({ state: 'attached', timeout: 5000 });
    await admin.selectOption('#new-type', 'wrongWay');
    await admin.click('#add');
    const rule = admin.locator('fieldset.rule[data-type="wrongWay"]');
    await rule.locator('input[name="name"]').fill('Cấm đi ngược về phía Xuân Thủy');
    expect(await rule.locator('select[name="lineId"] option').allTextContents()).toEqual(['— Chọn —', LINE]);
    await rule.locator('select[name="lineId"]').selectOption({ label: LINE });
    // The directions are offered by the names an officer reads.
    const direction = admin.locator('fieldset.rule[data-type="wrongWay"] select[name="forbiddenDirection"]');
    await direction.locator('option', { hasText: 'về phía Xuân Thủy' }).waitFor({ state: 'attached', timeout: 5000 });
    expect(await direction.locator('option').allTextContents()).toEqual([
      '— Chọn —',
      'về phía Cầu Giấy (vao)',
      'về phía Xuân Thủy (ra)',
    ]);
    await direction.selectOption({ label: 'về phía Xuân Thủy (ra)' });
    await admin.click('#save');
    await admin.locator('#message.ok').waitFor({ timeout: 5000 });
    await shoot(admin, 'admin-rules');
    const rules = (await asAdmin(`/api/cameras/${cameraId}/alert-rules`)).json.rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'wrongWay', lineId: line.id, forbiddenDirection: 'ra' }),
      ]),
    );

    // 5. A police user for Cầu Giấy, then logout.
    await admin.click('header nav a[href="/admin-users.html"]');
    await admin.waitForURL(/\/admin-users\.html/);
    await loaded(admin);
    await admin.fill('#user-form input[name="username"]', OFFICER);
    await admin.selectOption('#user-form select[name="role"]', 'police');
    await admin.check('#user-form .district-ticks input[value="Cầu Giấy"]');
    await admin.fill('#user-form input[name="password"]', OFFICER_INITIAL);
    await admin.click('#user-form button[type="submit"]');
    const userRow = admin.locator(`#user-table tr[data-username="${OFFICER}"]`);
    await userRow.waitFor({ timeout: 5000 });
    expect(await userRow.textContent()).toContain('Phải đổi mật khẩu');
    await shoot(admin, 'admin-users');
    await admin.click('#logout');
    await admin.waitForURL(/\/login\.html/, { timeout: 5000 });
    await adminContext.close();

    // Alerts on both districts' cameras, raised through the store as the analyzer does.
    const store = new AlertStore(db.pool);
    const nowMs = Date.now();
    const raise = (camera: { id: string; name: string; district: string }, signal: Partial<AlertSignal>) =>
      store.applySignals(camera, [
        {
          kind: 'raise',
          key: `${camera.id}:${signal.ruleId}:track:1:${nowMs}`,
          cameraId: camera.id,
          subject: 'track:1',
          startedAtMs: nowMs - 2000,
          atMs: nowMs,
          severity: 'warning',
          summary: '',
          ...signal,
        } as AlertSignal,
      ]);
    await raise(
      { id: cameraId, name: CAMERA, district: 'Cầu Giấy' },
      {
        ruleId: rules[0].id,
        type: 'wrongWay',
        details: {
          className: 'motorbike',
          trackId: 7,
          lineId: line.id,
          lineName: LINE,
          direction: line.directions.rightToLeft,
          directionName: 'về phía Xuân Thủy',
        },
      },
    );
    await raise(
      { id: other.json.id, name: OTHER_CAMERA, district: 'Hoàn Kiếm' },
      {
        ruleId: 'intrusion-1',
        type: 'intrusion',
        severity: 'critical',
        details: { className: 'person', zoneId: 'bo-ho', zoneName: 'Bờ hồ' },
      },
    );

    // 6. The officer: made to change the password, then only Cầu Giấy's cameras and alerts.
    const deskContext = await newContext();
    const desk = await deskContext.newPage();
    await desk.goto(`${system.api.url}/alerts.html`);
    await desk.waitForURL(/\/login\.html/, { timeout: 10_000 });
    await firstLogin(desk, OFFICER, OFFICER_INITIAL, OFFICER_OWN, /\/alerts\.html$/);
    await loaded(desk);
    const alertRows = desk.locator('#alert-list li');
    await alertRows.first().waitFor({ timeout: 10_000 });
    expect(await alertRows.locator('.row-where').allTextContents()).toEqual([`${CAMERA} · Cầu Giấy`]);
    expect(await alertRows.first().textContent()).toContain('ngược chiều');
    expect(await desk.content()).not.toContain(OTHER_CAMERA);
    await shoot(desk, 'alerts-police');
    await desk.click('header nav a[href="/wall.html"]');
    await desk.waitForURL(/\/wall\.html/);
    await desk.locator('figure.tile').first().waitFor({ timeout: 10_000 });
    // Shot once the picture plays, not while the tile is still black.
    await desk.waitForFunction(
      () => (document.querySelector('figure.tile video') as HTMLVideoElement | null)?.currentTime! > 0.5,
      null,
      { timeout: 30_000 },
    );
    expect(
      await desk.locator('figure.tile').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-camera-id'))),
    ).toEqual([cameraId]);
    expect(await desk.locator('header nav a:not([hidden])').allTextContents()).not.toContain('Người dùng');
    await shoot(desk, 'wall-police');
    await deskContext.close();

    // 7. The audit log page, as the admin again: every step, by names.
    const auditContext = await newContext();
    const audit = await auditContext.newPage();
    await audit.goto(`${system.api.url}/admin-audit.html`);
    await audit.waitForURL(/\/login\.html/, { timeout: 10_000 });
    await audit.fill('#username', SYSTEM_ADMIN.username);
    await audit.fill('#password', ADMIN_OWN_PASSWORD);
    await audit.click('#submit');
    await audit.waitForURL(/\/admin-audit\.html$/, { timeout: 10_000 });
    await loaded(audit);
    const entries = await audit.locator('#audit-table tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        action: (r as HTMLElement).dataset.action!,
        text: r.textContent ?? '',
        shown: (r as HTMLTableRowElement).cells[2]?.textContent ?? '',
      })),
    );
    // Every action in words, none as the API's identifier (camera.probe, access.refused…).
    expect(entries.filter((e) => e.shown === e.action).map((e) => e.action)).toEqual([]);
    const step = (action: string, ...words: string[]) =>
      entries.some((e) => e.action === action && words.every((w) => e.text.includes(w)));
    expect(step('camera.create', CAMERA), 'camera created').toBe(true);
    expect(step('analysis.update', CAMERA), 'geometry saved').toBe(true);
    expect(step('alert.rules.update', CAMERA), 'rule saved').toBe(true);
    expect(step('user.create', OFFICER), 'user created').toBe(true);
    expect(step('password.change', SYSTEM_ADMIN.username), 'admin password changed').toBe(true);
    expect(step('password.change', OFFICER), 'officer password changed').toBe(true);
    expect(step('login', OFFICER), 'officer login').toBe(true);
    expect(step('login', SYSTEM_ADMIN.username), 'admin login').toBe(true);
    expect(step('logout', SYSTEM_ADMIN.username), 'admin logout').toBe(true);
    // Names, never ids: no camera or user id appears anywhere on the page.
    expect(await audit.locator('#audit-table').textContent()).not.toContain(cameraId);
    await shoot(audit, 'admin-audit');
    await auditContext.close();
    expect(shots).toHaveLength(11);
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 180_000);
});
