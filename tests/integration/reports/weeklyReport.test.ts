// The weekly report of a district from stored data, made through the API: its PDF, read back with
// pdftotext, and its CSV show the same numbers /api/counts, /api/alerts, /api/congestion and
// /api/alerts/precision answer for that range; its pages are
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
  let seeded: Awaited<ReturnType<typeof seedWeek>>;
  let text: string;
  let pdf: Buffer;
  let csv: string;

  beforeAll(async () => {
    t = await createTestApp();
    seeded = await seedWeek(t.db.pool);
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' },
    });
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
    csv = (await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/csv`, headers: t.admin })).body;
    writeFileSync(join(ARTIFACTS, 'weekly-ba-dinh.csv'), csv);
  }, 120_000);
  afterAll(async () => t?.close());

  /** The value of a CSV figure (section, figure, detail). */
  const csvValue = (section: string, figure: string, detail: string) => {
    const prefix = `"${section}","${figure}","${detail}",`;
    const line = csv.split('\r\n').find((l) => l.startsWith(prefix));
    expect(line, `a CSV row ${prefix}`).toBeDefined();
    return JSON.parse(line!.slice(prefix.length)) as string;
  };

  /** The number printed after a label on the same line (vi-VN digits: 1.234). */
  const after = (label: string, which: 'first' | 'last' = 'first') => {
    const lines = text.split('\n').filter((l) => l.includes(label));
    const line = which === 'first' ? lines[0] : lines.at(-1);
    expect(line, `a line with "${label}"`).toBeDefined();
    return line!.slice(line!.indexOf(label) + label.length);
  };

  it('archives the report with its range, maker and the sha256 of what is downloaded', async () => {
    const meta = (await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}`, headers: t.admin })).json();
    expect(meta).toMatchObject({
      kind: 'weekly',
      district: 'Ba Đình',
      periodFrom: FROM,
      periodTo: TO,
      language: 'vi',
      madeBy: t.adminSession.username,
    });
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(meta.pdfSha256);
    const csv = await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/csv`, headers: t.admin });
    expect(createHash('sha256').update(csv.rawPayload).digest('hex')).toBe(meta.csvSha256);
    expect(csv.body).toContain('"Giao thông","Tổng lượt"');
    // Made again: the archived one is answered, not a second report.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-29', district: 'Ba Đình' },
    });
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
      expect(
        after(`${CLASS_LABELS[className]} `)
          .trim()
          .split(/\s{2,}/)[0],
      ).toBe(formatCount(count));
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
    for (const [type, n] of Object.entries(byType))
      expect(
        after(ALERT_TYPE_LABELS[type]!)
          .trim()
          .split(/\s{2,}/)[0],
      ).toBe(formatCount(n));
    // Acknowledged after 1, 2, 3, 4, 6 and 10 minutes: p50 3 min 30 s.
    expect(after('Thời gian tiếp nhận (trung vị, p50):').trim()).toBe('3 phút 30 giây');
  });

  it("shows each zone's congestion hours as /api/congestion answers them hour by hour", async () => {
    const query = new URLSearchParams({ from: FROM, to: TO, bucket: '1h', district: 'Ba Đình', limit: '20000' });
    const response = await t.app.inject({ method: 'GET', url: `/api/congestion?${query}`, headers: t.admin });
    expect(response.statusCode).toBe(200);
    const zones = new Map<
      string,
      { cameraId: string; capacity: number; congested: number; jammed: number; hours: number }
    >();
    for (const row of response.json().items as {
      cameraId: string;
      zoneName: string;
      capacityVehicles: number;
      level: number;
    }[]) {
      const zone = zones.get(row.zoneName) ?? {
        cameraId: row.cameraId,
        capacity: row.capacityVehicles,
        congested: 0,
        jammed: 0,
        hours: 0,
      };
      zone.hours += 1;
      if (row.level >= 3) zone.congested += 1;
      if (row.level === 4) zone.jammed += 1;
      zones.set(row.zoneName, zone);
    }
    // The seed's week: Kim Mã heavy at 07 and 17 every day, jammed at 07 on two days; Đội Cấn at 17 on the weekend.
    expect([...zones.keys()].sort()).toEqual(['Giao lộ Kim Mã', 'Ngã ba Đội Cấn']);
    expect(zones.get('Giao lộ Kim Mã')).toMatchObject({ congested: 14, jammed: 2, hours: 56 });
    expect(zones.get('Ngã ba Đội Cấn')).toMatchObject({ congested: 2, jammed: 0 });
    const cameraName = (id: string) => (id === seeded.kimMa.id ? seeded.kimMa.name : seeded.doiCan.name);
    for (const [zoneName, zone] of zones) {
      const cells = after(zoneName, 'last')
        .trim()
        .split(/\s{2,}/);
      expect(cells.slice(0, 3)).toEqual([
        formatCount(zone.capacity),
        formatCount(zone.congested),
        formatCount(zone.jammed),
      ]);
      expect(csvValue('Giao thông', 'Giờ ùn tắc theo vùng', `${cameraName(zone.cameraId)} – ${zoneName}`)).toBe(
        String(zone.congested),
      );
      expect(csvValue('Giao thông', 'Giờ tắc nghẽn theo vùng', `${cameraName(zone.cameraId)} – ${zoneName}`)).toBe(
        String(zone.jammed),
      );
    }
    // The hours of day it happens, local time: 07:00 and 17:00 at Kim Mã, every day of the week.
    expect(after('Giao lộ Kim Mã', 'last')).toMatch(/\s07:00–08:00 \(7\)$/);
    // Neither the zone without a capacity nor Hoàn Kiếm's zone is in Ba Đình's report.
    expect(text).not.toContain('Vỉa hè');
    expect(text).not.toContain('Bờ hồ');
  });

  it("shows each rule's false-alarm share as /api/alerts/precision answers it for the week", async () => {
    const query = new URLSearchParams({ from: FROM, to: TO });
    const response = await t.app.inject({ method: 'GET', url: `/api/alerts/precision?${query}`, headers: t.admin });
    expect(response.statusCode, response.body).toBe(200);
    const rules = (
      response.json().items as {
        cameraId: string;
        cameraName: string;
        district: string;
        ruleId: string;
        type: string;
        confirmed: number;
        dismissed: number;
        unjudged: number;
        precision: number | null;
      }[]
    ).filter((r) => r.district === 'Ba Đình');
    expect(rules.length).toBeGreaterThanOrEqual(6);
    const wrongWay = rules.find((r) => r.cameraId === seeded.kimMa.id && r.ruleId === 'r-wrongWay');
    expect(wrongWay).toMatchObject({ confirmed: 1, dismissed: 1, precision: 0.5 });
    for (const rule of rules) {
      const label = rule.ruleId === 'r-wrongWay' ? 'Ngược chiều Liễu Giai' : ALERT_TYPE_LABELS[rule.type]!;
      const share = rule.precision === null ? null : rule.dismissed / (rule.confirmed + rule.dismissed);
      if (share !== null) expect(formatPercent(share)).toBe(formatPercent(1 - rule.precision!));
      // The table's row of the rule: the last line naming it (the type tables above come first).
      const cells = after(label, 'last')
        .trim()
        .split(/\s{2,}/);
      expect(cells, label).toEqual([
        formatCount(rule.confirmed),
        formatCount(rule.dismissed),
        formatCount(rule.unjudged),
        formatPercent(share),
      ]);
      expect(csvValue('An ninh trật tự', 'Tỷ lệ báo nhầm theo quy tắc', `${rule.cameraName} – ${label}`)).toBe(
        share === null ? '' : String(share),
      );
      expect(csvValue('An ninh trật tự', 'Báo nhầm theo quy tắc', `${rule.cameraName} – ${label}`)).toBe(
        String(rule.dismissed),
      );
    }
    // The precision API's range is checked like any other.
    const both = await t.app.inject({
      method: 'GET',
      url: `/api/alerts/precision?days=7&from=${FROM}`,
      headers: t.admin,
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED', field: 'days' });
    const backwards = await t.app.inject({
      method: 'GET',
      url: `/api/alerts/precision?from=${TO}&to=${FROM}`,
      headers: t.admin,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.field).toBe('to');
  });

  it('shows camera uptime from offline alerts: Đội Cấn was offline 3 hours of the week', () => {
    expect(
      after('Ngã tư Kim Mã – Liễu Giai', 'last')
        .trim()
        .split(/\s{2,}/),
    ).toEqual(['0', formatPercent(1)]);
    expect(
      after('Đội Cấn – Ngọc Hà', 'last')
        .trim()
        .split(/\s{2,}/),
    ).toEqual(['180', formatPercent(1 - 3 / (7 * 24))]);
  });

  it("is listed and downloaded within the reader's districts: another district's report is 404", async () => {
    const own = await t.loginAs('transport', ['Ba Đình']);
    const other = await t.loginAs('police', ['Hoàn Kiếm']);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/reports', headers: own.headers }))
        .json()
        .items.map((r: { id: string }) => r.id),
    ).toEqual([reportId]);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/reports/${reportId}/pdf`, headers: own.headers })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/reports', headers: other.headers })).json()).toEqual({
      items: [],
      total: 0,
    });
    for (const path of ['', '/pdf', '/csv']) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/reports/${reportId}${path}`,
        headers: other.headers,
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('IOC_REPORT_NOT_FOUND');
    }
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: other.headers,
      payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' },
    });
    expect(made.statusCode).toBe(403);
    const province = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: own.headers,
      payload: { kind: 'weekly', date: '2026-11-25', district: null },
    });
    expect(province.statusCode).toBe(403);
  });

  it('makes the province report with every district, rendered for a look beside the district one', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-25', district: null },
    });
    expect(made.statusCode).toBe(201);
    const file = await t.app.inject({ method: 'GET', url: `/api/reports/${made.json().id}/pdf`, headers: t.admin });
    const pdfPath = join(ARTIFACTS, 'weekly-province.pdf');
    writeFileSync(pdfPath, file.rawPayload);
    execFileSync('pdftoppm', ['-png', '-r', '80', pdfPath, join(ARTIFACTS, 'weekly-province')]);
    const province = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(province).toContain('Phạm vi: Toàn tỉnh');
    expect(province).toContain('Hồ Gươm – Đinh Tiên Hoàng');
    // The breakdown by district adds up to the province's figures.
    const district = (name: string) =>
      province
        .split('\n')
        .filter((l) => l.trimStart().startsWith(name))
        .at(-1)!
        .trim()
        .split(/\s{2,}/);
    expect(district('Hoàn Kiếm')).toEqual(['Hoàn Kiếm', formatCount(28_448), formatPercent(28_448 / 43_652), '1']);
    expect(district('Ba Đình')).toEqual(['Ba Đình', formatCount(15_204), formatPercent(15_204 / 43_652), '8']);
    // A district-bound reader does not see the province's report.
    const own = await t.loginAs('transport', ['Ba Đình']);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/reports/${made.json().id}/pdf`, headers: own.headers }))
        .statusCode,
    ).toBe(404);
  });

  it('is made in English on request, beside the Vietnamese one, with the same figures', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình', language: 'en' },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ language: 'en', district: 'Ba Đình', periodFrom: FROM });
    expect(made.json().id).not.toBe(reportId);
    // Vietnamese stays the default: asked without a language, the Vietnamese one is answered.
    const vi = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình' },
    });
    expect(vi.json()).toMatchObject({ id: reportId, language: 'vi' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: t.admin,
      payload: { kind: 'weekly', date: '2026-11-25', district: 'Ba Đình', language: 'fr' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'IOC_VALIDATION_FAILED' });
    expect(bad.json().error.field).toContain('language');

    const file = await t.app.inject({ method: 'GET', url: `/api/reports/${made.json().id}/pdf`, headers: t.admin });
    expect(file.headers['content-disposition']).toContain('-en.pdf');
    const pdfPath = join(ARTIFACTS, 'weekly-ba-dinh-en.pdf');
    writeFileSync(pdfPath, file.rawPayload);
    execFileSync('pdftoppm', ['-png', '-r', '80', pdfPath, join(ARTIFACTS, 'weekly-ba-dinh-en')]);
    const english = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(english).toContain('REPORT ON TRAFFIC AND PUBLIC ORDER');
    expect(english).toContain('WEEK 23/11/2026 – 29/11/2026');
    expect(english).toContain('Scope: Ba Đình');
    expect(english).not.toMatch(/TÌNH HÌNH|Tổng|Giờ|Tỷ lệ|Báo nhầm/);
    const line = (label: string) =>
      english
        .split('\n')
        .filter((l) => l.includes(label))
        .at(-1)!;
    const total = after('Tổng lượt phương tiện và người qua các tuyến đếm:').trim();
    expect(line('Vehicles and people across the counting lines:').split(':')[1]!.trim()).toBe(
      total.replace(/\./g, ','),
    );
    expect(
      line('Giao lộ Kim Mã')
        .slice(line('Giao lộ Kim Mã').indexOf('Giao lộ Kim Mã') + 14)
        .trim()
        .split(/\s{2,}/)
        .slice(0, 3),
    ).toEqual(['20', '14', '2']);
    expect(
      line('Ngược chiều Liễu Giai')
        .trim()
        .split(/\s{2,}/)
        .slice(-4),
    ).toEqual(['1', '1', '0', '50.0 %']);
    expect(line('Time to acknowledge (median, p50):')).toContain('3 min 30 s');
    const csv = await t.app.inject({ method: 'GET', url: `/api/reports/${made.json().id}/csv`, headers: t.admin });
    expect(csv.body).toContain(
      '"Traffic","Congested hours per zone","Ngã tư Kim Mã – Liễu Giai – Giao lộ Kim Mã","14"',
    );
    expect(csv.body).toContain(
      '"Public order","False-alarm share per rule","Ngã tư Kim Mã – Liễu Giai – Ngược chiều Liễu Giai","0.5"',
    );
  });
});
