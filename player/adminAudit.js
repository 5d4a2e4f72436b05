// Admin page for the audit log: who did what, when (Asia/Ho_Chi_Minh) and from where, filtered by time,
// action and actor, a page at a time, and the filtered entries as CSV (times in UTC, as the API gives them).
import { mountHeader } from './nav.js';
import { adminTranslator } from './adminStrings.js';
import { callApi, failureText, localTime, tableHead, tableRow, translatePage } from './adminApi.js';

const PAGE_SIZE = 50;
const ACTIONS = [
  'login',
  'logout',
  'password.change',
  'user.create',
  'user.update',
  'user.delete',
  'apikey.create',
  'apikey.revoke',
  'camera.create',
  'camera.update',
  'camera.delete',
  'camera.probe',
  'district.create',
  'district.delete',
  'analysis.update',
  'alert.rules.update',
  'access.refused',
  'video.access',
  'frame.access',
  'live.access',
  'alert.acknowledge',
  'alert.resolve',
  'alert.dismiss',
  'alert.assign',
  'alert.note',
  'alerts.subscribe',
  'alert.snapshot.view',
  'alert.clip.view',
  'webhook.create',
  'webhook.update',
  'webhook.delete',
  'webhook.rotate',
];
const { lang } = mountHeader('navAdminAudit');
const t = adminTranslator(lang);
translatePage(t);

const form = document.getElementById('audit-filters');
form.elements.action.replaceChildren(
  Object.assign(document.createElement('option'), { value: '', textContent: t('allActions') }),
  ...ACTIONS.map((action) =>
    Object.assign(document.createElement('option'), { value: action, textContent: actionName(action) }),
  ),
);
let offset = 0;

function actionName(action) {
  const key = `action_${action}`;
  const name = t(key);
  return name === key ? action : name;
}

/** A datetime-local value is Vietnam's wall-clock time (UTC+7, no daylight saving). */
function utcOf(localValue) {
  return localValue ? new Date(`${localValue}:00+07:00`).toISOString() : null;
}

function query(limit, from) {
  const params = new URLSearchParams({ limit: String(limit), offset: String(from) });
  for (const name of ['from', 'to']) {
    const value = utcOf(form.elements[name].value);
    if (value) params.set(name, value);
  }
  if (form.elements.action.value) params.set('action', form.elements.action.value);
  if (form.elements.actor.value.trim()) params.set('actor', form.elements.actor.value.trim());
  return `/api/audit?${params}`;
}

function say(text) {
  document.getElementById('message').textContent = text;
}

/** Names, not ids: `camera:<uuid>` reads as the camera's name (from the entry, or today's list). */
const cameraNames = new Map();
async function loadCameraNames() {
  const result = await callApi('GET', '/api/cameras?limit=1000');
  if (result.ok) for (const camera of result.body.items) cameraNames.set(camera.id, camera.name);
}

function targetText(entry) {
  if (!entry.target) return '';
  const [kind, ...rest] = entry.target.split(':');
  const id = rest.join(':');
  const named = typeof entry.detail?.name === 'string' ? entry.detail.name : null;
  if (kind === 'camera') return `${t('camera')} ${named ?? cameraNames.get(id) ?? id}`;
  if (kind === 'apikey') return `${t('apiKeys')}: ${named ?? id}`;
  if (kind === 'user') return `${t('username')}: ${id}`;
  if (kind === 'alert') return `${t('navAlerts')} #${id.slice(0, 8)}`;
  return entry.target;
}

async function load() {
  const result = await callApi('GET', query(PAGE_SIZE, offset));
  if (!result.ok) return say(failureText(result));
  say('');
  const columns = [t('when'), t('actor'), t('action'), t('target'), t('outcome'), t('address')];
  const table = document.getElementById('audit-table');
  table.replaceChildren();
  tableHead(table, columns);
  const body = table.createTBody();
  for (const entry of result.body.items) {
    // The IOC itself (the first admin made from config) is named in words, not by its log name 'system'.
    const actor = entry.actorKind === 'system' ? t('systemActor') : entry.actorName;
    const row = tableRow(columns, [
      localTime(entry.at, lang),
      actor,
      actionName(entry.action),
      targetText(entry),
      t(`outcome_${entry.outcome}`),
      entry.ip ?? '',
    ]);
    row.dataset.action = entry.action;
    row.dataset.outcome = entry.outcome;
    body.append(row);
  }
  const pages = Math.max(1, Math.ceil(result.body.total / PAGE_SIZE));
  document.getElementById('page-info').textContent = t('pageOf', {
    page: offset / PAGE_SIZE + 1,
    pages,
    total: result.body.total,
  });
  document.getElementById('previous').disabled = offset === 0;
  document.getElementById('next').disabled = offset + PAGE_SIZE >= result.body.total;
  document.body.dataset.loaded = 'true';
}

function csvCell(value) {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function downloadCsv() {
  const rows = [['at_utc', 'actor_kind', 'actor', 'action', 'target', 'outcome', 'ip', 'detail']];
  for (let from = 0; ; from += 1000) {
    const result = await callApi('GET', query(1000, from));
    if (!result.ok) return say(failureText(result));
    for (const e of result.body.items)
      rows.push([e.at, e.actorKind, e.actorName, e.action, e.target, e.outcome, e.ip, e.detail]);
    if (from + 1000 >= result.body.total) break;
  }
  const blob = new Blob([`${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`], { type: 'text/csv' });
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'audit.csv' });
  link.click();
  URL.revokeObjectURL(link.href);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  offset = 0;
  void load();
});
document.getElementById('previous').addEventListener('click', () => {
  offset = Math.max(0, offset - PAGE_SIZE);
  void load();
});
document.getElementById('next').addEventListener('click', () => {
  offset += PAGE_SIZE;
  void load();
});
document.getElementById('csv').addEventListener('click', () => void downloadCsv());
await loadCameraNames();
await load();
