// A report's PDF is laid out on a thread of its own: the process that asked (the analyzer's scheduler, the
// api) keeps turning its event loop meanwhile, the file reads as the same report, and a render that fails is
// a typed error, not a crash.
// The thread stays for a run of reports and goes when idle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReportRenderError } from '../../../core/errors.ts';
import type { ReportSummary } from '../../../store/reportData.ts';
import { renderReportPdf, type ReportPdfInput } from '../../../reports/reportPdf.ts';
import { ReportPdfRenderer } from '../../../reports/reportPdfRenderer.ts';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const CLASSES = { car: 1_000, motorbike: 5_000, truck: 100, bus: 50, bicycle: 30, person: 200 };

/** A province's day over `cameras` cameras: enough rows that the layout takes a while. */
function provinceDay(cameras: number): ReportSummary {
  const names = Array.from({ length: cameras }, (_, i) => `Nút giao số ${i + 1}`);
  return {
    period: { kind: 'daily', from: '2026-12-05T17:00:00.000Z', to: '2026-12-06T17:00:00.000Z' },
    district: null,
    traffic: {
      total: 6_380 * cameras,
      previousTotal: 6_000 * cameras,
      changeRatio: 0.063,
      byClass: CLASSES,
      motorbikeShare: 0.78,
      lines: names.map((cameraName) => ({ cameraName, lineId: 'vach-dung', total: 6_380, byClass: CLASSES })),
      byDistrict: { 'Ba Đình': 4_000 * cameras, 'Hoàn Kiếm': 2_380 * cameras },
      byHour: Array.from({ length: 24 }, (_, hour) => 100 * hour),
      peakHours: [17],
      congestion: [],
    },
    security: {
      total: 3,
      byType: { wrong_way: 3 },
      bySeverity: { high: 3 },
      byState: { resolved: 3 },
      byDistrict: { 'Ba Đình': 3 },
      acknowledged: 3,
      ackP50S: 40,
      ackP95S: 180,
      falseAlarms: [],
    },
    cameras: names.map((cameraName) => ({ cameraName, offlineMinutes: 0, uptime: 1 })),
  };
}

const input = (fontDir = FONT_DIR): ReportPdfInput => ({
  summary: provinceDay(100),
  madeBy: 'scheduler',
  madeAtMs: Date.parse('2026-12-07T00:00:00Z'),
  fontDir,
  issuer: 'Sở Giao thông Vận tải',
  language: 'vi',
});

function pdfText(pdf: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ioc-report-')), 'report.pdf');
  writeFileSync(path, pdf);
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** The longest the event loop went without running a 2-ms interval while `work` ran, and how long it ran. */
async function loopStall(work: () => Promise<unknown>): Promise<{ worstGapMs: number; tookMs: number }> {
  let last = performance.now();
  let worstGapMs = 0;
  const ticking = setInterval(() => {
    const now = performance.now();
    worstGapMs = Math.max(worstGapMs, now - last);
    last = now;
  }, 2);
  const started = performance.now();
  await work();
  const tookMs = performance.now() - started;
  worstGapMs = Math.max(worstGapMs, performance.now() - last);
  clearInterval(ticking);
  return { worstGapMs, tookMs };
}

describe('report PDF rendered off the event loop', () => {
  const renderer = new ReportPdfRenderer();
  afterAll(() => renderer.close());

  it('reads as the same report as one rendered in place', async () => {
    const [offThread, inPlace] = await Promise.all([renderer.render(input()), renderReportPdf(input())]);
    expect(offThread.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(offThread);
    expect(text).toContain('Nút giao số 100');
    expect(text).toBe(pdfText(inPlace));
  });

  it('leaves the event loop free while it lays the report out', async () => {
    await renderReportPdf(input()); // fonts and modules loaded, so the in-place figure is the layout alone
    const inPlace = await loopStall(() => renderReportPdf(input()));
    const offThread = await loopStall(() => renderer.render(input()));
    // In place, the loop waits out the whole layout; off the thread it keeps ticking (gaps of a few ms).
    expect(inPlace.worstGapMs).toBeGreaterThan(inPlace.tookMs * 0.8);
    expect(offThread.worstGapMs).toBeLessThan(inPlace.tookMs / 2);
  });

  it('answers a failed render as a typed error, and renders the next report', async () => {
    const failed = renderer.render(input('/no/such/fonts'));
    await expect(failed).rejects.toBeInstanceOf(ReportRenderError);
    await expect(failed).rejects.toMatchObject({ code: 'IOC_REPORT_RENDER_FAILED', message: /no\/such\/fonts/ });
    expect(pdfText(await renderer.render(input()))).toContain('Nút giao số 1 ');
  });

  it('answers a render cut short by close() with a typed error, and renders on a new thread after it', async () => {
    const closing = new ReportPdfRenderer();
    const cut = closing.render(input());
    const closed = closing.close();
    const next = closing.render(input());
    await expect(cut).rejects.toBeInstanceOf(ReportRenderError);
    await closed;
    expect(pdfText(await next)).toContain('Nút giao số 100');
    await closing.close();
  });

  it('renders reports asked for at once, each its own, and starts again after going idle', async () => {
    const idleSoon = new ReportPdfRenderer(50);
    const oneCamera = { ...input(), summary: provinceDay(1) };
    const [many, one] = await Promise.all([idleSoon.render(input()), idleSoon.render(oneCamera)]);
    expect(pdfText(many)).toContain('Nút giao số 100');
    expect(pdfText(one)).not.toContain('Nút giao số 2');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pdfText(await idleSoon.render(oneCamera))).toContain('Nút giao số 1');
    await idleSoon.close();
  });
});
