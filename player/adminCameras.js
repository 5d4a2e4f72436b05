// Admin page for cameras: list with state, add, edit (main and sub stream, district, sampling), enable or
// disable, and a still of the live view to test the connection. Stream passwords come back only as ***.
import { mountHeader } from './nav.js';
import { adminTranslator } from './adminStrings.js';
import { formatNumber } from './i18n.js';
import { button, callApi, failureText, tableHead, tableRow, translatePage } from './adminApi.js';
import { districtSelect, loadDistricts } from './districtPicker.js';

const { lang } = mountHeader('navAdminCameras');
const t = adminTranslator(lang);
translatePage(t);

const form = document.getElementById('camera-form');
const message = document.getElementById('message');
const table = document.getElementById('camera-table');
const stillBox = document.getElementById('still-box');
const still = document.getElementById('still');
let editing = null; // the camera being edited, or null when adding
const listedDistricts = await loadDistricts();
districtSelect(form.elements.district, listedDistricts, t);

function say(text, ok = false) {
  message.className = `message ${ok ? 'ok' : 'error'}`;
  message.textContent = text;
}

function showForm(camera) {
  editing = camera;
  document.getElementById('form-title').textContent = t(camera ? 'editCamera' : 'addCamera');
  document.getElementById('cancel').hidden = !camera;
  form.elements.name.value = camera?.name ?? '';
  const district = form.elements.district;
  if (district.tagName === 'SELECT' && camera && ![...district.options].some((o) => o.value === camera.district)) {
    district.append(
      Object.assign(document.createElement('option'), { value: camera.district, textContent: camera.district }),
    );
  }
  district.value = camera?.district ?? '';
  form.elements.mainUrl.value = camera?.mainUrl ?? '';
  form.elements.subUrl.value = camera?.subUrl ?? '';
  form.elements.sampleFps.value = String(camera?.sampleFps ?? 5);
  form.elements.enabled.checked = camera?.enabled ?? true;
  stillBox.hidden = true;
  say('');
}

function formValues() {
  const subUrl = form.elements.subUrl.value.trim();
  return {
    name: form.elements.name.value.trim(),
    district: form.elements.district.value.trim(),
    mainUrl: form.elements.mainUrl.value.trim(),
    subUrl: subUrl === '' ? null : subUrl,
    sampleFps: Number(form.elements.sampleFps.value),
    enabled: form.elements.enabled.checked,
  };
}

/** Only what changed: an untouched redacted URL is not sent at all. */
function changes(camera, values) {
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => value !== camera[key]));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const values = formValues();
  let result;
  if (editing) {
    const patch = changes(editing, values);
    if (Object.keys(patch).length === 0) return say(t('saved'), true);
    result = await callApi('PATCH', `/api/cameras/${editing.id}`, patch);
  } else {
    if (values.subUrl === null) delete values.subUrl;
    result = await callApi('POST', '/api/cameras', values);
  }
  if (!result.ok) return say(t('saveFailed', { message: failureText(result) }));
  await loadCameras();
  showForm(result.body);
  say(t('saved'), true);
});

document.getElementById('cancel').addEventListener('click', () => showForm(null));

document.getElementById('test').addEventListener('click', async () => {
  // The URL as typed, before saving: a sub stream when given (what analysis decodes), else the main one.
  const values = formValues();
  const stream = values.subUrl ? 'sub' : 'main';
  const url = values.subUrl ?? values.mainUrl;
  if (!url) return say(t('testNeedsUrl'));
  say(t('testing'), true);
  const response = await fetch('/api/cameras/probe.jpg', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, stream, ...(editing ? { cameraId: editing.id } : {}) }),
  }).catch(() => null);
  if (!response?.ok) {
    stillBox.hidden = true;
    const body = await response?.json().catch(() => null);
    return say(body?.error ? `${t('testFailed')} ${body.error.message}` : t('testFailed'));
  }
  if (still.src) URL.revokeObjectURL(still.src);
  still.src = URL.createObjectURL(await response.blob());
  still.alt = values.name;
  stillBox.hidden = false;
  say(t('testOk'), true);
});

async function toggle(camera) {
  const result = await callApi('PATCH', `/api/cameras/${camera.id}`, { enabled: !camera.enabled });
  if (!result.ok) return say(t('saveFailed', { message: failureText(result) }));
  await loadCameras();
}

function stateBadge(camera) {
  const badge = document.createElement('span');
  badge.className = 'badge';
  // Green only for a live picture: an enabled camera that is not live yet is not good news.
  badge.dataset.on = String(camera.enabled && camera.health?.state === 'live');
  badge.textContent = camera.enabled ? t(camera.health?.state ?? 'unknown') : t('disabledState');
  return badge;
}

async function loadCameras() {
  const result = await callApi('GET', '/api/cameras?limit=1000');
  if (!result.ok) return say(failureText(result));
  const cameras = result.body.items;
  const columns = [t('cameraName'), t('district'), t('mainUrl'), t('fpsShort'), t('state'), t('actions')];
  table.replaceChildren();
  tableHead(table, columns);
  const body = table.createTBody();
  for (const camera of cameras) {
    const actions = document.createElement('div');
    actions.className = 'row-buttons';
    const rules = Object.assign(document.createElement('a'), {
      href: `/admin-rules.html?camera=${camera.id}`,
      textContent: t('navAdminRules'),
    });
    // A new camera's next steps, drawing its lines then its rules, one click from its row.
    const setup = Object.assign(document.createElement('a'), {
      href: `/setup.html?camera=${camera.id}`,
      textContent: t('navSetup'),
    });
    setup.className = 'setup-link';
    actions.append(
      button(t('edit'), () => showForm(camera)),
      button(t(camera.enabled ? 'disable' : 'enable'), () => toggle(camera)),
      setup,
      rules,
    );
    const row = tableRow(columns, [
      camera.name,
      camera.district,
      camera.mainUrl,
      formatNumber(camera.sampleFps, lang),
      stateBadge(camera),
      actions,
    ]);
    row.dataset.cameraId = camera.id;
    body.append(row);
  }
  document.getElementById('empty').hidden = cameras.length > 0;
  if (listedDistricts.length) return;
  const districts = document.getElementById('districts');
  districts.replaceChildren(
    ...[...new Set(cameras.map((c) => c.district))]
      .sort()
      .map((d) => Object.assign(document.createElement('option'), { value: d })),
  );
}

showForm(null);
await loadCameras();
document.body.dataset.loaded = 'true';
