// The login page: username and password → a session cookie (HttpOnly, set by the API), then back to
// the page that sent the browser here. Vietnamese by default, English on request.
import { chooseLanguage, currentLanguage, translator } from './i18n.js';

const lang = currentLanguage();
const t = translator(lang);
document.documentElement.lang = lang;
document.title = `IOC Vision — ${t('loginTitle')}`;
document.getElementById('form-title').textContent = t('loginTitle');
document.getElementById('submit').textContent = t('login');
const language = document.getElementById('language');
language.textContent = t('language');
const params = new URLSearchParams(location.search);
params.set('lang', lang === 'vi' ? 'en' : 'vi');
language.href = `?${params}`;
language.addEventListener('click', () => chooseLanguage(params.get('lang')));
for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);

/** Only a path of this site: never an absolute URL an attacker put in ?next=. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

const message = document.getElementById('message');
document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  message.textContent = '';
  const body = {
    username: document.getElementById('username').value.trim(),
    password: document.getElementById('password').value,
  };
  try {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.ok) {
      // The session cookie is Secure: a browser on plain http (not localhost) drops it, and would loop back here.
      const me = await fetch('/api/auth/me');
      if (me.ok) {
        // A password an admin set is changed first, then on to the page asked for.
        const { mustChangePassword } = await me.json();
        location.replace(mustChangePassword ? `/password.html?next=${encodeURIComponent(nextPage())}` : nextPage());
        return;
      }
      message.textContent = t('cookieRefused');
      return;
    }
    message.textContent =
      response.status === 429
        ? t('loginLocked')
        : response.status === 401 || response.status === 400
          ? t('loginFailed')
          : t('loginError');
  } catch {
    message.textContent = t('loginError');
  }
  document.getElementById('password').value = '';
});
