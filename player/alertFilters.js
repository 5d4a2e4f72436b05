// The console's filters (type, state, severity, district, camera, time range, free text): one source of
// truth that builds the API query for the list and the predicate the live feed is held to, so both agree.

import { alertMessage } from './alertMessage.js';
import { currentLanguage } from './i18n.js';

// Mirrors core/alerts.ts (player/ imports nothing server-side).
export const ALERT_TYPES = [
  'crowd',
  'intrusion',
  'wrongWay',
  'stoppedVehicle',
  'congestion',
  'cameraOffline',
  'cameraFrozen',
  'cameraBlack',
  'cameraViewChanged',
];
export const ALERT_STATES = ['new', 'acknowledged', 'resolved', 'dismissed'];
export const SEVERITIES = ['critical', 'warning', 'info'];

const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
/** Vietnam keeps UTC+7 all year: a datetime-local value typed by the officer is read in that zone. */
const LOCAL_OFFSET = '+07:00';
/** 'open' is the console's own choice: new or acknowledged, asked of the API as a comma-separated list. */
const OPEN_STATES = new Set(['new', 'acknowledged']);
const URL_FIELDS = ['type', 'state', 'severity', 'district', 'camera', 'range', 'from', 'to', 'text'];

function option(value, label) {
  return new Option(label, value);
}

export class AlertFilters {
  constructor(form, t, onChange) {
    this.form = form;
    this.t = t;
    this.cameras = [];
    this.fields = {};
    for (const name of ['type', 'state', 'severity', 'district', 'camera', 'range', 'from', 'to', 'text']) {
      this.fields[name] = form.querySelector(`[name="${name}"]`);
    }
    const { type, state, severity, range } = this.fields;
    type.replaceChildren(option('', t('allTypes')), ...ALERT_TYPES.map((v) => option(v, t(`type_${v}`))));
    state.replaceChildren(
      option('', t('allStates')),
      option('open', t('openStates')),
      ...ALERT_STATES.map((v) => option(v, t(`state_${v}`))),
    );
    severity.replaceChildren(option('', t('allSeverities')), ...SEVERITIES.map((v) => option(v, t(`severity_${v}`))));
    range.replaceChildren(
      option('1h', t('lastHour')),
      option('24h', t('last24h')),
      option('7d', t('last7d')),
      option('30d', t('last30d')),
      option('custom', t('customRange')),
    );
    range.value = '24h';
    this.wanted = this.readUrl();
    this.showCustomRange();
    this.setCameras([]);
    let typing = null;
    const changed = () => {
      this.writeUrl();
      onChange();
    };
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('change', (event) => {
      if (event.target === this.fields.text) return;
      if (event.target === this.fields.district) this.fillCameraOptions();
      if (event.target === range) this.showCustomRange();
      changed();
    });
    // Free text filters what is loaded as the officer types; a short pause avoids a reload per key.
    this.fields.text.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(changed, 200);
    });
  }

  /**
   * The filters live in the page's URL too, so a desk's view survives a reload and can be bookmarked
   * (alerts.html?district=Hoàn%20Kiếm&state=open). District and camera wait for the camera list.
   */
  readUrl() {
    const params = new URLSearchParams(location.search);
    for (const name of URL_FIELDS) {
      const value = params.get(name);
      const field = this.fields[name];
      if (value === null || name === 'district' || name === 'camera') continue;
      if (field.tagName === 'SELECT' && ![...field.options].some((o) => o.value === value)) continue;
      field.value = value;
    }
    return { district: params.get('district') ?? '', camera: params.get('camera') ?? '' };
  }

  writeUrl() {
    const params = new URLSearchParams();
    const lang = new URLSearchParams(location.search).get('lang');
    if (lang) params.set('lang', lang);
    for (const name of URL_FIELDS) {
      const value = this.fields[name].value;
      if (
        value &&
        !(name === 'range' && value === '24h') &&
        (this.fields.range.value === 'custom' || (name !== 'from' && name !== 'to'))
      ) {
        params.set(name, value);
      }
    }
    history.replaceState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
  }

  setCameras(cameras) {
    this.cameras = [...cameras].sort((a, b) => a.name.localeCompare(b.name));
    const districts = [...new Set(cameras.map((c) => c.district))].sort((a, b) => a.localeCompare(b));
    const { district } = this.fields;
    const chosen = district.value || this.wanted.district;
    district.replaceChildren(option('', this.t('allDistricts')), ...districts.map((d) => option(d, d)));
    if (districts.includes(chosen)) district.value = chosen;
    this.fillCameraOptions();
    if (cameras.length) this.wanted = { district: '', camera: '' };
  }

  /** The camera list follows the district chosen, so an officer never picks a camera the district excludes. */
  fillCameraOptions() {
    const { camera, district } = this.fields;
    const chosen = camera.value || this.wanted.camera;
    const shown = this.cameras.filter((c) => !district.value || c.district === district.value);
    camera.replaceChildren(
      option('', this.t('allCameras')),
      ...shown.map((c) => option(c.id, `${c.name} · ${c.district}`)),
    );
    if (shown.some((c) => c.id === chosen)) camera.value = chosen;
  }

  showCustomRange() {
    const custom = this.fields.range.value === 'custom';
    for (const name of ['from', 'to']) this.fields[name].closest('label').hidden = !custom;
  }

  /** The time window as Dates: a relative range ends now (open-ended, the live feed extends it). */
  window(nowMs = Date.now()) {
    const { range, from, to } = this.fields;
    if (range.value !== 'custom') return { from: new Date(nowMs - RANGE_MS[range.value]), to: null };
    const read = (input) => (input.value ? new Date(`${input.value}:00${LOCAL_OFFSET}`) : null);
    return { from: read(from), to: read(to) };
  }

  current() {
    const f = this.fields;
    return {
      type: f.type.value,
      state: f.state.value,
      severity: f.severity.value,
      district: f.district.value,
      cameraId: f.camera.value,
      text: f.text.value.trim().toLocaleLowerCase(),
      ...this.window(),
    };
  }

  /** The API query: only the filters set (the API rejects unknown or empty parameters). */
  query(limit, offset) {
    const c = this.current();
    const params = new URLSearchParams();
    if (c.from) params.set('from', c.from.toISOString());
    if (c.to) params.set('to', c.to.toISOString());
    if (c.state) params.set('state', c.state === 'open' ? [...OPEN_STATES].join(',') : c.state);
    for (const name of ['type', 'severity', 'cameraId', 'district']) if (c[name]) params.set(name, c[name]);
    params.set('limit', String(limit));
    params.set('offset', String(offset));
    return params;
  }

  /** Whether an alert (from the list or the live feed) belongs on screen under these filters. */
  matches(alert) {
    const c = this.current();
    if (c.type && alert.type !== c.type) return false;
    if (c.state === 'open' ? !OPEN_STATES.has(alert.state) : c.state && alert.state !== c.state) return false;
    if (c.severity && alert.severity !== c.severity) return false;
    if (c.district && alert.district !== c.district) return false;
    if (c.cameraId && alert.cameraId !== c.cameraId) return false;
    const startedMs = Date.parse(alert.startedAt);
    if (c.from && startedMs < c.from.getTime()) return false;
    if (c.to && startedMs >= c.to.getTime()) return false;
    if (c.text) {
      const haystack = [
        alert.cameraName,
        alert.district,
        alert.summary,
        alertMessage(alert, currentLanguage()),
        alert.assignee ?? '',
        this.t(`type_${alert.type}`),
      ]
        .join(' ')
        .toLocaleLowerCase();
      if (!haystack.includes(c.text)) return false;
    }
    return true;
  }

  /** Filters set apart from the text and the default time range. */
  activeCount() {
    const f = this.fields;
    return (
      ['type', 'state', 'severity', 'district', 'camera'].filter((name) => f[name].value).length +
      (f.range.value === '24h' ? 0 : 1)
    );
  }

  focus() {
    this.fields.text.focus();
    this.fields.text.select();
  }
}
