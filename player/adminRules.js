// Admin page for a camera's alert rules: one card per rule, its fields chosen from the camera's own lines
// and zones (player/ruleFields.js); saving sends them whole and shows the API's message on the card at fault.
import { mountHeader } from './nav.js';
import { adminTranslator } from './adminStrings.js';
import { button, callApi, failureText, translatePage } from './adminApi.js';
import { controlFor, fieldsOf, RULE_TYPES, valueOf } from './ruleFields.js';

const { lang } = mountHeader('navAdminRules');
const t = adminTranslator(lang);
translatePage(t);

const cameraSelect = document.getElementById('camera');
const typeSelect = document.getElementById('new-type');
const container = document.getElementById('rules');
const message = document.getElementById('message');
typeSelect.replaceChildren(
  ...RULE_TYPES.map((type) =>
    Object.assign(document.createElement('option'), { value: type, textContent: t(`type_${type}`) }),
  ),
);
let analysis = { lines: [], zones: [] };
/** Each card's rule as loaded (fields this page does not edit, a schedule or a lane, are kept) and its controls. */
let cards = [];

function say(text, ok = false) {
  message.className = `message ${ok ? 'ok' : 'error'}`;
  message.textContent = text;
}

function newId(type) {
  const base = type.toLowerCase();
  let n = 1;
  while (cards.some((c) => c.rule.id === `${base}-${n}`)) n++;
  return `${base}-${n}`;
}

function renderCard(rule) {
  const card = document.createElement('fieldset');
  card.className = 'card rule';
  card.dataset.ruleId = rule.id;
  card.dataset.type = rule.type;
  const head = document.createElement('legend');
  head.textContent = rule.name ? `${t(`type_${rule.type}`)} · ${rule.name}` : t(`type_${rule.type}`);
  const form = document.createElement('div');
  form.className = 'fields';
  const controls = new Map();
  for (const field of fieldsOf(rule.type)) {
    const label = document.createElement('label');
    if (field.kind === 'check') label.className = 'check';
    if (field.kind === 'classes') label.className = 'wide';
    const control = controlFor(field, rule, analysis, t);
    control.name = field.key;
    const caption = Object.assign(document.createElement('span'), { textContent: t(`field_${field.key}`) });
    if (field.kind === 'check') label.append(control, caption);
    else label.append(caption, control);
    form.append(label);
    controls.set(field, control);
  }
  const lineControl = [...controls].find(([f]) => f.kind === 'line')?.[1];
  lineControl?.addEventListener('change', () => {
    // The directions offered are the chosen line's own.
    const entry = cards.find((c) => c.card === card);
    const updated = readRule(entry);
    entry.rule = updated;
    const fresh = renderCard(updated);
    card.replaceWith(fresh.card);
    Object.assign(entry, { card: fresh.card, controls: fresh.controls });
  });
  const fault = Object.assign(document.createElement('p'), { className: 'message error', role: 'alert' });
  const remove = button(t('delete'), () => {
    cards = cards.filter((c) => c.card !== card);
    card.remove();
  });
  form.append(fault, Object.assign(document.createElement('div'), { className: 'buttons' }));
  form.lastChild.append(remove);
  card.append(head, form);
  return { card, controls, fault };
}

function readRule(entry) {
  const rule = { ...entry.rule };
  for (const [field, control] of entry.controls) {
    const value = valueOf(field, control);
    if (value === undefined) delete rule[field.key];
    else rule[field.key] = value;
  }
  return rule;
}

function render(rules) {
  container.replaceChildren();
  cards = rules.map((rule) => ({ rule, ...renderCard(rule) }));
  for (const entry of cards) container.append(entry.card);
}

async function load() {
  const id = cameraSelect.value;
  if (!id) return;
  const [setup, rules] = await Promise.all([
    callApi('GET', `/api/cameras/${id}/analysis`),
    callApi('GET', `/api/cameras/${id}/alert-rules`),
  ]);
  if (!setup.ok || !rules.ok) return say(failureText(setup.ok ? rules : setup));
  analysis = { lines: setup.body.lines ?? [], zones: setup.body.zones ?? [] };
  document.getElementById('no-geometry').hidden = analysis.lines.length + analysis.zones.length > 0;
  render(rules.body.rules);
  say('');
  document.body.dataset.loaded = 'true';
}

document.getElementById('add').addEventListener('click', () => {
  const type = typeSelect.value;
  const rule = { id: newId(type), type };
  const entry = { rule, ...renderCard(rule) };
  cards.push(entry);
  container.append(entry.card);
  entry.card.scrollIntoView({ block: 'nearest' });
});

document.getElementById('save').addEventListener('click', async () => {
  for (const entry of cards) {
    entry.fault.textContent = '';
    delete entry.card.dataset.invalid;
    for (const control of entry.controls.values()) control.removeAttribute('aria-invalid');
  }
  const rules = cards.map(readRule);
  const result = await callApi('PUT', `/api/cameras/${cameraSelect.value}/alert-rules`, { rules });
  if (result.ok) {
    render(result.body.rules);
    return say(t('saved'), true);
  }
  // The API names the field at fault, e.g. rules[2].zoneId: its message goes on that card, by the field's label.
  const error = result.body?.error;
  const [, index, key] = /^rules\[(\d+)\]\.?([A-Za-z]+)?/.exec(error?.field ?? '') ?? [];
  const entry = index === undefined ? undefined : cards[Number(index)];
  if (!entry) return say(t('saveFailed', { message: failureText(result) }));
  say(t('saveFailed', { message: t('seeRule', { rule: entry.card.querySelector('legend').textContent }) }));
  const problem = error.message.replace(/^rules\[\d+\][^:]*:\s*/, '');
  entry.fault.textContent = key
    ? `${t(`field_${key}`)}: ${t(`problem_${problem}`) === `problem_${problem}` ? problem : t(`problem_${problem}`)}`
    : problem;
  entry.card.dataset.invalid = 'true';
  const control = [...entry.controls].find(([field]) => field.key === key)?.[1];
  control?.setAttribute('aria-invalid', 'true');
  (control ?? entry.card).scrollIntoView({ block: 'nearest' });
});

const cameras = await callApi('GET', '/api/cameras?limit=1000');
if (cameras.ok) {
  cameraSelect.replaceChildren(
    ...cameras.body.items.map((c) =>
      Object.assign(document.createElement('option'), { value: c.id, textContent: `${c.name} · ${c.district}` }),
    ),
  );
  const asked = new URLSearchParams(location.search).get('camera');
  if (asked && cameras.body.items.some((c) => c.id === asked)) cameraSelect.value = asked;
}
cameraSelect.addEventListener('change', () => void load());
if (cameraSelect.value) await load();
else document.body.dataset.loaded = 'true';
