// The police alerts console in headless Chromium: an alert raised through the real store and announced on
// the alerts channel (what the analyzer does) shows up live within 2 s and 'a' acknowledges it through the
// API; refusals are shown, a dismissal asks its reason, the evidence plays, the filters hold the live feed
// too, and a phone-sized screen gets one column with nothing overflowing.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AlertMessage, AlertSignal, AlertType, Severity } from '../../../core/alerts.ts';
import { AlertStore, type SignalCamera } from '../../../store/alerts.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, type Session, type TestApp } from '../../support/testApp.ts';
import { redisChannels } from '../../../core/redis.ts';

const DISTRICT = 'Hoàn Kiếm';
const CAMERA_PASSWORD = 'Mat-khau.Cam-2026';

/** Elements wider than the screen (none on a phone-sized page), and the page's own scroll width. */
async function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, width, wide };
  });
}

describe('alerts console', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;
  let store: AlertStore;
  let police: Session;
  let camera: SignalCamera;
  let raisedCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    store = new AlertStore(t.db.pool);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/cameras',
      headers: t.admin,
      payload: {
        name: 'Ngã tư Hàng Bài',
        mainUrl: `rtsp://admin:${CAMERA_PASSWORD}@127.0.0.1:9/hangbai`,
        district: DISTRICT,
        enabled: false,
      },
    });
    expect(created.statusCode).toBe(201);
    camera = { id: created.json().id, name: 'Ngã tư Hàng Bài', district: DISTRICT };
    police = await t.loginAs('police', [DISTRICT]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** What the analyzer does: apply a 'raise' signal through the store, publish each change on the alerts channel. */
  async function raise(type: AlertType, severity: Severity, summary: string): Promise<string> {
    const nowMs = Date.now();
    const subject = `track:${++raisedCount}`;
    const signal: AlertSignal = {
      kind: 'raise',
      key: `${camera.id}:${type}-rule:${subject}:${nowMs}`,
      cameraId: camera.id,
      ruleId: `${type}-rule`,
      type,
      severity,
      subject,
      startedAtMs: nowMs - 1500,
      atMs: nowMs,
      summary,
      details: { className: 'person', dwellS: 1.5 },
    };
    const changes = await store.applySignals(camera, [signal]);
    expect(changes.map((c) => c.event)).toEqual(['raised']);
    for (const change of changes) {
      const message: AlertMessage = { type: 'alert', event: change.event, alert: change.alert };
      await t.redis.publish(redisChannels.alerts(t.redisPrefix), JSON.stringify(message));
    }
    return changes[0]!.alert.id;
  }

  async function openConsole(viewport: { width: number; height: number }, as: Session = police): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      isMobile: viewport.width < 500,
      hasTouch: viewport.width < 500,
    });
    await context.addCookies([
      { name: 'ioc_session', value: as.token, url: address, httpOnly: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    await page.goto(`${address}/alerts.html`);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 10_000 });
    await page.locator('#feed-state[data-state="live"]').waitFor({ timeout: 10_000 });
    return page;
  }

  async function stateThroughApi(id: string): Promise<string> {
    const response = await t.app.inject({ method: 'GET', url: `/api/alerts/${id}`, headers: police.headers });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    return (body.alert ?? body).state; // {alert, history, deliveries}
  }

  it('shows an alert raised by the analyzer within 2 s and acknowledges it with the "a" key', async () => {
    const page = await openConsole({ width: 1440, height: 900 });
    expect(await page.locator('header nav a:not([hidden])').allTextContents()).toContain('Cảnh báo');

    const raisedAtMs = Date.now();
    const id = await raise('intrusion', 'critical', 'person inside restricted zone "gate"');
    const row = page.locator(`#alert-list li[data-alert-id="${id}"]`);
    await row.waitFor({ timeout: 2000 });
    expect(Date.now() - raisedAtMs).toBeLessThan(2000);
    expect(await page.locator('#alert-list li').first().getAttribute('data-alert-id')).toBe(id); // newest first
    expect(await row.textContent()).toContain('Xâm nhập vùng cấm');
    expect(await row.getAttribute('data-severity')).toBe('critical');
    expect(await row.getAttribute('data-state')).toBe('new');
    // The alarm sounded for the critical alert (Chromium runs audio without a gesture under the test flags).
    await page.waitForFunction(() => Number(document.getElementById('mute')!.dataset.beeps ?? 0) >= 1, null, {
      timeout: 2000,
    });

    await row.click();
    await page.locator(`#detail[data-alert-id="${id}"] #detail-title`).waitFor({ timeout: 2000 });
    await page.locator('#detail-history li[data-action="raised"]').waitFor({ timeout: 5000 });
    // The facts as a Vietnamese sentence (the engine's English summary is not what an officer reads).
    expect(await page.locator('#detail-summary').getAttribute('lang')).toBe('vi');
    expect(await page.locator('#detail-summary').textContent()).toMatch(/^Người vào khu vực cấm/);
    await page.keyboard.press('a');
    await page.locator('#detail-state[data-state="acknowledged"]').waitFor({ timeout: 5000 });
    await page.locator(`#alert-list li[data-alert-id="${id}"][data-state="acknowledged"]`).waitFor({ timeout: 2000 });
    expect(await stateThroughApi(id)).toBe('acknowledged');
    await page
      .locator('#detail-history li[data-action="acknowledged"]', { hasText: police.username })
      .waitFor({ timeout: 5000 });
    expect(await page.content()).not.toContain(CAMERA_PASSWORD);
    // The rule's figures are written the Vietnamese way, as on every page in Vietnamese.
    expect(await page.locator('#detail-facts').textContent()).toContain('1,5');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'alerts-console.png') });
    await page.context().close();
  });

  it('shows what the API refuses, then asks the reason before dismissing a false alarm', async () => {
    const page = await openConsole({ width: 1280, height: 800 });
    const id = await raise('stoppedVehicle', 'warning', 'car stopped 75 s in no-stopping zone');
    await page.locator(`#alert-list li[data-alert-id="${id}"]`).waitFor({ timeout: 2000 });
    await page.keyboard.press('j'); // nothing selected yet: j selects the newest
    await page.locator(`#detail[data-alert-id="${id}"] #detail-state[data-state="new"]`).waitFor({ timeout: 2000 });

    // Another officer acknowledged it a moment ago and the page has not heard yet: the API refuses, the page
    // says so in the API's words and shows the alert as it now is.
    await store.transition(id, 'acknowledge', { kind: 'user', name: 'truc-ban-2' });
    await page.keyboard.press('a');
    const message = page.locator('#action-message[data-code="IOC_ALERT_TRANSITION_INVALID"]');
    await message.waitFor({ timeout: 5000 });
    expect(await message.textContent()).toMatch(/^Không thực hiện được: .*acknowledged/);
    await page.locator('#detail-state[data-state="acknowledged"]').waitFor({ timeout: 5000 });
    await page
      .locator('#detail-history li[data-action="acknowledged"]', { hasText: 'truc-ban-2' })
      .waitFor({ timeout: 5000 });

    await page.keyboard.press('d');
    const dialog = page.locator('#prompt[open]');
    await dialog.waitFor({ timeout: 2000 });
    await page.keyboard.press('Enter'); // no reason: the dialog stays and says so
    expect(await dialog.locator('.error').textContent()).toBe('Vui lòng nhập nội dung.');
    await dialog.locator('textarea').fill('Xe cứu thương đang làm nhiệm vụ');
    await page.keyboard.press('Enter');
    await page.locator('#detail-state[data-state="dismissed"]').waitFor({ timeout: 5000 });
    expect(await stateThroughApi(id)).toBe('dismissed');
    await page
      .locator('#detail-facts dd[data-field="resolutionNote"]', { hasText: 'Xe cứu thương đang làm nhiệm vụ' })
      .waitFor({ timeout: 2000 });
    expect(await page.locator('#act-resolve').isDisabled()).toBe(true); // dismissed is final
    // The dismissal shows in the rule's precision at once: acknowledged, then judged a false alarm: 0 of 1.
    await page
      .locator('#precision tr[data-rule="stoppedVehicle-rule"] .precision-value[data-precision="0"]')
      .waitFor({ state: 'attached', timeout: 5000 });
    await page.context().close();
  });

  it('shows the evidence once the analyzer has kept it: the snapshot, and the clip played with hls.js when asked', async () => {
    const page = await openConsole({ width: 1280, height: 800 });
    const id = await raise('crowd', 'warning', '31 people in zone "market" for 12 s');
    await page.locator(`#alert-list li[data-alert-id="${id}"]`).click();
    await page.locator('#clip[data-clip-state="pending"]').waitFor({ timeout: 5000 });

    // What the analyzer keeps after the raise: the snapshot, then a short HLS clip around the event, announced as an update.
    const jpeg = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 40, g: 90, b: 160 } } })
      .jpeg()
      .toBuffer();
    await store.putSnapshot(id, jpeg, Date.now());
    const clipDir = join(t.evidenceRoot, id);
    await mkdir(clipDir, { recursive: true });
    await promisify(execFile)('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=320x180:rate=10',
      '-t',
      '4',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '10',
      '-f',
      'hls',
      '-hls_time',
      '1',
      '-hls_playlist_type',
      'vod',
      '-hls_segment_filename',
      join(clipDir, 'seg_%03d.ts'),
      join(clipDir, 'index.m3u8'),
    ]);
    await store.setClipState(id, 'ready');
    const updated: AlertMessage = { type: 'alert', event: 'updated', alert: await store.get(id) };
    await t.redis.publish(redisChannels.alerts(t.redisPrefix), JSON.stringify(updated));

    await page.waitForFunction(
      () => (document.querySelector('#snapshot img') as HTMLImageElement | null)?.naturalWidth === 640,
      null,
      { timeout: 5000 },
    );
    await page.locator('#clip .play-clip').click();
    await page.waitForFunction(
      () => (document.querySelector('#clip video') as HTMLVideoElement | null)?.currentTime! > 1,
      null,
      { timeout: 10_000 },
    );
    // Each viewing is on the alert's record, under the officer's name.
    await page
      .locator('#detail-history li[data-action="clipViewed"]', { hasText: police.username })
      .waitFor({ timeout: 5000 });
    expect(
      await page.locator('#detail-history li[data-action="snapshotViewed"]', { hasText: police.username }).count(),
    ).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'alerts-console-evidence.png') });
    await page.context().close();
  });

  it('holds the live feed to the filters as it holds the list', async () => {
    const page = await openConsole({ width: 1280, height: 800 });
    await page.locator('#filters select[name="type"]').selectOption('crowd');
    const hidden = await raise('wrongWay', 'warning', 'motorbike against the one-way line');
    const shown = await raise('crowd', 'warning', '23 people in zone "square" for 10 s');
    // Pub/sub keeps order: once the crowd alert is on screen, the wrong-way one was seen and left out.
    await page.locator(`#alert-list li[data-alert-id="${shown}"]`).waitFor({ timeout: 2000 });
    expect(await page.locator(`#alert-list li[data-alert-id="${hidden}"]`).count()).toBe(0);
    expect(new Set(await page.locator('#alert-list li .row-type').allTextContents())).toEqual(
      new Set(['Tụ tập đông người']),
    );
    await page.context().close();
  });

  it('lets a transport officer read the alerts without acting on them or opening their evidence', async () => {
    const transport = await t.loginAs('transport', [DISTRICT]);
    const page = await openConsole({ width: 1280, height: 800 }, transport);
    const id = await raise('congestion', 'info', 'zone "junction" jammed (level 4) for 120 s');
    await page.locator(`#alert-list li[data-alert-id="${id}"]`).click();
    await page
      .locator(`#detail[data-alert-id="${id}"] #detail-history li[data-action="raised"]`)
      .waitFor({ timeout: 5000 });
    expect(await page.locator('#detail .actions').isHidden()).toBe(true);
    expect(await page.locator('#detail .evidence').isHidden()).toBe(true);
    await page.keyboard.press('a');
    await page.keyboard.press('d');
    expect(await page.locator('#prompt[open]').count()).toBe(0);
    expect(await stateThroughApi(id)).toBe('new');
    await page.context().close();
  });

  it('fits a phone screen: one column, nothing wider than the screen, the detail full screen with a back button', async () => {
    const page = await openConsole({ width: 390, height: 844 });
    const list = page.locator('#alert-list');
    await list.locator('li').first().waitFor({ timeout: 5000 });
    expect(await list.isVisible()).toBe(true);
    const overflow = await horizontalOverflow(page);
    expect(overflow.wide).toEqual([]);
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.width);
    const listBox = (await list.boundingBox())!;
    expect(listBox.width).toBeGreaterThan(300); // one column: the list has the screen's width
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'alerts-console-phone.png'), fullPage: false });

    await list.locator('li').first().click();
    const detail = page.locator('#detail');
    await detail.locator('#detail-title').waitFor({ timeout: 2000 });
    const detailBox = (await detail.boundingBox())!;
    expect(detailBox.width).toBeGreaterThanOrEqual(389);
    expect((await horizontalOverflow(page)).wide).toEqual([]);
    await page.locator('#back').click();
    await detail.waitFor({ state: 'hidden', timeout: 2000 });
    await page.context().close();
  });
});
