// The reports page: the archived daily, weekly and monthly reports the reader's role and districts allow
// (the API filters them), their PDF and CSV, and for those who may, a report made on demand for a period
// that has ended, limited to the user's own districts (or the province for a province-wide user).
import { mountHeader } from './nav.js';
import { callApi, localTime, tableHead, tableRow, translatePage } from './adminApi.js';
import { checksumCell, downloadLinks, madeByText, periodOfDate, periodText } from './reportFormat.js';
import { reportTranslator } from './reportStrings.js';

const PAGE_SIZE = 25;
const KINDS = ['daily', 'weekly', 'monthly'];
const { lang, session } = mountHeader('navReports');
const t = reportTranslator(lang);
translatePage(t);

const filter = document.getElementById('kind-filter');
const makeForm = document.getElementById('make-form');
let offset = 0;

const option = (value, text) => Object.assign(document.createElement('option'), { value, textContent: text });
filter.replaceChildren(option('', t('allKinds')), ...KINDS.map((kind) => option(kind, t(`kind_${kind}`))));
makeForm.elements.kind.replaceChildren(...KINDS.map((kind) => option(kind, t(`kind_${kind}`))));
// The documents' language, Vietnamese first (the default the province files); not the page's own language.
makeForm.elements.language.replaceChildren(...['vi', 'en'].map((code) => option(code, t(`language_${code}`))));

function scopeText(district) {
  return district ?? t('province');
}

/** Yesterday in Vietnam: the latest day whose report can be made. */
function yesterdayLocal() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() - 86_400_000));
}

async function fillScopes(me) {
  let districts = me.districts;
  const scopes = [];
  if (districts === null) {
    scopes.push(option('', t('province')));
    const listed = await callApi('GET', '/api/districts');
    districts = listed.ok ? listed.body.items : [];
  }
  scopes.push(...districts.map((d) => option(d, d)));
  makeForm.elements.district.replaceChildren(...scopes);
}

async function load() {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
  if (filter.value) params.set('kind', filter.value);
  const result = await callApi('GET', `/api/reports?${params}`);
  const message = document.getElementById('message');
  if (!result.ok) {
    message.textContent = `${t('loadFailed')} (HTTP ${result.status}).`;
    return;
  }
  message.textContent = result.body.total === 0 ? t('noReports') : '';
  const columns = [
    t('kind'),
    t('scope'),
    t('period'),
    t('language'),
    t('madeBy'),
    t('madeAt'),
    t('fingerprint'),
    t('files'),
  ];
  const table = document.getElementById('reports-table');
  table.replaceChildren();
  tableHead(table, columns);
  const body = table.createTBody();
  for (const report of result.body.items) {
    const row = tableRow(columns, [
      t(`kind_${report.kind}`),
      scopeText(report.district),
      periodText(report, lang),
      t(`language_${report.language}`),
      madeByText(report, t),
      localTime(report.madeAt, lang),
      checksumCell(report.pdfSha256, t),
      downloadLinks(report, t),
    ]);
    row.dataset.id = report.id;
    row.dataset.district = report.district ?? '';
    row.dataset.kind = report.kind;
    body.append(row);
  }
  table.hidden = result.body.total === 0;
  const pages = Math.max(1, Math.ceil(result.body.total / PAGE_SIZE));
  document.getElementById('page-info').textContent = t('pageOf', {
    page: offset / PAGE_SIZE + 1,
    pages,
    total: result.body.total,
  });
  document.getElementById('previous').disabled = offset === 0;
  document.getElementById('next').disabled = offset + PAGE_SIZE >= result.body.total;
  document.querySelector('.pager').hidden = pages <= 1; // one page: the buttons would only be greyed out
  document.body.dataset.loaded = 'true';
}

/** The period the form would make, in unambiguous local dates (the date input follows the browser's locale). */
function showPeriod() {
  const date = makeForm.elements.date.value;
  const preview = document.getElementById('make-period');
  preview.textContent = /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? t('periodPreview', { range: periodText(periodOfDate(makeForm.elements.kind.value, date), lang) })
    : '';
}

/**
 * The API's refusal: by its field in the page's language (the API's sentences are English); the API's own
 * message is shown as it is in English, or for a refusal this page has no words for, and is kept in the title.
 */
function showRefusal(message, result) {
  const error = result.body?.error;
  const apiText = error ? `${error.message}${error.field ? ` (${error.field})` : ''}` : `HTTP ${result.status}`;
  const known = error?.field === 'date' || error?.field === 'district';
  const reason = known ? t(`refused_${error.field}`) : t('refused_other');
  message.textContent =
    lang === 'en' || !known ? `${t('refused')}: ${reason} ${apiText}` : `${t('refused')}: ${reason}`;
  message.title = apiText;
  message.dataset.apiMessage = error?.message ?? '';
}

async function make(event) {
  event.preventDefault();
  const message = document.getElementById('make-message');
  const submit = makeForm.querySelector('button[type="submit"]');
  const payload = {
    kind: makeForm.elements.kind.value,
    date: makeForm.elements.date.value,
    district: makeForm.elements.district.value || null,
    language: makeForm.elements.language.value,
  };
  submit.disabled = true;
  message.className = 'message';
  message.title = '';
  message.textContent = t('making');
  const result = await callApi('POST', '/api/reports', payload);
  submit.disabled = false;
  if (!result.ok) {
    message.className = 'message error';
    showRefusal(message, result);
    return;
  }
  const report = result.body;
  const values = {
    kind: t(`kind_${report.kind}`).toLowerCase(),
    range: `${scopeText(report.district)}, ${periodText(report, lang)}`,
  };
  message.className = 'message ok';
  message.textContent = t(result.status === 201 ? 'made' : 'alreadyMade', values);
  message.dataset.reportId = report.id;
  offset = 0;
  await load();
}

filter.addEventListener('change', () => {
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
makeForm.addEventListener('submit', (event) => void make(event));
makeForm.elements.kind.addEventListener('change', showPeriod);
makeForm.elements.date.addEventListener('input', showPeriod);

const me = await session;
if (me.permissions.includes('reports:make')) {
  makeForm.elements.date.value = yesterdayLocal();
  showPeriod();
  await fillScopes(me);
  document.getElementById('make-card').hidden = false;
}
await load();
