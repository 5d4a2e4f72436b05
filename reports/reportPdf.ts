// The report as a PDF a province files: the national heading, title and scope, then traffic, security and
// camera sections with ruled tables and an hourly chart, page numbers and the data range in the footer.
// Vietnamese by default (or English), in DejaVu Sans (embedded: every Vietnamese glyph, whatever the reader has installed).
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { ReportSummary } from '../store/reportData.ts';
import { drawTable } from './pdfTable.ts';
import { phrases, type Phrase, type ReportLanguage } from './reportPhrases.ts';
import { CLASS_ORDER, congestedHoursText, hourRange, reportText, type ReportText } from './reportText.ts';
import { drawHourChart } from './pdfHourChart.ts';

export interface ReportPdfInput {
  summary: ReportSummary;
  madeBy: string;
  madeAtMs: number;
  /** Folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf (config reports.fontDir). */
  fontDir: string;
  /** The issuing body shown top left. */
  issuer: string;
  /** Vietnamese by default. Names (cameras, zones, districts, rules, the issuer) stay as stored. */
  language?: ReportLanguage;
}

/** The report's language: its phrases and its labels and number formats. */
interface Language {
  w: (phrase: Phrase) => string;
  f: ReportText;
}

const FONTS = { regular: 'dejavu', bold: 'dejavu-bold' };
const CONTENT_WIDTH = 483; // A4 595 pt less 56 pt margins each side

function heading(doc: PDFKit.PDFDocument, L: Language, input: ReportPdfInput): void {
  const top = doc.y;
  const half = CONTENT_WIDTH / 2;
  doc
    .font(FONTS.bold)
    .fontSize(10)
    .text(input.issuer.toUpperCase(), 56, top, { width: half - 10, align: 'center' });
  const issuerRuleY = doc.y + 6;
  doc
    .moveTo(56 + (half - 10) / 2 - 40, issuerRuleY)
    .lineTo(56 + (half - 10) / 2 + 40, issuerRuleY)
    .lineWidth(0.6)
    .strokeColor('#000')
    .stroke();
  const leftBottom = doc.y;
  doc
    .font(FONTS.bold)
    .fontSize(10)
    .text(L.w('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'), 56 + half, top, { width: half, align: 'center' });
  doc.font(FONTS.bold).fontSize(10).text(L.w('Độc lập - Tự do - Hạnh phúc'), { width: half, align: 'center' });
  const underlineY = doc.y + 5;
  doc
    .moveTo(56 + half + half / 2 - 60, underlineY)
    .lineTo(56 + half + half / 2 + 60, underlineY)
    .lineWidth(0.6)
    .strokeColor('#000')
    .stroke();
  doc.moveDown(0.6);
  doc
    .font(FONTS.regular)
    .fontSize(9.5)
    .text(`${L.w('Lập lúc')} ${L.f.dateTime(input.madeAtMs)}`, 56 + half, doc.y, {
      width: half,
      align: 'center',
      oblique: true,
    });
  doc.x = 56;
  doc.y = Math.max(doc.y, leftBottom) + 22;
}

function title(doc: PDFKit.PDFDocument, L: Language, summary: ReportSummary): void {
  const fromMs = Date.parse(summary.period.from);
  const toMs = Date.parse(summary.period.to);
  doc
    .font(FONTS.bold)
    .fontSize(15)
    .text(L.w('BÁO CÁO TÌNH HÌNH GIAO THÔNG VÀ AN NINH TRẬT TỰ'), { width: CONTENT_WIDTH, align: 'center' });
  doc
    .font(FONTS.bold)
    .fontSize(12)
    .text(L.f.periodTitle(summary.period.kind, fromMs, toMs), { width: CONTENT_WIDTH, align: 'center' });
  doc
    .font(FONTS.regular)
    .fontSize(11)
    .text(`${L.w('Phạm vi')}: ${L.f.scope(summary.district)}`, { width: CONTENT_WIDTH, align: 'center' });
  doc
    .fontSize(9.5)
    .fillColor('#444')
    .text(
      `${L.w('Số liệu từ')} ${L.f.dateTime(fromMs)} ${L.w('đến')} ${L.f.dateTime(toMs)} ${L.w('(giờ Việt Nam), do hệ thống IOC Vision tự động tổng hợp từ camera giám sát.')}`,
      { width: CONTENT_WIDTH, align: 'center' },
    );
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

function traffic(doc: PDFKit.PDFDocument, L: Language, t: ReportSummary['traffic']): void {
  section(doc, L.w('I. TÌNH HÌNH GIAO THÔNG'));
  facts(doc, [
    [L.w('Tổng lượt phương tiện và người qua các tuyến đếm'), L.f.count(t.total)],
    [L.w('Kỳ trước'), L.f.count(t.previousTotal)],
    [L.w('Thay đổi so với kỳ trước'), L.f.change(t.changeRatio)],
    [L.w('Tỷ lệ xe máy'), L.f.percent(t.motorbikeShare)],
    [L.w('Giờ cao điểm'), t.peakHours.length ? t.peakHours.map(hourRange).join(', ') : '—'],
  ]);
  subheading(doc, L.w('1. Theo loại phương tiện'));
  const classes = CLASS_ORDER.filter((c) => (t.byClass[c] ?? 0) > 0).concat(
    Object.keys(t.byClass).filter((c) => !CLASS_ORDER.includes(c)),
  );
  drawTable(
    doc,
    [
      { header: L.w('Loại phương tiện'), width: 223 },
      { header: L.w('Số lượt'), width: 130, align: 'right' },
      { header: L.w('Tỷ lệ'), width: 130, align: 'right' },
    ],
    [
      ...classes.map((c) => [
        L.f.classLabels[c] ?? c,
        L.f.count(t.byClass[c] ?? 0),
        L.f.percent(t.total ? (t.byClass[c] ?? 0) / t.total : null),
      ]),
      [L.w('Tổng cộng'), L.f.count(t.total), t.total ? L.f.percent(1) : '—'],
    ],
    FONTS,
  );
  subheading(doc, L.w('2. Theo tuyến đếm'));
  drawTable(
    doc,
    [
      { header: L.w('Camera'), width: 163 },
      { header: L.w('Tuyến'), width: 60 },
      { header: L.f.classLabels.motorbike!, width: 65, align: 'right' },
      { header: L.f.classLabels.car!, width: 65, align: 'right' },
      { header: L.w('Khác'), width: 60, align: 'right' },
      { header: L.w('Tổng'), width: 70, align: 'right' },
    ],
    t.lines.map((l) => {
      const motorbike = l.byClass.motorbike ?? 0;
      const car = l.byClass.car ?? 0;
      return [
        l.cameraName,
        l.lineId,
        L.f.count(motorbike),
        L.f.count(car),
        L.f.count(l.total - motorbike - car),
        L.f.count(l.total),
      ];
    }),
    FONTS,
  );
  subheading(doc, L.w('3. Lưu lượng theo giờ trong ngày (tổng cả kỳ)'));
  drawHourChart(doc, t.byHour, t.peakHours, {
    regular: FONTS.regular,
    width: CONTENT_WIDTH,
    caption: L.w('Giờ trong ngày (giờ Việt Nam); cột đậm: giờ cao điểm'),
  });
  congestion(doc, L, t.congestion);
}

/** Hours each zone with a capacity was congested: the level /api/congestion gives each hour, counted from heavy up. */
function congestion(doc: PDFKit.PDFDocument, L: Language, zones: ReportSummary['traffic']['congestion']): void {
  subheading(doc, L.w('4. Số giờ ùn tắc theo vùng giám sát'));
  drawTable(
    doc,
    [
      { header: L.w('Camera'), width: 128 },
      { header: L.w('Vùng'), width: 92 },
      { header: L.w('Sức chứa (xe)'), width: 52, align: 'right' },
      { header: L.w('Giờ ùn tắc'), width: 50, align: 'right' },
      { header: L.w('Giờ tắc nghẽn'), width: 56, align: 'right' },
      { header: L.w('Thường ùn tắc lúc'), width: 105, align: 'right' },
    ],
    zones.length
      ? zones.map((z) => [
          z.cameraName,
          z.zoneName,
          L.f.count(z.capacityVehicles),
          L.f.count(z.congestedHours),
          L.f.count(z.jammedHours),
          congestedHoursText(z.byLocalHour),
        ])
      : [[L.w('Chưa có vùng nào được đặt sức chứa'), '—', '—', '—', '—', '—']],
    FONTS,
  );
  note(doc, L.w('CONGESTION_NOTE'));
}

/** A small grey explanation under a table. */
function note(doc: PDFKit.PDFDocument, text: string): void {
  doc.x = 56;
  doc.font(FONTS.regular).fontSize(8.5).fillColor('#444').text(text, { width: CONTENT_WIDTH });
  doc.fillColor('#000').moveDown(0.8);
}

function countTable(
  doc: PDFKit.PDFDocument,
  L: Language,
  header: string,
  counts: Record<string, number>,
  labels: Record<string, string>,
  total: number,
): void {
  const keys = Object.keys(labels)
    .filter((k) => counts[k])
    .concat(Object.keys(counts).filter((k) => !(k in labels)));
  drawTable(
    doc,
    [
      { header, width: 283 },
      { header: L.w('Số vụ'), width: 100, align: 'right' },
      { header: L.w('Tỷ lệ'), width: 100, align: 'right' },
    ],
    keys.length
      ? keys.map((k) => [
          labels[k] ?? k,
          L.f.count(counts[k] ?? 0),
          L.f.percent(total ? (counts[k] ?? 0) / total : null),
        ])
      : [[L.w('Không có'), '0', '—']],
    FONTS,
  );
}

function security(doc: PDFKit.PDFDocument, L: Language, s: ReportSummary['security']): void {
  section(doc, L.w('II. TÌNH HÌNH AN NINH TRẬT TỰ (CẢNH BÁO TỪ CAMERA)'));
  facts(doc, [
    [L.w('Tổng số cảnh báo'), L.f.count(s.total)],
    [L.w('Số cảnh báo đã được tiếp nhận'), L.f.count(s.acknowledged)],
    [L.w('Thời gian tiếp nhận (trung vị, p50)'), L.f.seconds(s.ackP50S)],
    [L.w('Thời gian tiếp nhận (p95)'), L.f.seconds(s.ackP95S)],
  ]);
  subheading(doc, L.w('1. Theo loại cảnh báo'));
  countTable(doc, L, L.w('Loại cảnh báo'), s.byType, L.f.alertTypeLabels, s.total);
  subheading(doc, L.w('2. Theo mức độ'));
  countTable(doc, L, L.w('Mức độ'), s.bySeverity, L.f.severityLabels, s.total);
  subheading(doc, L.w('3. Theo kết quả xử lý'));
  countTable(doc, L, L.w('Kết quả'), s.byState, L.f.stateLabels, s.total);
  falseAlarms(doc, L, s.falseAlarms);
}

/** Each rule's false alarms as officers judged them: the complement of its precision. */
function falseAlarms(doc: PDFKit.PDFDocument, L: Language, rules: ReportSummary['security']['falseAlarms']): void {
  subheading(doc, L.w('4. Tỷ lệ báo nhầm theo quy tắc cảnh báo'));
  drawTable(
    doc,
    [
      { header: L.w('Camera'), width: 118 },
      { header: L.w('Quy tắc'), width: 140 },
      { header: L.w('Xác nhận đúng'), width: 52, align: 'right' },
      { header: L.w('Báo nhầm'), width: 52, align: 'right' },
      { header: L.w('Chưa xử lý'), width: 52, align: 'right' },
      { header: L.w('Tỷ lệ báo nhầm'), width: 69, align: 'right' },
    ],
    rules.length
      ? rules.map((r) => [
          r.cameraName,
          L.f.ruleLabel(r),
          L.f.count(r.confirmed),
          L.f.count(r.dismissed),
          L.f.count(r.unjudged),
          L.f.percent(r.falseAlarmShare),
        ])
      : [[L.w('Không có cảnh báo'), '—', '—', '—', '—', '—']],
    FONTS,
  );
  note(doc, L.w('FALSE_ALARM_NOTE'));
}

/** The province report's breakdown: traffic and alerts per district, busiest first. */
function districts(doc: PDFKit.PDFDocument, L: Language, summary: ReportSummary): void {
  const names = [
    ...new Set([...Object.keys(summary.traffic.byDistrict), ...Object.keys(summary.security.byDistrict)]),
  ].sort(
    (a, b) => (summary.traffic.byDistrict[b] ?? 0) - (summary.traffic.byDistrict[a] ?? 0) || a.localeCompare(b, 'vi'),
  );
  section(doc, L.w('IV. THEO QUẬN, HUYỆN'));
  drawTable(
    doc,
    [
      { header: L.w('Quận, huyện'), width: 183 },
      { header: L.w('Lượt phương tiện'), width: 110, align: 'right' },
      { header: L.w('Tỷ lệ'), width: 90, align: 'right' },
      { header: L.w('Cảnh báo'), width: 100, align: 'right' },
    ],
    names.map((name) => [
      name,
      L.f.count(summary.traffic.byDistrict[name] ?? 0),
      L.f.percent(summary.traffic.total ? (summary.traffic.byDistrict[name] ?? 0) / summary.traffic.total : null),
      L.f.count(summary.security.byDistrict[name] ?? 0),
    ]),
    FONTS,
  );
}

function cameras(doc: PDFKit.PDFDocument, L: Language, list: ReportSummary['cameras']): void {
  section(doc, L.w('III. HOẠT ĐỘNG CỦA CAMERA'));
  drawTable(
    doc,
    [
      { header: L.w('Camera'), width: 243 },
      { header: L.w('Mất kết nối (phút)'), width: 120, align: 'right' },
      { header: L.w('Tỷ lệ hoạt động'), width: 120, align: 'right' },
    ],
    list.length
      ? list.map((c) => [c.cameraName, L.f.count(c.offlineMinutes), L.f.percent(c.uptime)])
      : [[L.w('Không có camera'), '—', '—']],
    FONTS,
  );
  doc
    .font(FONTS.regular)
    .fontSize(9)
    .fillColor('#444')
    .text(L.w('Tỷ lệ hoạt động tính theo thời gian camera có cảnh báo mất kết nối trong kỳ.'), {
      width: CONTENT_WIDTH,
    });
  doc.fillColor('#000').moveDown(1);
}

function footers(doc: PDFKit.PDFDocument, L: Language, input: ReportPdfInput): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Written inside the bottom margin: with the margin kept, pdfkit would start a new page for it.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40;
    doc
      .moveTo(56, y - 4)
      .lineTo(56 + CONTENT_WIDTH, y - 4)
      .lineWidth(0.4)
      .strokeColor('#999')
      .stroke();
    doc.font(FONTS.regular).fontSize(8).fillColor('#555');
    doc.text(`IOC Vision · ${L.w('Người lập')}: ${input.madeBy}`, 56, y, {
      width: CONTENT_WIDTH / 2,
      lineBreak: false,
    });
    doc.text(`${L.w('Trang')} ${i + 1}/${range.count}`, 56 + CONTENT_WIDTH / 2, y, {
      width: CONTENT_WIDTH / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
  }
}

export function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  const L: Language = { w: phrases(input.language ?? 'vi'), f: reportText(input.language ?? 'vi') };
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: 56, right: 56 },
    bufferPages: true,
    info: {
      Title: `${L.w('Báo cáo')} ${L.f.periodTitle(input.summary.period.kind, Date.parse(input.summary.period.from), Date.parse(input.summary.period.to))} – ${L.f.scope(input.summary.district)}`,
      Author: input.madeBy,
      Creator: 'IOC Vision',
    },
  });
  doc.registerFont(FONTS.regular, join(input.fontDir, 'DejaVuSans.ttf'));
  doc.registerFont(FONTS.bold, join(input.fontDir, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  heading(doc, L, input);
  title(doc, L, input.summary);
  traffic(doc, L, input.summary.traffic);
  security(doc, L, input.summary.security);
  cameras(doc, L, input.summary.cameras);
  if (input.summary.district === null) districts(doc, L, input.summary);
  footers(doc, L, input);
  doc.end();
  return done;
}
