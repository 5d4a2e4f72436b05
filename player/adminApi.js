// What the admin pages share: JSON calls that answer the API's error body (code, message, field) instead
// of throwing, a table-row builder that labels each cell for the phone layout, and local times.
import { formatLocalTime } from './i18n.js';

/** { ok, status, body }: body is the JSON answer, or { error } for a failure the API described. */
export async function callApi(method, url, payload) {
  const init = { method, headers: { accept: 'application/json' } };
  if (payload !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(payload);
  }
  try {
    const response = await fetch(url, init);
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    return { ok: response.ok, status: response.status, body };
  } catch {
    return { ok: false, status: 0, body: null };
  }
}

/** The API's own message for a failure, with the field it names. */
export function failureText(result) {
  const error = result.body?.error;
  if (!error) return `HTTP ${result.status}`;
  return error.field ? `${error.message} (${error.field})` : error.message;
}

/** A <tr> of cells; each cell is text or a Node, labelled by its column for the stacked phone layout. */
export function tableRow(columns, cells) {
  const row = document.createElement('tr');
  cells.forEach((cell, i) => {
    const td = document.createElement('td');
    td.dataset.label = columns[i];
    if (cell instanceof Node) td.append(cell);
    else td.textContent = cell ?? '';
    row.append(td);
  });
  return row;
}

export function tableHead(table, columns) {
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.textContent = column;
    head.append(th);
  }
}

export function button(text, onClick, className) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  if (className) element.className = className;
  element.addEventListener('click', onClick);
  return element;
}

/** An ISO UTC time from the API shown in Asia/Ho_Chi_Minh. */
export function localTime(iso, lang) {
  const element = document.createElement('time');
  element.dateTime = iso;
  element.textContent = formatLocalTime(new Date(iso), lang);
  return element;
}

/** Districts typed as "A, B" → ["A", "B"]; empty → null (the whole province). */
export function parseDistricts(text) {
  const list = [
    ...new Set(
      text
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    ),
  ];
  return list.length ? list : null;
}

export function translatePage(t) {
  for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
}
