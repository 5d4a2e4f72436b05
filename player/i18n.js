// UI strings, Vietnamese by default and English on request (?lang=en, remembered per browser).
const STRINGS = {
  vi: {
    title: 'Tường video giao thông',
    cameras: 'camera',
    live: 'Trực tiếp',
    starting: 'Đang khởi động',
    reconnecting: 'Đang kết nối lại…',
    failed: 'Mất tín hiệu',
    stopped: 'Đã tắt',
    unknown: 'Chưa rõ',
    noCameras: 'Chưa có camera nào được bật.',
    apiDown: 'Mất kết nối tới máy chủ, đang thử lại…',
    transcode: 'chuyển mã',
    language: 'English',
    overlay: 'Khung nhận dạng',
  },
  en: {
    title: 'Traffic video wall',
    cameras: 'cameras',
    live: 'Live',
    starting: 'Starting',
    reconnecting: 'Reconnecting…',
    failed: 'No signal',
    stopped: 'Disabled',
    unknown: 'Unknown',
    noCameras: 'No camera is enabled yet.',
    apiDown: 'Lost contact with the server, retrying…',
    transcode: 'transcoded',
    language: 'Tiếng Việt',
    overlay: 'Detections',
  },
};

export function currentLanguage() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'vi') {
    localStorage.setItem('ioc.lang', fromUrl);
    return fromUrl;
  }
  return localStorage.getItem('ioc.lang') === 'en' ? 'en' : 'vi';
}

export function translator(lang) {
  const table = STRINGS[lang] ?? STRINGS.vi;
  return (key) => table[key] ?? STRINGS.vi[key] ?? key;
}

/** The UI shows Asia/Ho_Chi_Minh time whatever the browser's zone; storage and API stay UTC. */
export function formatLocalTime(date, lang) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(date);
}
