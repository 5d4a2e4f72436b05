// The report's figures as CSV for spreadsheets: one row per figure (section, figure, detail, value), raw
// numbers (no thousands separators) so they compute, a BOM so Excel reads the Vietnamese as UTF-8.
import type { ReportSummary } from '../store/reportData.ts';
import { ALERT_TYPE_LABELS, CLASS_LABELS, SEVERITY_LABELS, STATE_LABELS, ruleLabel, scopeLabel } from './reportText.ts';

type Row = [string, string, string, string | number | null];

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Quoted always; a leading formula character is neutralised (the files are opened in Excel).
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function renderReportCsv(summary: ReportSummary): Buffer {
  const t = summary.traffic;
  const s = summary.security;
  const rows: Row[] = [
    ['Kỳ báo cáo', 'Loại', summary.period.kind, summary.period.kind],
    ['Kỳ báo cáo', 'Từ (UTC)', '', summary.period.from],
    ['Kỳ báo cáo', 'Đến (UTC)', '', summary.period.to],
    ['Kỳ báo cáo', 'Phạm vi', '', scopeLabel(summary.district)],
    ['Giao thông', 'Tổng lượt', '', t.total],
    ['Giao thông', 'Tổng lượt kỳ trước', '', t.previousTotal],
    ['Giao thông', 'Thay đổi so với kỳ trước', 'tỷ lệ', t.changeRatio],
    ['Giao thông', 'Tỷ lệ xe máy', 'tỷ lệ', t.motorbikeShare],
    ['Giao thông', 'Giờ cao điểm', 'giờ Việt Nam', t.peakHours.join(' ')],
    ...Object.entries(t.byClass).map(([c, n]): Row => ['Giao thông', 'Theo loại phương tiện', CLASS_LABELS[c] ?? c, n]),
    ...t.lines.flatMap((l) => Object.entries(l.byClass).map(([c, n]): Row => ['Giao thông', `Tuyến ${l.lineId} – ${l.cameraName}`, CLASS_LABELS[c] ?? c, n])),
    ...Object.entries(t.byDistrict).map(([d, n]): Row => ['Giao thông', 'Theo quận, huyện', d, n]),
    ...t.byHour.map((n, hour): Row => ['Giao thông', 'Theo giờ', `${String(hour).padStart(2, '0')}:00`, n]),
    ...t.congestion.flatMap((z): Row[] => [
      ['Giao thông', 'Giờ ùn tắc theo vùng', `${z.cameraName} – ${z.zoneName}`, z.congestedHours],
      ['Giao thông', 'Giờ tắc nghẽn theo vùng', `${z.cameraName} – ${z.zoneName}`, z.jammedHours],
      ['Giao thông', 'Giờ có số liệu theo vùng', `${z.cameraName} – ${z.zoneName}`, z.hoursMeasured],
    ]),
    ['An ninh trật tự', 'Tổng số cảnh báo', '', s.total],
    ...Object.entries(s.byType).map(([k, n]): Row => ['An ninh trật tự', 'Theo loại', ALERT_TYPE_LABELS[k] ?? k, n]),
    ...Object.entries(s.bySeverity).map(([k, n]): Row => ['An ninh trật tự', 'Theo mức độ', SEVERITY_LABELS[k] ?? k, n]),
    ...Object.entries(s.byState).map(([k, n]): Row => ['An ninh trật tự', 'Theo kết quả', STATE_LABELS[k] ?? k, n]),
    ...Object.entries(s.byDistrict).map(([d, n]): Row => ['An ninh trật tự', 'Theo quận, huyện', d, n]),
    ['An ninh trật tự', 'Thời gian tiếp nhận p50', 'giây', s.ackP50S],
    ['An ninh trật tự', 'Thời gian tiếp nhận p95', 'giây', s.ackP95S],
    ...s.falseAlarms.flatMap((r): Row[] => [
      ['An ninh trật tự', 'Tỷ lệ báo nhầm theo quy tắc', `${r.cameraName} – ${ruleLabel(r)}`, r.falseAlarmShare],
      ['An ninh trật tự', 'Báo nhầm theo quy tắc', `${r.cameraName} – ${ruleLabel(r)}`, r.dismissed],
      ['An ninh trật tự', 'Xác nhận đúng theo quy tắc', `${r.cameraName} – ${ruleLabel(r)}`, r.confirmed],
    ]),
    ...summary.cameras.map((c): Row => ['Camera', c.cameraName, 'tỷ lệ hoạt động', c.uptime]),
    ...summary.cameras.map((c): Row => ['Camera', c.cameraName, 'phút mất kết nối', c.offlineMinutes]),
  ];
  const lines = ['"Mục","Chỉ tiêu","Chi tiết","Giá trị"', ...rows.map((r) => r.map(cell).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
