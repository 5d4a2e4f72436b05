// Admin page for people and machines: create users with a role and districts (they change the initial
// password at first login), reset a password, disable; create API keys (the key shown once) and revoke them.
import { mountHeader, session } from './nav.js';
import { adminTranslator } from './adminStrings.js';
import { button, callApi, failureText, localTime, tableHead, tableRow, translatePage } from './adminApi.js';
import { districtTicks, loadDistricts } from './districtPicker.js';
import { mountDistrictList } from './districtList.js';

const ROLES = ['admin', 'police', 'transport', 'viewer'];
const { lang } = mountHeader('navAdminUsers');
const t = adminTranslator(lang);
translatePage(t);

for (const select of document.querySelectorAll('select[name="role"]')) {
  select.replaceChildren(
    ...ROLES.map((role) =>
      Object.assign(document.createElement('option'), { value: role, textContent: t(`role_${role}`) }),
    ),
  );
  select.value = 'police';
}

function say(id, text, ok = false) {
  const element = document.getElementById(id);
  element.className = `message ${ok ? 'ok' : 'error'}`;
  element.textContent = text;
}

const districtNames = await loadDistricts();
const userDistricts = districtTicks(document.querySelector('#user-form input[name="districts"]'), districtNames);
const keyDistricts = districtTicks(document.querySelector('#key-form input[name="districts"]'), districtNames);
if (districtNames.length)
  for (const help of document.querySelectorAll('[data-t="districtsHelp"]')) help.textContent = t('districtsTickHelp');

const districtsText = (districts) => (districts === null ? t('wholeProvince') : districts.join(', '));

const userForm = document.getElementById('user-form');
userForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = await callApi('POST', '/api/users', {
    username: userForm.elements.username.value.trim(),
    role: userForm.elements.role.value,
    districts: userDistricts.value(),
    password: userForm.elements.password.value,
  });
  if (!result.ok) return say('user-message', t('saveFailed', { message: failureText(result) }));
  userForm.reset();
  userDistricts.reset();
  userForm.elements.role.value = 'police';
  say('user-message', t('saved'), true);
  await loadUsers();
});

async function patchUser(user, patch) {
  const result = await callApi('PATCH', `/api/users/${user.id}`, patch);
  if (!result.ok) say('user-message', t('saveFailed', { message: failureText(result) }));
  else say('user-message', t('saved'), true);
  await loadUsers();
}

async function resetPassword(user) {
  const password = prompt(t('resetPrompt', { name: user.username }));
  if (password) await patchUser(user, { password });
}

async function loadUsers() {
  const me = await session;
  const result = await callApi('GET', '/api/users?limit=1000');
  if (!result.ok) return say('user-message', failureText(result));
  const columns = [t('username'), t('role'), t('district'), t('state'), t('created'), t('actions')];
  const table = document.getElementById('user-table');
  table.replaceChildren();
  tableHead(table, columns);
  const body = table.createTBody();
  for (const user of result.body.items) {
    const state = document.createElement('span');
    state.className = user.mustChangePassword && !user.disabled ? 'badge warn' : 'badge';
    state.dataset.on = String(!user.disabled);
    state.textContent = user.disabled ? t('userLocked') : user.mustChangePassword ? t('mustChange') : t('userActive');
    const actions = document.createElement('div');
    actions.className = 'row-buttons';
    actions.append(button(t('resetPassword'), () => resetPassword(user)));
    if (user.id !== me.id)
      actions.append(
        button(t(user.disabled ? 'unlockUser' : 'lockUser'), () => patchUser(user, { disabled: !user.disabled })),
      );
    const row = tableRow(columns, [
      user.username,
      t(`role_${user.role}`),
      districtsText(user.districts),
      state,
      localTime(user.createdAt, lang),
      actions,
    ]);
    row.dataset.username = user.username;
    body.append(row);
  }
}

const keyForm = document.getElementById('key-form');
keyForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = await callApi('POST', '/api/keys', {
    name: keyForm.elements.name.value.trim(),
    role: keyForm.elements.role.value,
    districts: keyDistricts.value(),
  });
  if (!result.ok) return say('key-message', t('saveFailed', { message: failureText(result) }));
  keyForm.reset();
  keyDistricts.reset();
  keyForm.elements.role.value = 'police';
  say('key-message', '');
  const shown = document.getElementById('new-key');
  shown.querySelector('.secret').textContent = result.body.key;
  shown.hidden = false;
  await loadKeys();
});

async function revoke(key) {
  if (!confirm(t('confirmRevoke', { name: key.name }))) return;
  const result = await callApi('DELETE', `/api/keys/${key.id}`);
  if (!result.ok) say('key-message', t('saveFailed', { message: failureText(result) }));
  await loadKeys();
}

async function loadKeys() {
  const result = await callApi('GET', '/api/keys?limit=1000');
  if (!result.ok) return say('key-message', failureText(result));
  const columns = [t('keyName'), t('role'), t('district'), t('created'), t('lastUse'), t('state')];
  const table = document.getElementById('key-table');
  table.replaceChildren();
  tableHead(table, columns);
  const body = table.createTBody();
  for (const key of result.body.items) {
    const state = key.revoked
      ? Object.assign(document.createElement('span'), { className: 'badge', textContent: t('revoked') })
      : button(t('revoke'), () => revoke(key));
    const lastUse = key.lastUsedAt ? localTime(key.lastUsedAt, lang) : t('never');
    body.append(
      tableRow(columns, [
        key.name,
        t(`role_${key.role}`),
        districtsText(key.districts),
        localTime(key.createdAt, lang),
        lastUse,
        state,
      ]),
    );
  }
  document.getElementById('no-keys').hidden = result.body.items.length > 0;
}

mountDistrictList(document.getElementById('district-list'), districtNames, t);
await Promise.all([loadUsers(), loadKeys()]);
document.body.dataset.loaded = 'true';
