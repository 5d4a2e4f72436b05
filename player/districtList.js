// The province's district list on the users page: province-wide admins add and remove names; users, keys
// and cameras then pick from it (an empty list leaves district names as free text).
import { button, callApi, failureText } from './adminApi.js';

export function mountDistrictList(card, names, t) {
  const title = Object.assign(document.createElement('h2'), { textContent: t('districtListTitle') });
  const help = Object.assign(document.createElement('p'), {
    className: 'help',
    textContent: t(names.length ? 'districtListHelp' : 'districtListEmpty'),
  });
  const list = document.createElement('ul');
  list.className = 'district-list';
  const form = document.createElement('form');
  form.className = 'fields';
  const label = document.createElement('label');
  const input = Object.assign(document.createElement('input'), {
    name: 'district',
    required: true,
    maxLength: 120,
    autocomplete: 'off',
  });
  label.append(Object.assign(document.createElement('span'), { textContent: t('district') }), input);
  const buttons = Object.assign(document.createElement('div'), { className: 'buttons' });
  buttons.append(Object.assign(document.createElement('button'), { type: 'submit', textContent: t('addDistrict') }));
  const message = Object.assign(document.createElement('p'), { className: 'message error', role: 'alert' });
  form.append(label, buttons, message);
  card.append(title, help, list, form);

  // The pickers above are built from the list as loaded: a change shows after a reload of the page.
  const reload = () => location.reload();
  for (const name of names) {
    const item = document.createElement('li');
    item.dataset.district = name;
    item.append(
      document.createTextNode(name),
      button(t('delete'), async () => {
        if (!confirm(t('confirmDeleteDistrict', { name }))) return;
        const result = await callApi('DELETE', `/api/districts/${encodeURIComponent(name)}`);
        if (!result.ok) message.textContent = t('saveFailed', { message: failureText(result) });
        else reload();
      }),
    );
    list.append(item);
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await callApi('POST', '/api/districts', { name: input.value.trim() });
    if (!result.ok) message.textContent = t('saveFailed', { message: failureText(result) });
    else reload();
  });
}
