// The weekly report of a district from stored data, made through the API: its PDF, read back with
// pdftotext, shows the same numbers /api/counts and /api/alerts answer for that range; its pages are
// rendered to PNG under artifacts/reports/ to be looked at; another district's reader gets 404.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_TYPE_LABELS, CLASS_LABELS, formatCount, formatPercent } from '../../../reports/reportText.ts';
import { createTestApp, type TestApp } from '../../support/testApp.ts';
import { seedWeek, WEEK_FROM_MS, WEEK_TO_MS } from './reportSeed.ts';

const ARTIFACTS = join(process.cwd(), 'artifacts', 'reports');
const FROM = new Date(WEEK_FROM_MS).toISOString();
const TO = new Date(WEEK_TO_MS).toISOString();

describe('weekly district report', () => {
  let t: TestApp;
  let reportId: string;
  let text: string;
  let pdf: Buffer;

  beforeAll(async () => {
    t = await createTestApp();
    await seedWeek(t.db.pool);
    const made = await t.app.inject({ method: 'POST', url: '/api/reports', headers: t.admin, payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' } });
    expect(made.statusCode, made.body).toBe(201);
    reportId = made.json().id;
    const file = await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/pdf`, headers: t.admin });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    pdf = file.rawPayload;
    mkdirSync(ARTIFACTS, { recursive: true });
    const pdfPath = join(ARTIFACTS, 'weekly-ba-dinh.pdf');
    writeFileSync(pdfPath, pdf);
    text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    writeFileSync(join(ARTIFACTS, 'weekly-ba-dinh.txt'), text);
    execFileSync('pdftoppm', ['-png', '-r', '80', pdfPath, join(ARTIFACTS, 'weekly-ba-dinh')]);
  }, 120_000);
  afterAll(async () => t?.close());

  /** The number printed after a label on the same line (vi-VN digits: 1.234). */
  const after = (label: string, which: 'first' | 'last' = 'first') => {
    const lines = text.split('\n').filter((l) => l.includes(label));
    const line = which === 'first' ? lines[0] : lines.at(-1);
    expect(line, `a line with "${label}"`).toBeDefined();
    return line!.slice(line!.indexOf(label) + label.length);
  };

  it('archives the report with its range, maker and the sha256 of what is downloaded', async () => {
    const meta = (await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}`, headers: t.admin })).json();
    expect(meta).toMatchObject({ kind: 'weekly', district: 'Ba Đình', periodFrom: FROM, periodTo: TO, language: 'vi', madeBy: t.adminSession.username });
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(meta.pdfSha256);
    const csv = await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/csv`, headers: t.admin });
    expect(createHash('sha256').update(csv.rawPayload).digest('hex')).toBe(meta.csvSha256);
    expect(csv.body).toContain('"Giao thông","Tổng lượt"');
    // Made again: the archived one is answered, not a second report.
    const again = await t.app.inject({ method: 'POST', url: '/api/reports', headers: t.admin, payload: { kind: 'weekly', date: '2026-11-29', district: 'Ba Đình' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(reportId);
  });

  it('is Vietnamese and shows the traffic /api/counts answers for the week', async () => {
    expect(text).toContain('BÁO CÁO TÌNH HÌNH GIAO THÔNG VÀ AN NINH TRẬT TỰ');
    expect(text).toContain('TUẦN 23/11/2026 – 29/11/2026');
    expect(text).toContain('Phạm vi: Ba Đình');
    const query = new URLSearchParams({ from: FROM, to: TO, bucket: '1d', district: 'Ba Đình', limit: '100000' });
    const response = await t.app.inject({ method: 'GET', url: `/api/counts?${query}`, headers: t.admin });
    const items = response.json().items as { class: string; count: number }[];
    const byClass: Record<string, number> = {};
    for (const row of items) byClass[row.class] = (byClass[row.class] ?? 0) + row.count;
    const total = Object.values(byClass).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(after('Tổng lượt phương tiện và người qua các tuyến đếm:').trim()).toBe(formatCount(total));
    for (const [className, count] of Object.entries(byClass)) {
      expect(after(`${CLASS_LABELS[className]} `).trim().split(/\s{2,}/)[0]).toBe(formatCount(count));
    }
    expect(after('Tỷ lệ xe máy:').trim()).toBe(formatPercent(byClass.motorbike! / total));
    // Hoàn Kiếm's camera is not in Ba Đình's report.
    expect(text).not.toContain('Hồ Gươm');
    expect(text).toMatch(/Giờ cao điểm:\s+07:00–08:00, 17:00–18:00/);
  });

  it('shows the alerts /api/alerts answers for the week, by type, and the time to acknowledge', async () => {
    const query = new URLSearchParams({ from: FROM, to: TO, district: 'Ba Đình', limit: '500' });
    const response = await t.app.inject({ method: 'GET', url: `/api/alerts?${query}`, headers: t.admin });
    const body = response.json() as { items: { type: string }[]; total: number };
    expect(after('Tổng số cảnh báo:').trim()).toBe(formatCount(body.total));
    const byType: Record<string, number> = {};
    for (const a of body.items) byType[a.type] = (byType[a.type] ?? 0) + 1;
    for (const [type, n] of Object.entries(byType)) expect(after(ALERT_TYPE_LABELS[type]!).trim().split(/\s{2,}/)[0]).toBe(formatCount(n));
    // Acknowledged after 1, 2, 3, 4, 6 and 10 minutes: p50 3 min 30 s.
    expect(after('Thời gian tiếp nhận (trung vị, p50):').trim()).toBe('3 phút 30 giây');
  });

  it('shows camera uptime from offline alerts: Đội Cấn was offline 3 hours of the week', () => {
    expect(after('Ngã tư Kim Mã – Liễu Giai', 'last').trim().split(/\s{2,}/)).toEqual(['0', formatPercent(1)]);
    expect(after('Đội Cấn – Ngọc Hà', 'last').trim().split(/\s{2,}/)).toEqual(['180', formatPercent(1 - 3 / (7 * 24))]);
  });

  it('is listed and downloaded within the reader\'s districts: another district\'s report is 404', async () => {
    const own = await t.loginAs('transport', ['Ba Đình']);
    const other = await t.loginAs('police', ['Hoàn Kiếm']);
    expect((await t.app.inject({ method: 'GET', url: '/api/reports', headers: own.headers })).json().items.map((r: { id: string }) => r.id)).toEqual([reportId]);
    expect((await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/pdf`, headers: own.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/reports', headers: other.headers })).json()).toEqual({ items: [], total: 0 });
    for (const path of ['', '/pdf', '/csv']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}${path}`, headers: other.headers });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('IOC_REPORT_NOT_FOUND');
    }
    const made = await t.app.inject({ method: 'POST', url: '/api/reports', headers: other.headers, payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' } });
    expect(made.statusCode).toBe(403);
    const province = await t.app.inject({ method: 'POST', url: '/api/reports', headers: own.headers, payload: { kind: 'weekly', date: '2026-11-25', district: null } });
    expect(province.statusCode).toBe(403);
  });

  it('makes the province report with every district, rendered for a look beside the district one', async () => {
    const made = await t.app.inject({ method: 'POST', url: '/api/reports', headers: t.admin, payload: { kind: 'weekly', date: '2026-11-25', district: null } });
    expect(made.statusCode).toBe(201);
    const file = await t.app.inject({ method: 'GET', url: `/api/reports/${made.json().id}/pdf`, headers: t.admin });
    const pdfPath = join(ARTIFACTS, 'weekly-province.pdf');
    writeFileSync(pdfPath, file.rawPayload);
    execFileSync('pdftoppm', ['-png', '-r', '80', pdfPath, join(ARTIFACTS, 'weekly-province')]);
    const province = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(province).toContain('Phạm vi: Toàn tỉnh');
    expect(province).toContain('Hồ Gươm – Đinh Tiên Hoàng');
    // The breakdown by district adds up to the province's figures.
    const district = (name: string) => province.split('\n').filter((l) => l.trimStart().startsWith(name)).at(-1)!.trim().split(/\s{2,}/);
    expect(district('Hoàn Kiếm')).toEqual(['Hoàn Kiếm', formatCount(28_448), formatPercent(28_448 / 43_652), '1']);
    expect(district('Ba Đình')).toEqual(['Ba Đình', formatCount(15_204), formatPercent(15_204 / 43_652), '8']);
    // A district-bound reader does not see the province's report.
    const own = await t.loginAs('transport', ['Ba Đình']);
    expect((await t.app.inject({ method: 'GET', url: `/api/reports/${made.json().id}/pdf`, headers: own.headers })).statusCode).toBe(404);
  });
});
