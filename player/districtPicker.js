// Picking districts on the admin pages: from the province's list (GET /api/districts) when an admin keeps
// one, as free text while it is empty. A user or key with no district ticked sees the whole province.
import { callApi, parseDistricts } from './adminApi.js';

export async function loadDistricts() {
  const result = await callApi('GET', '/api/districts?limit=1000');
  return result.ok ? result.body.items : [];
}

/** Replaces a text input by a <select> of the listed districts (a camera is in exactly one). */
export function districtSelect(input, names, t) {
  if (names.length === 0) return input;
  const select = document.createElement('select');
  select.name = input.name;
  select.required = true;
  select.append(Object.assign(document.createElement('option'), { value: '', textContent: t('choose') }));
  for (const name of names)
    select.append(Object.assign(document.createElement('option'), { value: name, textContent: name }));
  input.replaceWith(select);
  return select;
}

/** Ticks for several districts (users, keys) in place of the comma-separated text input. */
export function districtTicks(input, names) {
  if (names.length === 0)
    return { element: input, value: () => parseDistricts(input.value), reset: () => (input.value = '') };
  const box = document.createElement('div');
  box.className = 'classes district-ticks';
  box.dataset.name = input.name;
  for (const name of names) {
    const label = document.createElement('label');
    label.className = 'check';
    label.append(
      Object.assign(document.createElement('input'), { type: 'checkbox', value: name }),
      document.createTextNode(name),
    );
    box.append(label);
  }
  input.replaceWith(box);
  const ticks = () => [...box.querySelectorAll('input')];
  return {
    element: box,
    value: () => {
      const chosen = ticks()
        .filter((i) => i.checked)
        .map((i) => i.value);
      return chosen.length ? chosen : null;
    },
    reset: () => ticks().forEach((i) => (i.checked = false)),
  };
}
