// The header every page shares: title, page links, local clock (Asia/Ho_Chi_Minh) and language switch.
import { currentLanguage, formatLocalTime, translator } from './i18n.js';

const PAGES = [
  { href: '/wall.html', key: 'navWall' },
  { href: '/traffic.html', key: 'navTraffic' },
  { href: '/setup.html', key: 'navSetup' },
];

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
    if (location.pathname === page.href || (page.href === '/wall.html' && location.pathname === '/')) link.className = 'current';
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
  language.href = `?lang=${lang === 'vi' ? 'en' : 'vi'}`;
  header.append(title, nav, status, clock, language);
  document.body.prepend(header);
  const tick = () => (clock.textContent = formatLocalTime(new Date(), lang));
  tick();
  setInterval(tick, 1000);
  return { lang, t, status };
}
