// The report's figures as CSV for spreadsheets: one row per figure (section, figure, detail, value), raw
// numbers (no thousands separators) so they compute, a BOM so Excel reads the Vietnamese as UTF-8; words
// in the report's language (Vietnamese by default).
import type { ReportSummary } from '../store/reportData.ts';
import { phrases, type ReportLanguage } from './reportPhrases.ts';
import { reportText } from './reportText.ts';

type Row = [string, string, string, string | number | null];

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quoted always; a leading formula character is neutralised (the files are opened in Excel).
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function renderReportCsv(summary: ReportSummary, language: ReportLanguage = 'vi'): Buffer {
  const w = phrases(language);
  const f = reportText(language);
  const t = summary.traffic;
  const s = summary.security;
  const rows: Row[] = [
    [w('Kỳ báo cáo'), w('Loại'), summary.period.kind, summary.period.kind],
    [w('Kỳ báo cáo'), w('Từ (UTC)'), '', summary.period.from],
    [w('Kỳ báo cáo'), w('Đến (UTC)'), '', summary.period.to],
    [w('Kỳ báo cáo'), w('Phạm vi'), '', f.scope(summary.district)],
    [w('Giao thông'), w('Tổng lượt'), '', t.total],
    [w('Giao thông'), w('Tổng lượt kỳ trước'), '', t.previousTotal],
    [w('Giao thông'), w('Thay đổi so với kỳ trước'), w('tỷ lệ'), t.changeRatio],
    [w('Giao thông'), w('Tỷ lệ xe máy'), w('tỷ lệ'), t.motorbikeShare],
    [w('Giao thông'), w('Giờ cao điểm'), w('giờ Việt Nam'), t.peakHours.join(' ')],
    ...Object.entries(t.byClass).map(([c, n]): Row => [
      w('Giao thông'),
      w('Theo loại phương tiện'),
      f.classLabels[c] ?? c,
      n,
    ]),
    ...t.lines.flatMap((l) =>
      Object.entries(l.byClass).map(([c, n]): Row => [
        w('Giao thông'),
        `${w('Tuyến')} ${l.lineId} – ${l.cameraName}`,
        f.classLabels[c] ?? c,
        n,
      ]),
    ),
    ...Object.entries(t.byDistrict).map(([d, n]): Row => [w('Giao thông'), w('Theo quận, huyện'), d, n]),
    ...t.byHour.map((n, hour): Row => [w('Giao thông'), w('Theo giờ'), `${String(hour).padStart(2, '0')}:00`, n]),
    ...t.congestion.flatMap((z): Row[] => [
      [w('Giao thông'), w('Giờ ùn tắc theo vùng'), `${z.cameraName} – ${z.zoneName}`, z.congestedHours],
      [w('Giao thông'), w('Giờ tắc nghẽn theo vùng'), `${z.cameraName} – ${z.zoneName}`, z.jammedHours],
      [w('Giao thông'), w('Giờ có số liệu theo vùng'), `${z.cameraName} – ${z.zoneName}`, z.hoursMeasured],
    ]),
    [w('An ninh trật tự'), w('Tổng số cảnh báo'), '', s.total],
    ...Object.entries(s.byType).map(([k, n]): Row => [
      w('An ninh trật tự'),
      w('Theo loại'),
      f.alertTypeLabels[k] ?? k,
      n,
    ]),
    ...Object.entries(s.bySeverity).map(([k, n]): Row => [
      w('An ninh trật tự'),
      w('Theo mức độ'),
      f.severityLabels[k] ?? k,
      n,
    ]),
    ...Object.entries(s.byState).map(([k, n]): Row => [
      w('An ninh trật tự'),
      w('Theo kết quả'),
      f.stateLabels[k] ?? k,
      n,
    ]),
    ...Object.entries(s.byDistrict).map(([d, n]): Row => [w('An ninh trật tự'), w('Theo quận, huyện'), d, n]),
    [w('An ninh trật tự'), w('Thời gian tiếp nhận p50'), w('giây'), s.ackP50S],
    [w('An ninh trật tự'), w('Thời gian tiếp nhận p95'), w('giây'), s.ackP95S],
    ...s.falseAlarms.flatMap((r): Row[] => [
      [
        w('An ninh trật tự'),
        w('Tỷ lệ báo nhầm theo quy tắc'),
        `${r.cameraName} – ${f.ruleLabel(r)}`,
        r.falseAlarmShare,
      ],
      [w('An ninh trật tự'), w('Báo nhầm theo quy tắc'), `${r.cameraName} – ${f.ruleLabel(r)}`, r.dismissed],
      [w('An ninh trật tự'), w('Xác nhận đúng theo quy tắc'), `${r.cameraName} – ${f.ruleLabel(r)}`, r.confirmed],
    ]),
    ...summary.cameras.map((c): Row => [w('Camera'), c.cameraName, w('tỷ lệ hoạt động'), c.uptime]),
    ...summary.cameras.map((c): Row => [w('Camera'), c.cameraName, w('phút mất kết nối'), c.offlineMinutes]),
  ];
  const lines = [
    [w('Mục'), w('Chỉ tiêu'), w('Chi tiết'), w('Giá trị')].map(cell).join(','),
    ...rows.map((r) => r.map(cell).join(',')),
  ];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
