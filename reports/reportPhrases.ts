// The fixed phrases of a report's PDF and CSV: written in Vietnamese in the renderers (the source text, as
// gettext keeps it), with their English here. A phrase missing from EN does not compile.
export const REPORT_LANGUAGES = ['vi', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

const EN = {
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM': 'SOCIALIST REPUBLIC OF VIET NAM',
  'Độc lập - Tự do - Hạnh phúc': 'Independence - Freedom - Happiness',
  'Lập lúc': 'Made at',
  'BÁO CÁO TÌNH HÌNH GIAO THÔNG VÀ AN NINH TRẬT TỰ': 'REPORT ON TRAFFIC AND PUBLIC ORDER',
  'Phạm vi': 'Scope',
  'Số liệu từ': 'Figures from',
  đến: 'to',
  '(giờ Việt Nam), do hệ thống IOC Vision tự động tổng hợp từ camera giám sát.':
    '(Vietnam time), compiled automatically by IOC Vision from surveillance cameras.',
  'I. TÌNH HÌNH GIAO THÔNG': 'I. TRAFFIC',
  'Tổng lượt phương tiện và người qua các tuyến đếm': 'Vehicles and people across the counting lines',
  'Kỳ trước': 'Previous period',
  'Thay đổi so với kỳ trước': 'Change against the previous period',
  'Tỷ lệ xe máy': 'Motorbike share',
  'Giờ cao điểm': 'Peak hours',
  '1. Theo loại phương tiện': '1. By vehicle class',
  'Loại phương tiện': 'Vehicle class',
  'Số lượt': 'Count',
  'Tỷ lệ': 'Share',
  'Tổng cộng': 'Total',
  '2. Theo tuyến đếm': '2. By counting line',
  Camera: 'Camera',
  Tuyến: 'Line',
  Khác: 'Other',
  Tổng: 'Total',
  '3. Lưu lượng theo giờ trong ngày (tổng cả kỳ)': '3. Traffic by hour of day (whole period)',
  'Giờ trong ngày (giờ Việt Nam); cột đậm: giờ cao điểm': 'Hour of day (Vietnam time); dark bars: peak hours',
  '4. Số giờ ùn tắc theo vùng giám sát': '4. Congestion hours per monitored zone',
  Vùng: 'Zone',
  'Sức chứa (xe)': 'Capacity (vehicles)',
  'Giờ ùn tắc': 'Congested hours',
  'Giờ tắc nghẽn': 'Jammed hours',
  'Thường ùn tắc lúc': 'Most often at',
  'Chưa có vùng nào được đặt sức chứa': 'No zone has a capacity set',
  CONGESTION_NOTE:
    'An hour counts as congested when the mean number of vehicles in the zone reaches 60 % of its capacity (level 3, heavy) ' +
    "and as jammed from 80 % (level 4): the system's congestion figures and the congestion alert's default threshold. " +
    '"Most often at": hour of day (Vietnam time) and how many times in the period.',
  'Số vụ': 'Alerts',
  'Không có': 'None',
  'II. TÌNH HÌNH AN NINH TRẬT TỰ (CẢNH BÁO TỪ CAMERA)': 'II. PUBLIC ORDER (CAMERA ALERTS)',
  'Tổng số cảnh báo': 'Alerts',
  'Số cảnh báo đã được tiếp nhận': 'Alerts acknowledged',
  'Thời gian tiếp nhận (trung vị, p50)': 'Time to acknowledge (median, p50)',
  'Thời gian tiếp nhận (p95)': 'Time to acknowledge (p95)',
  '1. Theo loại cảnh báo': '1. By alert type',
  'Loại cảnh báo': 'Alert type',
  '2. Theo mức độ': '2. By severity',
  'Mức độ': 'Severity',
  '3. Theo kết quả xử lý': '3. By outcome',
  'Kết quả': 'Outcome',
  '4. Tỷ lệ báo nhầm theo quy tắc cảnh báo': '4. False-alarm share per alert rule',
  'Quy tắc': 'Rule',
  'Xác nhận đúng': 'Confirmed',
  'Báo nhầm': 'False alarms',
  'Chưa xử lý': 'Not judged',
  'Tỷ lệ báo nhầm': 'False-alarm share',
  'Không có cảnh báo': 'No alerts',
  FALSE_ALARM_NOTE:
    'False-alarm share = alerts dismissed by officers as false alarms / alerts confirmed (acknowledged, resolved) or dismissed. ' +
    'Alerts nobody has judged yet are not counted.',
  'IV. THEO QUẬN, HUYỆN': 'IV. BY DISTRICT',
  'Quận, huyện': 'District',
  'Lượt phương tiện': 'Vehicles',
  'Cảnh báo': 'Alerts',
  'III. HOẠT ĐỘNG CỦA CAMERA': 'III. CAMERAS',
  'Mất kết nối (phút)': 'Offline (minutes)',
  'Tỷ lệ hoạt động': 'Uptime',
  'Không có camera': 'No cameras',
  'Tỷ lệ hoạt động tính theo thời gian camera có cảnh báo mất kết nối trong kỳ.':
    'Uptime is from the time each camera was under an offline alert in the period.',
  'Người lập': 'Made by',
  Trang: 'Page',
  'Báo cáo': 'Report',
  // CSV
  Mục: 'Section',
  'Chỉ tiêu': 'Figure',
  'Chi tiết': 'Detail',
  'Giá trị': 'Value',
  'Kỳ báo cáo': 'Period',
  Loại: 'Kind',
  'Từ (UTC)': 'From (UTC)',
  'Đến (UTC)': 'To (UTC)',
  'Giao thông': 'Traffic',
  'Tổng lượt': 'Total',
  'Tổng lượt kỳ trước': 'Previous period total',
  'tỷ lệ': 'ratio',
  'giờ Việt Nam': 'Vietnam time',
  'Theo loại phương tiện': 'By vehicle class',
  'Theo quận, huyện': 'By district',
  'Theo giờ': 'By hour',
  'Giờ ùn tắc theo vùng': 'Congested hours per zone',
  'Giờ tắc nghẽn theo vùng': 'Jammed hours per zone',
  'Giờ có số liệu theo vùng': 'Hours measured per zone',
  'An ninh trật tự': 'Public order',
  'Theo loại': 'By type',
  'Theo mức độ': 'By severity',
  'Theo kết quả': 'By outcome',
  'Thời gian tiếp nhận p50': 'Time to acknowledge p50',
  'Thời gian tiếp nhận p95': 'Time to acknowledge p95',
  giây: 'seconds',
  'Tỷ lệ báo nhầm theo quy tắc': 'False-alarm share per rule',
  'Báo nhầm theo quy tắc': 'False alarms per rule',
  'Xác nhận đúng theo quy tắc': 'Confirmed per rule',
  'tỷ lệ hoạt động': 'uptime',
  'phút mất kết nối': 'minutes offline',
} as const;

export type Phrase = keyof typeof EN;

/** The phrase in the report's language. The two notes are keyed by name; their Vietnamese is in VI_NOTES. */
export function phrases(language: ReportLanguage): (phrase: Phrase) => string {
  return language === 'en' ? (phrase) => EN[phrase] : (phrase) => VI_NOTES[phrase as keyof typeof VI_NOTES] ?? phrase;
}

const VI_NOTES = {
  CONGESTION_NOTE:
    'Một giờ được tính là ùn tắc khi số xe trung bình trong vùng đạt từ 60 % sức chứa trở lên (mức 3 – ùn tắc), ' +
    'là tắc nghẽn khi từ 80 % (mức 4); cùng cách tính với số liệu ùn tắc của hệ thống và ngưỡng mặc định của cảnh báo ùn tắc. ' +
    'Cột "Thường ùn tắc lúc": khung giờ (giờ Việt Nam) và số lần ùn tắc trong kỳ.',
  FALSE_ALARM_NOTE:
    'Tỷ lệ báo nhầm = số cảnh báo cán bộ loại vì báo nhầm / số cảnh báo đã được xác nhận (tiếp nhận, xử lý xong) hoặc loại. ' +
    'Cảnh báo chưa ai xử lý không được tính.',
} as const;
