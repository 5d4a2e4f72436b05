// "Change my password" for everyone: the current password, the new one twice. A user whose password an
// admin set (or the first admin's, from config) is sent here by nav.js until they have changed it.
import { mountHeader, session } from './nav.js';
import { adminTranslator } from './adminStrings.js';

const { lang } = mountHeader('passwordTitle');
const t = adminTranslator(lang);
document.title = `IOC Vision — ${t('passwordTitle')}`;
document.getElementById('title').textContent = `IOC Vision — ${t('passwordTitle')}`;
for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);

/** Only a path of this site, never the password page itself. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/password.html')
    ? next
    : '/';
}

const message = document.getElementById('message');
const fields = {
  current: document.getElementById('current'),
  new: document.getElementById('new'),
  repeat: document.getElementById('repeat'),
};

session.then((me) => {
  document.getElementById('forced').hidden = !me.mustChangePassword;
  document.body.dataset.loaded = 'true';
});

function problemOf() {
  if (fields.new.value.length < 12) return t('passwordTooShort');
  if (fields.new.value !== fields.repeat.value) return t('passwordMismatch');
  if (fields.new.value === fields.current.value) return t('passwordSame');
  return null;
}

document.getElementById('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  message.className = 'message error';
  const problem = problemOf();
  if (problem) {
    message.textContent = problem;
    return;
  }
  const response = await fetch('/api/auth/password', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ currentPassword: fields.current.value, newPassword: fields.new.value }),
  });
  if (response.status === 204) {
    message.className = 'message ok';
    message.textContent = t('passwordChanged');
    location.replace(nextPage());
    return;
  }
  const body = await response.json().catch(() => ({}));
  const code = body.error?.code;
  message.textContent =
    code === 'IOC_LOGIN_FAILED'
      ? t('passwordWrong')
      : code === 'IOC_LOGIN_LOCKED'
        ? t('loginLocked')
        : t('saveFailed', { message: body.error?.message ?? response.status });
  fields.current.value = '';
});
