// The reports page's own UI strings (Vietnamese by default, English on request); the shared vocabulary
// (page names, roles, login) stays in i18n.js.
import { translator } from './i18n.js';

const STRINGS = {
  vi: {
    archiveTitle: 'Báo cáo đã lưu',
    makeTitle: 'Lập báo cáo',
    kind: 'Loại báo cáo',
    allKinds: 'Tất cả',
    kind_daily: 'Ngày',
    kind_weekly: 'Tuần',
    kind_monthly: 'Tháng',
    scope: 'Phạm vi',
    province: 'Toàn tỉnh',
    language: 'Ngôn ngữ',
    language_vi: 'Tiếng Việt',
    language_en: 'Tiếng Anh',
    dayInPeriod: 'Một ngày trong kỳ',
    periodHelp:
      'Báo cáo ngày, tuần (từ thứ Hai) hoặc tháng chứa ngày này, theo giờ Việt Nam. Chỉ lập được cho kỳ đã kết thúc; kỳ đã có báo cáo thì trả lại bản đã lưu.',
    periodPreview: 'Kỳ báo cáo: {range}',
    make: 'Lập báo cáo',
    making: 'Đang lập báo cáo…',
    made: 'Đã lập báo cáo {kind} {range}.',
    alreadyMade: 'Báo cáo {kind} {range} đã có sẵn trong kho lưu trữ.',
    refused: 'Không lập được báo cáo',
    refused_date: 'kỳ báo cáo này chưa kết thúc (chỉ lập được báo cáo cho kỳ đã qua) hoặc ngày không hợp lệ.',
    refused_district: 'bạn không có quyền lập báo cáo cho phạm vi này.',
    refused_other: 'máy chủ từ chối yêu cầu:',
    period: 'Kỳ số liệu',
    madeBy: 'Người lập',
    madeAt: 'Lập lúc',
    scheduler: 'Tự động theo lịch',
    fingerprint: 'Mã kiểm tra (SHA-256)',
    fingerprintHelp: 'Mã SHA-256 của tệp PDF, dùng để đối chiếu bản in với bản lưu trữ. Bấm để sao chép đủ mã.',
    copy: 'Sao chép',
    copied: 'Đã sao chép',
    files: 'Tệp',
    pdf: 'Tải PDF',
    csv: 'Tải CSV',
    noReports: 'Chưa có báo cáo nào trong phạm vi của bạn.',
    previous: 'Trang trước',
    next: 'Trang sau',
    pageOf: 'Trang {page}/{pages} · {total} báo cáo',
    loadFailed: 'Không tải được danh sách báo cáo',
  },
  en: {
    archiveTitle: 'Archived reports',
    makeTitle: 'Make a report',
    kind: 'Kind',
    allKinds: 'All',
    kind_daily: 'Daily',
    kind_weekly: 'Weekly',
    kind_monthly: 'Monthly',
    scope: 'Scope',
    province: 'Whole province',
    language: 'Language',
    language_vi: 'Vietnamese',
    language_en: 'English',
    dayInPeriod: 'A day in the period',
    periodHelp:
      'The day, week (from Monday) or month that contains this date, in Vietnam time. Only periods that have ended; a period already reported answers the archived report.',
    periodPreview: 'Report period: {range}',
    make: 'Make report',
    making: 'Making the report…',
    made: 'Made the {kind} report {range}.',
    alreadyMade: 'The {kind} report {range} was already archived.',
    refused: 'The report was not made',
    refused_date: 'this period has not ended yet, or the date is not valid. The server said:',
    refused_district: 'you have no access to this scope. The server said:',
    refused_other: 'the server refused the request:',
    period: 'Data range',
    madeBy: 'Made by',
    madeAt: 'Made at',
    scheduler: 'Scheduled',
    fingerprint: 'Checksum (SHA-256)',
    fingerprintHelp:
      'SHA-256 of the PDF, to check a printed copy against the archive. Click to copy the whole checksum.',
    copy: 'Copy',
    copied: 'Copied',
    files: 'Files',
    pdf: 'PDF',
    csv: 'CSV',
    noReports: 'No reports in your scope yet.',
    previous: 'Previous',
    next: 'Next',
    pageOf: 'Page {page}/{pages} · {total} reports',
    loadFailed: 'The report list did not load',
  },
};

export function reportTranslator(lang) {
  const shared = translator(lang);
  const table = STRINGS[lang] ?? STRINGS.vi;
  return (key, values = {}) => {
    const text = table[key] ?? STRINGS.vi[key] ?? shared(key);
    return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
  };
}
