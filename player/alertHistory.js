// The detail pane's facts, history and webhook deliveries: who changed the alert and how, and whether
// other systems were told. Delivery errors are shown without any address in them (it may carry a token).
import { vehicleName } from './alertMessage.js';
import { currentLanguage, formatNumber } from './i18n.js';
import { element } from './alertFormat.js';

/** Anything that looks like a URL, in a delivery error, is replaced: receivers put tokens in their URLs. */
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

function translatedOr(t, key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/** Identifiers shown only when the alert has no name for them (alerts stored before facts carried names). */
const NAMED_BY = { lineId: 'lineName', zoneId: 'zoneName', direction: 'directionName' };
/** Evidence figures the rule kept for the bench and audits, not for the duty officer's facts list. */
const EVIDENCE_KEYS = new Set([
  'classShare',
  'sightingsBefore',
  'sightingsAfter',
  'pathPx',
  'angleDeg',
  'amidTrafficS',
]);

function detailValue(t, key, value) {
  if (key === 'className') return vehicleName(value)[currentLanguage()];
  if (value === null) return '—';
  // In the page's language (vi "1,5", en "1.5"), as every other number of the UI.
  if (typeof value === 'number') return formatNumber(value, document.documentElement.lang);
  return String(value);
}

/** The facts list: camera, times, occurrences, assignee, resolution note and the rule's figures. */
export function renderFacts(list, t, times, alert) {
  const rows = [
    ['camera', `${alert.cameraName} · ${alert.district}`],
    ['startedAt', times.full(alert.startedAt)],
    ['raisedAt', times.full(alert.raisedAt)],
    ['lastSeenAt', times.full(alert.lastSeenAt)],
    ['endedAt', alert.endedAt ? times.full(alert.endedAt) : t('activeNow')],
    ['occurrences', String(alert.occurrences)],
    ['assigneeLabel', alert.assignee ?? t('unassigned')],
  ];
  if (alert.resolutionNote) rows.push(['resolutionNote', alert.resolutionNote]);
  const items = rows.map(([key, value]) => [t(key), value, key]);
  const details = alert.details ?? {};
  for (const [key, value] of Object.entries(details)) {
    if (EVIDENCE_KEYS.has(key) || (NAMED_BY[key] && details[NAMED_BY[key]] !== undefined)) continue;
    items.push([translatedOr(t, `detail_${key}`, key), detailValue(t, key, value), `detail_${key}`]);
  }
  list.replaceChildren(
    ...items.flatMap(([label, value, key]) => {
      const dt = element('dt', null, label);
      const dd = element('dd', null, value);
      dd.dataset.field = key;
      return [dt, dd];
    }),
  );
}

/** Newest first, as the officer reads a handover. */
export function renderHistory(list, t, times, history) {
  if (!history?.length) {
    list.replaceChildren(element('li', 'muted', t('noHistory')));
    return;
  }
  const entries = [...history].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = element('li');
      item.dataset.action = entry.action;
      const time = element('time', null, times.full(entry.at));
      time.dateTime = entry.at;
      const actor = entry.actorKind === 'system' ? t('actor_system') : entry.actor;
      item.append(
        time,
        element('strong', null, translatedOr(t, `action_${entry.action}`, entry.action)),
        element('span', 'actor', actor),
      );
      if (entry.note) item.append(element('q', null, entry.note));
      return item;
    }),
  );
}

export function renderDeliveries(section, t, times, deliveries) {
  const list = section.querySelector('ul');
  section.hidden = !deliveries?.length;
  if (!deliveries?.length) {
    list.replaceChildren();
    return;
  }
  list.replaceChildren(
    ...deliveries.map((delivery) => {
      const item = element('li');
      item.dataset.state = delivery.state;
      const outcome = [
        translatedOr(t, `delivery_${delivery.state}`, delivery.state),
        `${delivery.attempts} ${t('attempts')}`,
      ];
      if (delivery.lastStatus !== null) outcome.push(`HTTP ${delivery.lastStatus}`);
      if (delivery.deliveredAt) outcome.push(times.full(delivery.deliveredAt));
      item.append(element('strong', null, delivery.webhookName), element('span', null, outcome.join(' · ')));
      if (delivery.state !== 'delivered' && delivery.lastError) {
        item.append(element('span', 'error', delivery.lastError.replace(URL_LIKE, '[…]').slice(0, 200)));
      }
      return item;
    }),
  );
}
