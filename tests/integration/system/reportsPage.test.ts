// The reports page in headless Chromium: a Ba Đình officer sees Ba Đình's archived report and never Hoàn
// Kiếm's, downloads its PDF, makes a daily report on demand, and reads the API's refusal for a period that
// has not ended; the page is shot at wall and phone size (artifacts/reports-*.png) in both languages.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchBrowser } from '../../support/browser.ts';
import { createTestApp, type Session, type TestApp } from '../../support/testApp.ts';
import { seedWeek } from '../reports/reportSeed.ts';

const WALL = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

/** Elements wider than the screen (none on a phone-sized page). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
  });
}

describe('reports page', () => {
  let t: TestApp;
  let browser: Browser;
  let address: string;
  let officer: Session;
  let baDinhId: string;
  let hoanKiemId: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedWeek(t.db.pool);
    const make = async (payload: object) => {
      const made = await t.app.inject({ method: 'POST', url: '/api/reports', headers: t.admin, payload });
      expect(made.statusCode, made.body).toBe(201);
      return made.json().id as string;
    };
    baDinhId = await make({ kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' });
    hoanKiemId = await make({ kind: 'weekly', date: '2026-11-25', district: 'Hoàn Kiếm' });
    // The weekly reports are the scheduler's in production: the page names it, not the word "scheduler".
    await t.db.pool.query(`UPDATE reports SET made_by = 'scheduler'`);
    officer = await t.loginAs('police', ['Ba Đình']);
    address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function contextAs(viewport: { width: number; height: number }, session: Session): Promise<BrowserContext> {
    const context = await browser.newContext({
      viewport,
      isMobile: viewport.width < 500,
      hasTouch: viewport.width < 500,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      acceptDownloads: true,
    });
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

  const rowIds = (page: Page) =>
    page.locator('#reports-table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id));

  it("shows a district officer their district's report and not another district's", async () => {
    const context = await contextAs(WALL, officer);
    const page = await open(context, '/reports.html');
    expect(await page.locator('header nav a:not([hidden])').allTextContents()).toContain('Báo cáo');
    expect(await rowIds(page)).toEqual([baDinhId]);
    const text = (await page.locator('#reports-table').textContent())!;
    expect(text).toContain('Ba Đình');
    expect(text).not.toContain('Hoàn Kiếm');
    expect(text).toContain('Tuần');
    expect(text).toContain('23/11/2026 – 29/11/2026'); // Monday to Sunday, Vietnam dates, not the UTC range
    expect(text).toContain('Tự động theo lịch');
    expect(text).not.toMatch(/scheduler|weekly/);
    // Another district's file is not found even by its address.
    const other = await context.request.get(`${address}/api/reports/${hoanKiemId}/pdf`);
    expect(other.status()).toBe(404);
    // The scope to make a report in is the officer's district only.
    expect(await page.locator('#make-scope option').allTextContents()).toEqual(['Ba Đình']);
    await context.close();
  }, 60_000);

  it('downloads the PDF and the CSV of a report', async () => {
    const context = await contextAs(WALL, officer);
    const page = await open(context, '/reports.html');
    const row = page.locator(`#reports-table tr[data-id="${baDinhId}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a.download.pdf').click()]);
    const body = await readFile((await download.path())!);
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    const href = await row.locator('a.download.pdf').getAttribute('href');
    const pdf = await context.request.get(`${address}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const csv = await context.request.get(`${address}${await row.locator('a.download.csv').getAttribute('href')}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    // The whole sha256 is one click away, and it is the downloaded file's.
    expect(await row.locator('button.copy').getAttribute('title')).toBe(pdf.headers()['x-content-sha256']);
    await context.close();
  }, 60_000);

  it('makes a daily report on demand and shows the refusal of a period that has not ended', async () => {
    const context = await contextAs(WALL, officer);
    const page = await open(context, '/reports.html');
    await page.selectOption('#make-kind', 'daily');
    await page.fill('#make-form input[name="date"]', '2026-11-25');
    // The date input shows the browser's date order; the period is spelled out in Vietnamese dates beside it.
    expect(await page.locator('#make-period').textContent()).toBe('Kỳ báo cáo: 25/11/2026');
    await page.click('#make-form button[type="submit"]');
    await page.locator('#make-message.ok').waitFor({ timeout: 30_000 });
    expect(await page.locator('#make-message').textContent()).toContain('Ba Đình, 25/11/2026');
    await page.waitForFunction(() => document.querySelectorAll('#reports-table tbody tr').length === 2, null, {
      timeout: 10_000,
    });
    const made = await page.locator('#reports-table tbody tr[data-kind="daily"]').textContent();
    expect(made).toContain(officer.username);
    expect(made).toContain('Tiếng Việt');

    // The same day in English: a second document of the period, listed with its language.
    expect(await page.locator('#make-language').inputValue()).toBe('vi');
    await page.selectOption('#make-language', 'en');
    await page.click('#make-form button[type="submit"]');
    await page.waitForFunction(
      () => document.querySelectorAll('#reports-table tbody tr[data-kind="daily"]').length === 2,
      null,
      { timeout: 30_000 },
    );
    const daily = await page.locator('#reports-table tbody tr[data-kind="daily"]').allTextContents();
    expect(daily.filter((row) => row.includes('Tiếng Anh'))).toHaveLength(1);
    await page.selectOption('#make-language', 'vi');

    await page.selectOption('#make-kind', 'monthly');
    await page.fill('#make-form input[name="date"]', '2099-01-15');
    expect(await page.locator('#make-period').textContent()).toBe('Kỳ báo cáo: Tháng 01/2099');
    await page.click('#make-form button[type="submit"]');
    await page.locator('#make-message.error').waitFor({ timeout: 10_000 });
    const refusal = (await page.locator('#make-message').textContent())!;
    expect(refusal).toContain('chưa kết thúc');
    // The API's own (English) sentence stays out of the Vietnamese page, kept in the message's title.
    expect(refusal).not.toContain('the period');
    expect(await page.locator('#make-message').getAttribute('title')).toBe('the period has not ended yet (date)');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'reports-made-wall.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it("shows the API's own message on a refusal in English", async () => {
    const context = await contextAs(WALL, officer);
    const page = await open(context, '/reports.html?lang=en');
    await page.selectOption('#make-kind', 'weekly');
    await page.fill('#make-form input[name="date"]', '2099-01-15');
    expect(await page.locator('#make-period').textContent()).toBe('Report period: 12/01/2099 – 18/01/2099');
    await page.click('#make-form button[type="submit"]');
    await page.locator('#make-message.error').waitFor({ timeout: 10_000 });
    expect(await page.locator('#make-message').textContent()).toContain('the period has not ended yet (date)');
    await context.close();
  }, 60_000);

  it('shows the page at wall and phone size, in Vietnamese and English, with nothing cut off', async () => {
    for (const [size, viewport] of [
      ['wall', WALL],
      ['phone', PHONE],
    ] as const) {
      for (const lang of ['vi', 'en'] as const) {
        const context = await contextAs(viewport, officer);
        const page = await open(context, lang === 'en' ? '/reports.html?lang=en' : '/reports.html');
        await page.screenshot({
          path: join(ARTIFACTS_DIR, `reports-${size}${lang === 'en' ? '-en' : ''}.png`),
          fullPage: true,
        });
        if (size === 'phone') expect(await overflowing(page), `reports on a phone (${lang})`).toEqual([]);
        const text = (await page.locator('main').textContent())!;
        if (lang === 'en') expect(text).toContain('Archived reports');
        else expect(text).not.toMatch(/\b(Weekly|Daily|Monthly|Download|Scheduled|scheduler)\b/);
        await context.close();
      }
    }
  }, 90_000);
});
