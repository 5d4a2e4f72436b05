// The alert feed as a list, newest first: rows kept by alert id so a live update changes one row in place,
// a selection the keyboard moves, and a bound on how many alerts the page holds on a long shift.
import { alertMessage } from './alertMessage.js';
import { currentLanguage } from './i18n.js';
import { element, severityBadge, stateBadge } from './alertFormat.js';

/** Alerts held in memory; beyond this the oldest (never the selected one) leave the list. */
const MAX_ALERTS = 500;
/** How long a row that just arrived from the live feed stays highlighted. */
const FRESH_MS = 8000;

function newestFirst(a, b) {
  return Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? 1 : -1);
}

/** A copy from the live feed or an action may arrive after a fresher one: keep the newest. */
function isStale(incoming, held) {
  return held !== undefined && Date.parse(incoming.updatedAt) < Date.parse(held.updatedAt);
}

export class AlertList {
  /**
   * @param {HTMLOListElement} root
   * @param {{ t: Function, times: {short: Function, full: Function}, onSelect: (alert: object|null, how: {open: boolean}) => void }} options
   */
  constructor(root, { t, times, onSelect }) {
    this.root = root;
    this.t = t;
    this.times = times;
    this.onSelect = onSelect;
    this.alerts = new Map();
    this.rows = new Map();
    this.selectedId = null;
    root.setAttribute('role', 'listbox');
    root.addEventListener('click', (event) => {
      const row = event.target.closest('li[data-alert-id]');
      if (row) this.select(row.dataset.alertId, { open: true });
    });
  }

  get size() {
    return this.alerts.size;
  }

  get(id) {
    return this.alerts.get(id);
  }

  selected() {
    return this.selectedId ? (this.alerts.get(this.selectedId) ?? null) : null;
  }

  ordered() {
    return [...this.alerts.values()].sort(newestFirst);
  }

  /** A fresh page of results: rows that are no longer in it go; the selection stays if its alert does. */
  replaceAll(alerts) {
    this.alerts = new Map(alerts.map((alert) => [alert.id, alert]));
    for (const [id, row] of this.rows) {
      if (!this.alerts.has(id)) {
        row.remove();
        this.rows.delete(id);
      }
    }
    if (this.selectedId && !this.alerts.has(this.selectedId)) this.select(null);
    this.render();
  }

  /** Adds more results (the next page) without dropping what is on screen. */
  append(alerts) {
    for (const alert of alerts) if (!isStale(alert, this.alerts.get(alert.id))) this.alerts.set(alert.id, alert);
    this.render();
  }

  /** A live or acted-on alert: 'added', 'updated', 'unchanged', or 'stale' when a newer copy is already shown. */
  upsert(alert, { fresh = false } = {}) {
    const held = this.alerts.get(alert.id);
    if (isStale(alert, held)) return 'stale';
    if (held && JSON.stringify(held) === JSON.stringify(alert)) return 'unchanged';
    this.alerts.set(alert.id, alert);
    this.trim();
    this.place(alert);
    if (!held && fresh) this.highlight(alert.id);
    if (alert.id === this.selectedId) this.onSelect(alert, { open: false, refresh: true });
    return held ? 'updated' : 'added';
  }

  remove(id) {
    if (!this.alerts.delete(id)) return;
    this.rows.get(id)?.remove();
    this.rows.delete(id);
    if (this.selectedId === id) this.select(null);
  }

  trim() {
    if (this.alerts.size <= MAX_ALERTS) return;
    const oldest = this.ordered().reverse();
    for (const alert of oldest) {
      if (this.alerts.size <= MAX_ALERTS) break;
      if (alert.id !== this.selectedId) this.remove(alert.id);
    }
  }

  highlight(id) {
    const row = this.rows.get(id);
    if (!row) return;
    row.classList.add('fresh');
    setTimeout(() => row.classList.remove('fresh'), FRESH_MS);
  }

  rowOf(alert) {
    let row = this.rows.get(alert.id);
    if (!row) {
      row = element('li');
      row.dataset.alertId = alert.id;
      row.setAttribute('role', 'option');
      row.tabIndex = -1;
      this.rows.set(alert.id, row);
    }
    this.fillRow(row, alert);
    return row;
  }

  render() {
    this.root.replaceChildren(...this.ordered().map((alert) => this.rowOf(alert)));
  }

  /** One alert changed: its row alone is redrawn and moved to its place (live updates come in bursts). */
  place(alert) {
    const row = this.rowOf(alert);
    const ordered = this.ordered();
    const next = ordered[ordered.findIndex((a) => a.id === alert.id) + 1];
    const before = next ? (this.rows.get(next.id) ?? null) : null;
    if (row.nextSibling !== before || row.parentNode !== this.root) this.root.insertBefore(row, before);
  }

  fillRow(row, alert) {
    const { t, times } = this;
    row.dataset.severity = alert.severity;
    row.dataset.state = alert.state;
    row.dataset.active = String(alert.active);
    row.setAttribute('aria-selected', String(alert.id === this.selectedId));
    const what = element('div', 'row-what');
    what.append(
      element('strong', 'row-type', t(`type_${alert.type}`)),
      element('span', 'row-message', alertMessage(alert, currentLanguage())),
      element('span', 'row-where', `${alert.cameraName} · ${alert.district}`),
    );
    const when = element('div', 'row-when');
    const time = element('time', null, times.short(alert.startedAt));
    time.dateTime = alert.startedAt;
    time.title = times.full(alert.startedAt);
    when.append(time, stateBadge(t, alert.state));
    if (alert.active) when.append(element('span', 'row-active', t('activeNow')));
    if (alert.assignee) when.append(element('span', 'row-assignee', alert.assignee));
    row.replaceChildren(severityBadge(t, alert.severity), what, when);
  }

  /** Selects an alert (null clears); `open` asks a phone to show the detail full screen. */
  select(id, { open = false } = {}) {
    const previous = this.selectedId;
    this.selectedId = id && this.alerts.has(id) ? id : null;
    if (previous) this.rows.get(previous)?.setAttribute('aria-selected', 'false');
    const row = this.selectedId ? this.rows.get(this.selectedId) : null;
    if (row) {
      row.setAttribute('aria-selected', 'true');
      row.scrollIntoView({ block: 'nearest' });
    }
    this.onSelect(this.selected(), { open, refresh: false });
  }

  /** j/k and the arrow keys: the next (+1) or previous (-1) alert in the list's order. */
  move(delta) {
    const ordered = this.ordered();
    if (ordered.length === 0) return;
    const index = ordered.findIndex((alert) => alert.id === this.selectedId);
    const next =
      index === -1 ? (delta > 0 ? 0 : ordered.length - 1) : Math.min(ordered.length - 1, Math.max(0, index + delta));
    this.select(ordered[next].id);
  }

  /** Alerts still waiting for someone: the count the duty desk watches. */
  countNew() {
    let n = 0;
    for (const alert of this.alerts.values()) if (alert.state === 'new') n++;
    return n;
  }
}
