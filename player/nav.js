// The header every page shares: title, the page links this user may open, local clock
// (Asia/Ho_Chi_Minh), language switch, who is logged in and logout. Any API answer of 401 (no session,
// or it ended) sends the browser to the login page, back here after login.
import { chooseLanguage, currentLanguage, formatLocalTime, translator } from './i18n.js';

const PAGES = [
  { href: '/wall.html', key: 'navWall', permission: 'cameras:list' },
  { href: '/traffic.html', key: 'navTraffic', permission: 'counts' },
  { href: '/alerts.html', key: 'navAlerts', permission: 'alerts:read' },
  { href: '/reports.html', key: 'navReports', permission: 'reports:read' },
  { href: '/setup.html', key: 'navSetup', permission: 'analysis:write' },
  { href: '/admin-cameras.html', key: 'navAdminCameras', permission: 'cameras:write' },
  { href: '/admin-rules.html', key: 'navAdminRules', permission: 'alertRules:write' },
  { href: '/admin-users.html', key: 'navAdminUsers', permission: 'users' },
  { href: '/admin-audit.html', key: 'navAdminAudit', permission: 'audit' },
];
const PASSWORD_PAGE = '/password.html';

function mayOpen(me, page) {
  return me.permissions.includes(page.permission);
}

export function toLogin() {
  const next = `${location.pathname}${location.search}`;
  location.replace(`/login.html?next=${encodeURIComponent(next)}`);
}

const pageFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const response = await pageFetch(input, init);
  const url = typeof input === 'string' ? input : input.url;
  const isApi = new URL(url, location.href).pathname.startsWith('/api/');
  if (response.status === 401 && isApi) toLogin();
  // The API holds back a password someone else chose as the pages do: a page opened before the header knew goes too.
  if (response.status === 403 && isApi && location.pathname !== PASSWORD_PAGE) {
    const code = await response
      .clone()
      .json()
      .then(
        (body) => body?.error?.code,
        () => undefined,
      );
    if (code === 'IOC_PASSWORD_CHANGE_REQUIRED') toPasswordPage();
  }
  return response;
};

function toPasswordPage() {
  location.replace(`${PASSWORD_PAGE}?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`);
}

/** The logged-in user ({ name, role, districts, permissions }); the login page when there is none. */
export const session = pageFetch('/api/auth/me', { headers: { accept: 'application/json' } }).then((response) => {
  if (response.status === 401) {
    toLogin();
    return new Promise(() => {}); // the page is going away
  }
  return response.json();
});

export function mountHeader(titleKey) {
  const lang = currentLanguage();
  const t = translator(lang);
  document.documentElement.lang = lang;
  document.title = `IOC Vision — ${t(titleKey)}`;
  const header = document.createElement('header');
  const title = document.createElement('h1');
  title.id = 'title';
  title.textContent = `IOC Vision — ${t(titleKey)}`;
  const nav = document.createElement('nav');
  for (const page of PAGES) {
    const link = document.createElement('a');
    link.href = page.href;
    link.textContent = t(page.key);
    link.hidden = true; // shown once the session says this user may open it
    if (location.pathname === page.href || (page.href === '/wall.html' && location.pathname === '/'))
      link.className = 'current';
    nav.append(link);
  }
  const status = document.createElement('span');
  status.id = 'status';
  status.dataset.ok = 'true';
  const clock = document.createElement('span');
  clock.id = 'clock';
  const language = document.createElement('a');
  language.id = 'language';
  language.textContent = t('language');
  const other = lang === 'vi' ? 'en' : 'vi';
  const languageParams = new URLSearchParams(location.search);
  languageParams.set('lang', other);
  language.href = `?${languageParams}`;
  language.addEventListener('click', () => chooseLanguage(other));
  // Everyone's own page: the name in the header opens "change my password".
  const user = document.createElement('a');
  user.id = 'user';
  user.href = '/password.html';
  const logout = document.createElement('button');
  logout.id = 'logout';
  logout.textContent = t('logout');
  logout.addEventListener('click', async () => {
    await pageFetch('/api/auth/logout', { method: 'POST' });
    location.replace('/login.html');
  });
  header.append(title, nav, status, clock, language, user, logout);
  document.body.prepend(header);
  const tick = () => (clock.textContent = formatLocalTime(new Date(), lang));
  tick();
  setInterval(tick, 1000);
  session.then((me) => {
    document.body.dataset.role = me.role;
    user.textContent = me.name;
    user.title = `${t(`role_${me.role}`)} — ${t('navPassword')}`;
    // A password someone else chose: nothing else opens until its owner has replaced it.
    for (const [i, link] of [...nav.querySelectorAll('a')].entries())
      link.hidden = me.mustChangePassword || !mayOpen(me, PAGES[i]);
    if (me.mustChangePassword && location.pathname !== PASSWORD_PAGE) {
      toPasswordPage();
      return;
    }
    const here = PAGES.find(
      (p) => p.href === location.pathname || (p.href === '/wall.html' && location.pathname === '/'),
    );
    if (here && !mayOpen(me, here)) {
      const allowed = PAGES.find((p) => me.permissions.includes(p.permission));
      location.replace(allowed ? allowed.href : '/login.html');
    }
  });
  return { lang, t, status, session };
}
