// An alert's facts as one sentence in the console's language (Vietnamese by default): the browser's copy of
// core/alertMessage.ts, which the API, webhooks and snapshot captions use. Keep the two phrase tables in step.

export const ALERT_LANGS = ['vi', 'en'];

const CLASS_NAMES = {
  person: { vi: 'người', en: 'person' },
  bicycle: { vi: 'xe đạp', en: 'bicycle' },
  motorbike: { vi: 'xe máy', en: 'motorbike' },
  car: { vi: 'ô tô', en: 'car' },
  bus: { vi: 'xe buýt', en: 'bus' },
  truck: { vi: 'xe tải', en: 'truck' },
  vehicle: { vi: 'phương tiện', en: 'vehicle' },
};

/** A class's name in both languages; null (no clear majority) is "vehicle". */
export function vehicleName(className) {
  return CLASS_NAMES[className ?? 'vehicle'] ?? CLASS_NAMES.vehicle;
}

/** 'Motorbike' / 'Xe máy': the class name at the head of a sentence. */
export function subjectName(className, lang) {
  const name = vehicleName(className)[lang];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** 've-phia-camera' → 've phia camera': no better source than the slug itself. */
export function humanise(slug) {
  return slug.replace(/[-_]+/g, ' ').trim();
}

/** The alert as one sentence for a duty officer, in `lang`. */
export function alertMessage(alert, lang = 'vi') {
  const d = alert.details;
  const vi = lang === 'vi';
  const subject = () => {
    const name = vehicleName(d.className)[lang];
    const capital = name.charAt(0).toUpperCase() + name.slice(1);
    return d.trackId === undefined || d.trackId === null ? capital : `${capital} #${d.trackId}`;
  };
  const zone = String(d.zoneName ?? d.zoneId ?? '');
  const line = String(d.lineName ?? d.lineId ?? '');
  // Figures the way the reader writes them: vi 21,5 and 1.234, en 21.5 and 1,234 (as every page does).
  const figure = (value) => new Intl.NumberFormat(vi ? 'vi-VN' : 'en-US', { maximumFractionDigits: 1 }).format(value);
  const kmh = typeof d.speedKmh === 'number' ? `, ${figure(d.speedKmh)} km/h` : '';
  switch (alert.type) {
    case 'wrongWay': {
      if (d.lineId !== undefined && d.lineId !== null) {
        const direction = String(d.directionName ?? humanise(String(d.direction ?? '')));
        return vi
          ? `${subject()} đi ngược chiều qua ${line} (${direction}${kmh})`
          : `${subject()} crossed ${line} the wrong way (${direction}${kmh})`;
      }
      const distance =
        typeof d.againstDistance === 'number' ? ` ${figure(d.againstDistance)} ${d.distanceUnit ?? 'm'}` : '';
      return vi
        ? `${subject()} đi ngược chiều làn trong ${zone}${distance ? ` (${distance.trim()})` : ''}`
        : `${subject()} moving against the lane in ${zone}${distance ? ` (${distance.trim()})` : ''}`;
    }
    case 'intrusion':
      return vi ? `${subject()} vào khu vực cấm ${zone}` : `${subject()} in restricted zone ${zone}`;
    case 'stoppedVehicle': {
      const seconds = typeof d.stoppedS === 'number' ? Math.round(d.stoppedS) : null;
      return vi
        ? `${subject()} dừng trong ${zone}${seconds === null ? '' : ` ${seconds} giây`}`
        : `${subject()} stopped in ${zone}${seconds === null ? '' : ` for ${seconds} s`}`;
    }
    case 'crowd':
      return vi ? `Tụ tập ${d.people ?? '?'} người trong ${zone}` : `Crowd of ${d.people ?? '?'} people in ${zone}`;
    case 'congestion':
      return vi
        ? `Ùn tắc mức ${d.level ?? '?'} trong ${zone}: ${d.vehicles ?? '?'} phương tiện`
        : `Congestion level ${d.level ?? '?'} in ${zone}: ${d.vehicles ?? '?'} vehicles`;
    case 'cameraOffline':
      return vi
        ? `Camera mất tín hiệu${typeof d.offlineS === 'number' ? ` ${figure(d.offlineS)} giây` : ''}`
        : `Camera offline${typeof d.offlineS === 'number' ? ` for ${figure(d.offlineS)} s` : ''}`;
    case 'cameraFrozen':
      return vi ? 'Hình ảnh camera bị đứng' : 'Camera image frozen';
    case 'cameraBlack':
      return vi ? 'Hình ảnh camera tối đen hoặc bị che' : 'Camera image black or covered';
    case 'cameraViewChanged':
      return vi ? 'Góc nhìn camera bị thay đổi' : 'Camera view changed';
    default:
      return alert.summary ?? '';
  }
}

/** The reader's language from a query value or an Accept-Language header: English only when asked. */
export function langOf(value) {
  return value && /^en\b/i.test(value.trim()) ? 'en' : 'vi';
}
