// The report as a PDF a province files: the national heading, title and scope, then traffic, security and
// camera sections with ruled tables and an hourly chart, page numbers and the data range in the footer.
// Vietnamese throughout, in DejaVu Sans (embedded: every Vietnamese glyph, whatever the reader has installed).
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { ReportSummary } from '../store/reportData.ts';
import { drawTable } from './pdfTable.ts';
import {
  ALERT_TYPE_LABELS, CLASS_LABELS, CLASS_ORDER, congestedHoursText, formatChange, formatCount, formatDateTime, formatPercent, formatSeconds,
  hourRange, periodTitle, ruleLabel, scopeLabel, SEVERITY_LABELS, STATE_LABELS,
} from './reportText.ts';
import { drawHourChart } from './pdfHourChart.ts';

export interface ReportPdfInput {
  summary: ReportSummary;
  madeBy: string;
  madeAtMs: number;
  /** Folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (config reports.fontDir). */
  fontDir: string;
  /** The issuing body shown top left. */
  issuer: string;
}

const FONTS = { regular: 'dejavu', bold: 'dejavu-bold' };
const CONTENT_WIDTH = 483; // A4 595 pt less 56 pt margins each side

function heading(doc: PDFKit.PDFDocument, input: ReportPdfInput): void {
  const top = doc.y;
  const half = CONTENT_WIDTH / 2;
  doc.font(FONTS.bold).fontSize(10).text(input.issuer.toUpperCase(), 56, top, { width: half - 10, align: 'center' });
  const issuerRuleY = doc.y + 6;
  doc.moveTo(56 + (half - 10) / 2 - 40, issuerRuleY).lineTo(56 + (half - 10) / 2 + 40, issuerRuleY).lineWidth(0.6).strokeColor('#000').stroke();
  const leftBottom = doc.y;
  doc.font(FONTS.bold).fontSize(10).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 56 + half, top, { width: half, align: 'center' });
  doc.font(FONTS.bold).fontSize(10).text('Độc lập - Tự do - Hạnh phúc', { width: half, align: 'center' });
  const underlineY = doc.y + 5;
  doc.moveTo(56 + half + half / 2 - 60, underlineY).lineTo(56 + half + half / 2 + 60, underlineY).lineWidth(0.6).strokeColor('#000').stroke();
  doc.moveDown(0.6);
  doc.font(FONTS.regular).fontSize(9.5).text(`Lập lúc ${formatDateTime(input.madeAtMs)}`, 56 + half, doc.y, { width: half, align: 'center', oblique: true });
  doc.x = 56;
  doc.y = Math.max(doc.y, leftBottom) + 22;
}

function title(doc: PDFKit.PDFDocument, summary: ReportSummary): void {
  const fromMs = Date.parse(summary.period.from);
  const toMs = Date.parse(summary.period.to);
  doc.font(FONTS.bold).fontSize(15).text('BÁO CÁO TÌNH HÌNH GIAO THÔNG VÀ AN NINH TRẬT TỰ', { width: CONTENT_WIDTH, align: 'center' });
  doc.font(FONTS.bold).fontSize(12).text(periodTitle(summary.period.kind, fromMs, toMs), { width: CONTENT_WIDTH, align: 'center' });
  doc.font(FONTS.regular).fontSize(11).text(`Phạm vi: ${scopeLabel(summary.district)}`, { width: CONTENT_WIDTH, align: 'center' });
  doc.fontSize(9.5).fillColor('#444')
    .text(`Số liệu từ ${formatDateTime(fromMs)} đến ${formatDateTime(toMs)} (giờ Việt Nam), do hệ thống IOC Vision tự động tổng hợp từ camera giám sát.`, { width: CONTENT_WIDTH, align: 'center' });
  doc.fillColor('#000').moveDown(1);
}

function section(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > doc.page.height - 160) doc.addPage();
  doc.x = 56;
  doc.font(FONTS.bold).fontSize(12).fillColor('#12355b').text(text, { width: CONTENT_WIDTH });
  doc.fillColor('#000').moveDown(0.3);
}

/** A numbered sub-heading kept on the page of the table it introduces. */
function subheading(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 140) doc.addPage();
  doc.x = 56;
  doc.font(FONTS.bold).fontSize(10.5).text(text, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
}

function facts(doc: PDFKit.PDFDocument, lines: readonly [string, string][]): void {
  for (const [label, value] of lines) {
    doc.font(FONTS.regular).fontSize(10.5).text(`– ${label}: `, { continued: true, width: CONTENT_WIDTH });
    doc.font(FONTS.bold).text(value);
  }
  doc.moveDown(0.5);
}

function traffic(doc: PDFKit.PDFDocument, t: ReportSummary['traffic']): void {
  section(doc, 'I. TÌNH HÌNH GIAO THÔNG');
  facts(doc, [
    ['Tổng lượt phương tiện và người qua các tuyến đếm', formatCount(t.total)],
    ['Kỳ trước', formatCount(t.previousTotal)],
    ['Thay đổi so với kỳ trước', formatChange(t.changeRatio)],
    ['Tỷ lệ xe máy', formatPercent(t.motorbikeShare)],
    ['Giờ cao điểm', t.peakHours.length ? t.peakHours.map(hourRange).join(', ') : '—'],
  ]);
  subheading(doc, '1. Theo loại phương tiện');
  const classes = CLASS_ORDER.filter((c) => (t.byClass[c] ?? 0) > 0).concat(Object.keys(t.byClass).filter((c) => !CLASS_ORDER.includes(c)));
  drawTable(doc, [
    { header: 'Loại phương tiện', width: 223 },
    { header: 'Số lượt', width: 130, align: 'right' },
    { header: 'Tỷ lệ', width: 130, align: 'right' },
  ], [
    ...classes.map((c) => [CLASS_LABELS[c] ?? c, formatCount(t.byClass[c] ?? 0), formatPercent(t.total ? (t.byClass[c] ?? 0) / t.total : null)]),
    ['Tổng cộng', formatCount(t.total), t.total ? formatPercent(1) : '—'],
  ], FONTS);
  subheading(doc, '2. Theo tuyến đếm');
  drawTable(doc, [
    { header: 'Camera', width: 163 },
    { header: 'Tuyến', width: 60 },
    { header: 'Xe máy', width: 65, align: 'right' },
    { header: 'Ô tô con', width: 65, align: 'right' },
    { header: 'Khác', width: 60, align: 'right' },
    { header: 'Tổng', width: 70, align: 'right' },
  ], t.lines.map((l) => {
    const motorbike = l.byClass.motorbike ?? 0;
    const car = l.byClass.car ?? 0;
    return [l.cameraName, l.lineId, formatCount(motorbike), formatCount(car), formatCount(l.total - motorbike - car), formatCount(l.total)];
  }), FONTS);
  subheading(doc, '3. Lưu lượng theo giờ trong ngày (tổng cả kỳ)');
  drawHourChart(doc, t.byHour, t.peakHours, { regular: FONTS.regular, width: CONTENT_WIDTH });
  congestion(doc, t.congestion);
}

/** Hours each zone with a capacity was congested: the level /api/congestion gives each hour, counted from heavy up. */
function congestion(doc: PDFKit.PDFDocument, zones: ReportSummary['traffic']['congestion']): void {
  subheading(doc, '4. Số giờ ùn tắc theo vùng giám sát');
  drawTable(doc, [
    { header: 'Camera', width: 128 },
    { header: 'Vùng', width: 92 },
    { header: 'Sức chứa (xe)', width: 52, align: 'right' },
    { header: 'Giờ ùn tắc', width: 50, align: 'right' },
    { header: 'Giờ tắc nghẽn', width: 56, align: 'right' },
    { header: 'Thường ùn tắc lúc', width: 105, align: 'right' },
  ], zones.length
    ? zones.map((z) => [z.cameraName, z.zoneName, formatCount(z.capacityVehicles), formatCount(z.congestedHours), formatCount(z.jammedHours), congestedHoursText(z.byLocalHour)])
    : [['Chưa có vùng nào được đặt sức chứa', '—', '—', '—', '—', '—']], FONTS);
  note(doc, 'Một giờ được tính là ùn tắc khi số xe trung bình trong vùng đạt từ 60 % sức chứa trở lên (mức 3 – ùn tắc), '
    + 'là tắc nghẽn khi từ 80 % (mức 4); cùng cách tính với số liệu ùn tắc của hệ thống và ngưỡng mặc định của cảnh báo ùn tắc. '
    + 'Cột "Thường ùn tắc lúc": khung giờ (giờ Việt Nam) và số lần ùn tắc trong kỳ.');
}

/** A small grey explanation under a table. */
function note(doc: PDFKit.PDFDocument, text: string): void {
  doc.x = 56;
  doc.font(FONTS.regular).fontSize(8.5).fillColor('#444').text(text, { width: CONTENT_WIDTH });
  doc.fillColor('#000').moveDown(0.8);
}

function countTable(doc: PDFKit.PDFDocument, header: string, counts: Record<string, number>, labels: Record<string, string>, total: number): void {
  const keys = Object.keys(labels).filter((k) => counts[k]).concat(Object.keys(counts).filter((k) => !(k in labels)));
  drawTable(doc, [
    { header, width: 283 },
    { header: 'Số vụ', width: 100, align: 'right' },
    { header: 'Tỷ lệ', width: 100, align: 'right' },
  ], keys.length
    ? keys.map((k) => [labels[k] ?? k, formatCount(counts[k] ?? 0), formatPercent(total ? (counts[k] ?? 0) / total : null)])
    : [['Không có', '0', '—']], FONTS);
}

function security(doc: PDFKit.PDFDocument, s: ReportSummary['security']): void {
  section(doc, 'II. TÌNH HÌNH AN NINH TRẬT TỰ (CẢNH BÁO TỪ CAMERA)');
  facts(doc, [
    ['Tổng số cảnh báo', formatCount(s.total)],
    ['Số cảnh báo đã được tiếp nhận', formatCount(s.acknowledged)],
    ['Thời gian tiếp nhận (trung vị, p50)', formatSeconds(s.ackP50S)],
    ['Thời gian tiếp nhận (p95)', formatSeconds(s.ackP95S)],
  ]);
  subheading(doc, '1. Theo loại cảnh báo');
  countTable(doc, 'Loại cảnh báo', s.byType, ALERT_TYPE_LABELS, s.total);
  subheading(doc, '2. Theo mức độ');
  countTable(doc, 'Mức độ', s.bySeverity, SEVERITY_LABELS, s.total);
  subheading(doc, '3. Theo kết quả xử lý');
  countTable(doc, 'Kết quả', s.byState, STATE_LABELS, s.total);
  falseAlarms(doc, s.falseAlarms);
}

/** Each rule's false alarms as officers judged them: the complement of its precision. */
function falseAlarms(doc: PDFKit.PDFDocument, rules: ReportSummary['security']['falseAlarms']): void {
  subheading(doc, '4. Tỷ lệ báo nhầm theo quy tắc cảnh báo');
  drawTable(doc, [
    { header: 'Camera', width: 118 },
    { header: 'Quy tắc', width: 140 },
    { header: 'Xác nhận đúng', width: 52, align: 'right' },
    { header: 'Báo nhầm', width: 52, align: 'right' },
    { header: 'Chưa xử lý', width: 52, align: 'right' },
    { header: 'Tỷ lệ báo nhầm', width: 69, align: 'right' },
  ], rules.length
    ? rules.map((r) => [r.cameraName, ruleLabel(r), formatCount(r.confirmed), formatCount(r.dismissed), formatCount(r.unjudged), formatPercent(r.falseAlarmShare)])
    : [['Không có cảnh báo', '—', '—', '—', '—', '—']], FONTS);
  note(doc, 'Tỷ lệ báo nhầm = số cảnh báo cán bộ loại vì báo nhầm / số cảnh báo đã được xác nhận (tiếp nhận, xử lý xong) hoặc loại. '
    + 'Cảnh báo chưa ai xử lý không được tính.');
}

/** The province report's breakdown: traffic and alerts per district, busiest first. */
function districts(doc: PDFKit.PDFDocument, summary: ReportSummary): void {
  const names = [...new Set([...Object.keys(summary.traffic.byDistrict), ...Object.keys(summary.security.byDistrict)])]
    .sort((a, b) => (summary.traffic.byDistrict[b] ?? 0) - (summary.traffic.byDistrict[a] ?? 0) || a.localeCompare(b, 'vi'));
  section(doc, 'IV. THEO QUẬN, HUYỆN');
  drawTable(doc, [
    { header: 'Quận, huyện', width: 183 },
    { header: 'Lượt phương tiện', width: 110, align: 'right' },
    { header: 'Tỷ lệ', width: 90, align: 'right' },
    { header: 'Cảnh báo', width: 100, align: 'right' },
  ], names.map((name) => [
    name, formatCount(summary.traffic.byDistrict[name] ?? 0),
    formatPercent(summary.traffic.total ? (summary.traffic.byDistrict[name] ?? 0) / summary.traffic.total : null),
    formatCount(summary.security.byDistrict[name] ?? 0),
  ]), FONTS);
}

function cameras(doc: PDFKit.PDFDocument, list: ReportSummary['cameras']): void {
  section(doc, 'III. HOẠT ĐỘNG CỦA CAMERA');
  drawTable(doc, [
    { header: 'Camera', width: 243 },
    { header: 'Mất kết nối (phút)', width: 120, align: 'right' },
    { header: 'Tỷ lệ hoạt động', width: 120, align: 'right' },
  ], list.length ? list.map((c) => [c.cameraName, formatCount(c.offlineMinutes), formatPercent(c.uptime)]) : [['Không có camera', '—', '—']], FONTS);
  doc.font(FONTS.regular).fontSize(9).fillColor('#444')
    .text('Tỷ lệ hoạt động tính theo thời gian camera có cảnh báo mất kết nối trong kỳ.', { width: CONTENT_WIDTH });
  doc.fillColor('#000').moveDown(1);
}

function footers(doc: PDFKit.PDFDocument, input: ReportPdfInput): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Written inside the bottom margin: with the margin kept, pdfkit would start a new page for it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40;
    doc.moveTo(56, y - 4).lineTo(56 + CONTENT_WIDTH, y - 4).lineWidth(0.4).strokeColor('#999').stroke();
    doc.font(FONTS.regular).fontSize(8).fillColor('#555');
    doc.text(`IOC Vision · Người lập: ${input.madeBy}`, 56, y, { width: CONTENT_WIDTH / 2, lineBreak: false });
    doc.text(`Trang ${i + 1}/${range.count}`, 56 + CONTENT_WIDTH / 2, y, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}

export function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 50, bottom: 50, left: 56, right: 56 }, bufferPages: true,
    info: { Title: `Báo cáo ${periodTitle(input.summary.period.kind, Date.parse(input.summary.period.from), Date.parse(input.summary.period.to))} – ${scopeLabel(input.summary.district)}`, Author: input.madeBy, Creator: 'IOC Vision' },
  });
  doc.registerFont(FONTS.regular, join(input.fontDir, 'DejaVuSans.ttf'));
  doc.registerFont(FONTS.bold, join(input.fontDir, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  heading(doc, input);
  title(doc, input.summary);
  traffic(doc, input.summary.traffic);
  security(doc, input.summary.security);
  cameras(doc, input.summary.cameras);
  if (input.summary.district === null) districts(doc, input.summary);
  footers(doc, input);
  doc.end();
  return done;
}
