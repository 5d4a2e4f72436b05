// What each alert rule type asks for (core/alerts.ts), as form fields over the camera's own lines and
// zones: the alert-rules page builds one card per rule from this table and reads the rule back from it.

export const RULE_TYPES = [
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
export const CLASSES = ['person', 'bicycle', 'motorbike', 'car', 'bus', 'truck'];
const SEVERITIES = ['info', 'warning', 'critical'];

/** kind: zone | line | direction (of the chosen line) | number | integer | classes | level | severity | text | check. */
const COMMON = [
  { key: 'name', kind: 'text' },
  { key: 'enabled', kind: 'check' },
  { key: 'severity', kind: 'severity' },
  { key: 'cooldownS', kind: 'integer', min: 0 },
];
const PER_TYPE = {
  crowd: [
    { key: 'zoneId', kind: 'zone' },
    { key: 'minPeople', kind: 'integer', min: 1 },
    { key: 'minDensityPerM2', kind: 'number', min: 0 },
    { key: 'minDurationS', kind: 'number', min: 0 },
  ],
  intrusion: [
    { key: 'zoneId', kind: 'zone' },
    { key: 'minDurationS', kind: 'number', min: 0 },
    { key: 'classes', kind: 'classes' },
  ],
  wrongWay: [
    { key: 'lineId', kind: 'line' },
    { key: 'forbiddenDirection', kind: 'direction' },
    { key: 'classes', kind: 'classes' },
  ],
  stoppedVehicle: [
    { key: 'zoneId', kind: 'zone' },
    { key: 'minStoppedS', kind: 'number', min: 0 },
    { key: 'maxSpeedKmh', kind: 'number', min: 0 },
    { key: 'classes', kind: 'classes' },
  ],
  congestion: [
    { key: 'zoneId', kind: 'zone' },
    { key: 'capacityVehicles', kind: 'integer', min: 1 },
    { key: 'minLevel', kind: 'level' },
    { key: 'minDurationS', kind: 'number', min: 0 },
  ],
};

export function fieldsOf(type) {
  return [...COMMON, ...(PER_TYPE[type] ?? [{ key: 'minDurationS', kind: 'number', min: 0 }])];
}

function option(value, text) {
  return Object.assign(document.createElement('option'), { value, textContent: text });
}

/** The control for one field, holding the rule's current value; `analysis` gives the lines and zones. */
export function controlFor(field, rule, analysis, t) {
  const value = rule[field.key];
  if (field.kind === 'check') {
    return Object.assign(document.createElement('input'), { type: 'checkbox', checked: value !== false });
  }
  if (field.kind === 'classes') {
    const box = document.createElement('div');
    box.className = 'classes';
    for (const name of CLASSES) {
      const label = document.createElement('label');
      label.className = 'check';
      const input = Object.assign(document.createElement('input'), {
        type: 'checkbox',
        value: name,
        checked: Array.isArray(value) && value.includes(name),
      });
      label.append(input, document.createTextNode(t(name)));
      box.append(label);
    }
    return box;
  }
  if (['zone', 'line', 'direction', 'severity', 'level'].includes(field.kind)) {
    const select = document.createElement('select');
    select.append(option('', field.kind === 'severity' || field.kind === 'level' ? t('byDefault') : t('choose')));
    if (field.kind === 'zone') for (const zone of analysis.zones) select.append(option(zone.id, zone.name || zone.id));
    if (field.kind === 'line') for (const line of analysis.lines) select.append(option(line.id, line.name || line.id));
    if (field.kind === 'direction') {
      const line = analysis.lines.find((l) => l.id === rule.lineId);
      // The rule keeps the direction's code; the admin picks it by the name officers read, when it has one.
      for (const key of line?.directions ? ['leftToRight', 'rightToLeft'] : []) {
        const code = line.directions[key];
        const shown = line.directionNames?.[key];
        select.append(option(code, shown && shown !== code ? `${shown} (${code})` : code));
      }
      if (value && ![...select.options].some((o) => o.value === value)) select.append(option(value, value));
    }
    if (field.kind === 'severity') for (const s of SEVERITIES) select.append(option(s, t(`severity_${s}`)));
    if (field.kind === 'level')
      for (const level of [1, 2, 3, 4])
        select.append(
          option(String(level), t(['', 'level_light', 'level_moderate', 'level_heavy', 'level_jammed'][level])),
        );
    select.value = value === undefined || value === null ? '' : String(value);
    return select;
  }
  const input = document.createElement('input');
  input.type = field.kind === 'text' ? 'text' : 'number';
  if (field.kind !== 'text') {
    input.step = field.kind === 'integer' ? '1' : 'any';
    input.min = String(field.min ?? 0);
    input.inputMode = field.kind === 'integer' ? 'numeric' : 'decimal';
  } else input.maxLength = 120;
  input.value = value === undefined || value === null ? '' : String(value);
  return input;
}

/** The value a control holds, undefined when left empty (the API's default then applies). */
export function valueOf(field, control) {
  if (field.kind === 'check') return control.checked ? undefined : false;
  if (field.kind === 'classes') {
    const chosen = [...control.querySelectorAll('input:checked')].map((i) => i.value);
    return chosen.length ? chosen : undefined;
  }
  const raw = control.value.trim();
  if (raw === '') return undefined;
  if (field.kind === 'number' || field.kind === 'integer' || field.kind === 'level') return Number(raw);
  return raw;
}
