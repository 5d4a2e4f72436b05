// Camera setup: pick a camera, draw counting lines and zones on a still of its live view, save them.
// The server checks the geometry (self-intersecting zones, one-point lines…) and names what is wrong.
import { mountHeader } from './nav.js';
import { GeometryEditor } from './geometryEditor.js';

const { t, status } = mountHeader('setupTitle');
const cameraSelect = document.getElementById('camera');
const canvas = document.getElementById('frame');
const message = document.getElementById('message');
const lineList = document.getElementById('lines');
const zoneList = document.getElementById('zones');
const buttons = {
  line: document.getElementById('draw-line'),
  zone: document.getElementById('draw-zone'),
  finish: document.getElementById('finish'),
  cancel: document.getElementById('cancel'),
  save: document.getElementById('save'),
};
for (const [key, button] of Object.entries({
  line: 'drawLine',
  zone: 'drawZone',
  finish: 'finishShape',
  cancel: 'cancelShape',
  save: 'save',
})) {
  buttons[key].textContent = t(button);
}
document.getElementById('help').textContent = t('drawHelp');
document.getElementById('lines-title').textContent = t('lines');
document.getElementById('zones-title').textContent = t('zones');
document.getElementById('camera-label').textContent = t('camera');

const editor = new GeometryEditor(canvas, {
  onDraftChange(mode) {
    buttons.line.setAttribute('aria-pressed', String(mode === 'line'));
    buttons.zone.setAttribute('aria-pressed', String(mode === 'zone'));
  },
  onShape(shape) {
    if (shape.kind === 'line') {
      analysis.lines.push({
        id: nextId('line', analysis.lines),
        points: shape.points,
        directions: defaultDirections(),
      });
    } else {
      analysis.zones.push({ id: nextId('zone', analysis.zones), polygon: shape.points });
    }
    renderLists();
  },
});
let analysis = { widthPx: 960, heightPx: 540, lines: [], zones: [], calibration: null };

function say(text, isError = false) {
  message.textContent = text;
  message.className = isError ? 'error' : '';
}

/** A new line's direction codes in the page's language without diacritics ('vao'/'ra'): counts, rules, MQTT topics and CSV name them. */
function defaultDirections() {
  return { leftToRight: t('directionInCode'), rightToLeft: t('directionOutCode') };
}

function nextId(prefix, items) {
  let n = items.length + 1;
  while (items.some((item) => item.id === `${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

function renderLists() {
  lineList.replaceChildren(...analysis.lines.map((line, i) => listItem(line, i, 'lines')));
  zoneList.replaceChildren(...analysis.zones.map((zone, i) => listItem(zone, i, 'zones')));
  editor.setGeometry(analysis.lines, analysis.zones);
}

/** An input with its caption above it: placeholders alone vanish once a value is typed. */
function labelled(caption, input) {
  const label = document.createElement('label');
  label.append(Object.assign(document.createElement('span'), { textContent: caption }), input);
  return label;
}

function listItem(item, index, kind) {
  const row = document.createElement('li');
  const name = document.createElement('input');
  name.value = item.name ?? item.id;
  name.setAttribute('aria-label', t('name'));
  name.addEventListener('change', () => {
    item.name = name.value.trim() || item.id;
    editor.setGeometry(analysis.lines, analysis.zones);
  });
  row.append(labelled(t('name'), name));
  if (kind === 'lines') {
    for (const [key, label] of [
      ['leftToRight', 'directionIn'],
      ['rightToLeft', 'directionOut'],
    ]) {
      const direction = document.createElement('fieldset');
      direction.append(Object.assign(document.createElement('legend'), { textContent: t(label) }));
      const input = document.createElement('input');
      input.value = item.directions?.[key] ?? '';
      input.setAttribute('aria-label', `${t(label)} — ${t('directionCode')}`);
      input.dataset.direction = key;
      input.addEventListener('change', () => {
        item.directions = { ...defaultDirections(), ...item.directions, [key]: input.value.trim() };
        editor.setGeometry(analysis.lines, analysis.zones);
      });
      // What officers read for the direction in alerts ('về phía camera'); the identifier above stays in counts and rules.
      const shown = document.createElement('input');
      shown.value = item.directionNames?.[key] ?? '';
      shown.placeholder = t(`${label}Name`);
      shown.setAttribute('aria-label', `${t(label)} — ${t('directionShown')}`);
      shown.dataset.directionName = key;
      shown.addEventListener('change', () => {
        const names = { ...item.directionNames, [key]: shown.value.trim() };
        if (!names[key]) delete names[key];
        if (Object.keys(names).length) item.directionNames = names;
        else delete item.directionNames;
        editor.setGeometry(analysis.lines, analysis.zones);
      });
      const code = labelled(t('directionCode'), input);
      code.title = t('directionCodeHelp');
      direction.append(code, labelled(t('directionShown'), shown));
      row.append(direction);
    }
  } else {
    const area = document.createElement('input');
    area.type = 'number';
    area.min = '0';
    area.step = 'any';
    area.placeholder = t('areaM2');
    area.value = item.areaM2 ?? '';
    area.addEventListener('change', () => (item.areaM2 = area.value === '' ? null : Number(area.value)));
    // Beside the area: how many vehicles fill the zone, which its congestion level on the traffic panel needs.
    const capacity = document.createElement('input');
    capacity.type = 'number';
    capacity.min = '1';
    capacity.max = '10000';
    capacity.step = '1';
    capacity.placeholder = t('capacityVehicles');
    capacity.setAttribute('aria-label', t('capacityVehicles'));
    capacity.value = item.capacityVehicles ?? '';
    capacity.addEventListener(
      'change',
      () => (item.capacityVehicles = capacity.value === '' ? null : Number(capacity.value)),
    );
    row.append(labelled(t('areaM2'), area), labelled(t('capacityVehicles'), capacity));
  }
  const remove = document.createElement('button');
  remove.textContent = t('delete');
  remove.addEventListener('click', () => {
    analysis[kind].splice(index, 1);
    renderLists();
  });
  row.append(remove);
  return row;
}

async function loadCamera(id) {
  say('');
  const response = await fetch(`/api/cameras/${id}/analysis`);
  analysis = await response.json();
  const image = new Image();
  image.onload = () => {
    // The geometry is kept in the pixels of the frame it was drawn on; a first setup takes this frame's size.
    if (!analysis.widthPx || analysis.lines.length + analysis.zones.length === 0) {
      analysis.widthPx = image.naturalWidth;
      analysis.heightPx = image.naturalHeight;
    }
    editor.setFrame(image, analysis.widthPx, analysis.heightPx);
    renderLists();
    document.body.dataset.loaded = 'true';
  };
  image.onerror = () => {
    say(t('noFrame'), true);
    if (!analysis.widthPx) Object.assign(analysis, { widthPx: 960, heightPx: 540 });
    editor.setFrame(null, analysis.widthPx, analysis.heightPx);
    renderLists();
    document.body.dataset.loaded = 'true';
  };
  image.src = `/api/cameras/${id}/frame.jpg?t=${Date.now()}`;
}

buttons.line.addEventListener('click', () => editor.start('line'));
buttons.zone.addEventListener('click', () => editor.start('zone'));
buttons.cancel.addEventListener('click', () => editor.cancel());
buttons.finish.addEventListener('click', () => editor.finish());

buttons.save.addEventListener('click', async () => {
  const response = await fetch(`/api/cameras/${cameraSelect.value}/analysis`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(analysis),
  });
  const body = await response.json();
  if (response.ok) {
    analysis = body;
    renderLists();
    say(t('saved'));
  } else {
    say(`${body.error.field ?? ''}: ${body.error.message}`, true);
  }
});

try {
  const { items } = await (await fetch('/api/cameras?limit=1000')).json();
  cameraSelect.replaceChildren(...items.map((camera) => new Option(`${camera.name} · ${camera.district}`, camera.id)));
  cameraSelect.addEventListener('change', () => loadCamera(cameraSelect.value));
  const wanted = new URLSearchParams(location.search).get('camera');
  if (wanted && items.some((c) => c.id === wanted)) cameraSelect.value = wanted;
  if (items.length) await loadCamera(cameraSelect.value);
  else document.body.dataset.loaded = 'true';
} catch {
  status.textContent = t('apiDown');
  status.dataset.ok = 'false';
}
