// The words and number formats of reports, Vietnamese (the default for the IOC's documents) or English: labels
// of classes, alert types, severities and outcomes, and vi-VN numbers (1.234; 45,2 %) or en-GB ones
// (1,234; 45.2 %), dates dd/mm/yyyy in local time either way. The named exports are the Vietnamese ones.
import type { ReportKind } from '../core/reportPeriod.ts';
import { localDate, VIETNAM_OFFSET_MS } from '../core/reportPeriod.ts';
import type { ReportLanguage } from './reportPhrases.ts';

export const CLASS_LABELS: Record<string, string> = {
  motorbike: 'Xe máy',
  car: 'Ô tô con',
  bus: 'Xe buýt',
  truck: 'Xe tải',
  bicycle: 'Xe đạp',
  person: 'Người đi bộ',
};
export const CLASS_ORDER = ['motorbike', 'car', 'bus', 'truck', 'bicycle', 'person'];

export const ALERT_TYPE_LABELS: Record<string, string> = {
  crowd: 'Tụ tập đông người',
  intrusion: 'Xâm nhập khu vực cấm',
  wrongWay: 'Đi ngược chiều',
  stoppedVehicle: 'Dừng, đỗ sai quy định',
  congestion: 'Ùn tắc giao thông',
  cameraOffline: 'Camera mất kết nối',
  cameraFrozen: 'Camera đứng hình',
  cameraBlack: 'Camera bị che, tối',
  cameraViewChanged: 'Camera lệch góc quan sát',
};
export const SEVERITY_LABELS: Record<string, string> = {
  critical: 'Nghiêm trọng',
  warning: 'Cảnh báo',
  info: 'Thông tin',
};
export const STATE_LABELS: Record<string, string> = {
  new: 'Chưa tiếp nhận',
  acknowledged: 'Đã tiếp nhận, đang xử lý',
  resolved: 'Đã xử lý xong',
  dismissed: 'Báo nhầm (đã loại)',
};

const KIND_TITLES: Record<ReportKind, string> = { daily: 'NGÀY', weekly: 'TUẦN', monthly: 'THÁNG' };

const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatCount = (n: number) => integer.format(n);
export const formatPercent = (ratio: number | null) => (ratio === null ? '—' : `${decimal.format(ratio * 100)} %`);
export const formatChange = (ratio: number | null) =>
  ratio === null ? 'không có số liệu kỳ trước' : `${ratio >= 0 ? '+' : ''}${decimal.format(ratio * 100)} %`;

/** dd/mm/yyyy in local time. */
export function formatDate(ms: number): string {
  const [y, m, d] = localDate(ms).split('-');
  return `${d}/${m}/${y}`;
}

/** dd/mm/yyyy hh:mm in local time. */
export function formatDateTime(ms: number): string {
  const local = new Date(ms + VIETNAM_OFFSET_MS).toISOString();
  return `${formatDate(ms)} ${local.slice(11, 16)}`;
}

export function formatSeconds(s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return `${integer.format(Math.round(s))} giây`;
  const minutes = Math.floor(s / 60);
  const seconds = Math.round(s % 60);
  return seconds ? `${minutes} phút ${seconds} giây` : `${minutes} phút`;
}

/** "TUẦN 23/11/2026 – 29/11/2026", "NGÀY 25/11/2026", "THÁNG 11/2026". */
export function periodTitle(kind: ReportKind, fromMs: number, toMs: number): string {
  if (kind === 'daily') return `NGÀY ${formatDate(fromMs)}`;
  if (kind === 'monthly') return `THÁNG ${formatDate(fromMs).slice(3)}`;
  return `${KIND_TITLES[kind]} ${formatDate(fromMs)} – ${formatDate(toMs - 1)}`;
}

export const scopeLabel = (district: string | null) => (district === null ? 'Toàn tỉnh' : district);

export const hourRange = (hour: number) =>
  `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;

/** A rule as people know it: its name, else what it watches for. */
export const ruleLabel = (rule: { ruleName: string | null; type: string }) =>
  rule.ruleName ?? ALERT_TYPE_LABELS[rule.type] ?? rule.type;

/** The local hours of day a zone was most often congested, most first, one a line: "07:00–08:00 (5)\n17:00–18:00 (3)". */
export function congestedHoursText(byLocalHour: readonly number[], most = 3): string {
  const hours = byLocalHour
    .flatMap((n, hour) => (n > 0 ? [{ hour, n }] : []))
    .sort((a, b) => b.n - a.n || a.hour - b.hour)
    .slice(0, most);
  return hours.length ? hours.map(({ hour, n }) => `${hourRange(hour)} (${n})`).join('\n') : '—';
}

const EN_LABELS = {
  classes: {
    motorbike: 'Motorbike',
    car: 'Car',
    bus: 'Bus',
    truck: 'Truck',
    bicycle: 'Bicycle',
    person: 'Pedestrian',
  } as Record<string, string>,
  alertTypes: {
    crowd: 'Crowd gathering',
    intrusion: 'Intrusion into a restricted zone',
    wrongWay: 'Wrong-way driving',
    stoppedVehicle: 'Stopped or illegally parked vehicle',
    congestion: 'Traffic congestion',
    cameraOffline: 'Camera offline',
    cameraFrozen: 'Camera frozen',
    cameraBlack: 'Camera covered or dark',
    cameraViewChanged: 'Camera view moved',
  } as Record<string, string>,
  severities: { critical: 'Critical', warning: 'Warning', info: 'Information' } as Record<string, string>,
  states: {
    new: 'Not acknowledged',
    acknowledged: 'Acknowledged, in progress',
    resolved: 'Resolved',
    dismissed: 'False alarm (dismissed)',
  } as Record<string, string>,
};
const EN_KIND_TITLES: Record<ReportKind, string> = { daily: 'DAY', weekly: 'WEEK', monthly: 'MONTH' };
const enInteger = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const enDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Labels and formats of one language, for renderers that take the report's language. */
export interface ReportText {
  classLabels: Record<string, string>;
  alertTypeLabels: Record<string, string>;
  severityLabels: Record<string, string>;
  stateLabels: Record<string, string>;
  count(n: number): string;
  percent(ratio: number | null): string;
  change(ratio: number | null): string;
  seconds(s: number | null): string;
  dateTime(ms: number): string;
  periodTitle(kind: ReportKind, fromMs: number, toMs: number): string;
  scope(district: string | null): string;
  ruleLabel(rule: { ruleName: string | null; type: string }): string;
}

const VI_TEXT: ReportText = {
  classLabels: CLASS_LABELS,
  alertTypeLabels: ALERT_TYPE_LABELS,
  severityLabels: SEVERITY_LABELS,
  stateLabels: STATE_LABELS,
  count: formatCount,
  percent: formatPercent,
  change: formatChange,
  seconds: formatSeconds,
  dateTime: formatDateTime,
  periodTitle,
  scope: scopeLabel,
  ruleLabel,
};

const EN_TEXT: ReportText = {
  classLabels: EN_LABELS.classes,
  alertTypeLabels: EN_LABELS.alertTypes,
  severityLabels: EN_LABELS.severities,
  stateLabels: EN_LABELS.states,
  count: (n) => enInteger.format(n),
  percent: (ratio) => (ratio === null ? '—' : `${enDecimal.format(ratio * 100)} %`),
  change: (ratio) =>
    ratio === null
      ? 'no figures for the previous period'
      : `${ratio >= 0 ? '+' : ''}${enDecimal.format(ratio * 100)} %`,
  seconds: (s) => {
    if (s === null) return '—';
    if (s < 60) return `${enInteger.format(Math.round(s))} s`;
    const minutes = Math.floor(s / 60);
    const seconds = Math.round(s % 60);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  },
  dateTime: formatDateTime,
  periodTitle: (kind, fromMs, toMs) => {
    if (kind === 'daily') return `${EN_KIND_TITLES.daily} ${formatDate(fromMs)}`;
    if (kind === 'monthly') return `${EN_KIND_TITLES.monthly} ${formatDate(fromMs).slice(3)}`;
    return `${EN_KIND_TITLES[kind]} ${formatDate(fromMs)} – ${formatDate(toMs - 1)}`;
  },
  scope: (district) => (district === null ? 'Whole province' : district),
  ruleLabel: (rule) => rule.ruleName ?? EN_LABELS.alertTypes[rule.type] ?? rule.type,
};

export const reportText = (language: ReportLanguage): ReportText => (language === 'en' ? EN_TEXT : VI_TEXT);
