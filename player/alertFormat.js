// Small pieces the alert list and detail share: local time (Asia/Ho_Chi_Minh, whatever the browser's zone)
// and the severity and state badges, which always carry a word as well as a colour.

export function timeFormatter(lang) {
  const full = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const clock = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return {
    /** dd/mm hh:mm:ss */
    full: (iso) => (iso ? full.format(new Date(iso)) : '—'),
    /** hh:mm:ss today, the full form on other days: the list stays short on a busy shift. */
    short: (iso) => {
      if (!iso) return '—';
      const date = new Date(iso);
      return day.format(date) === day.format(new Date()) ? clock.format(date) : full.format(date);
    },
  };
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function severityBadge(t, severity) {
  const badge = element('span', 'severity', t(`severity_${severity}`));
  badge.dataset.severity = severity;
  return badge;
}

export function stateBadge(t, state) {
  const badge = element('span', 'state', t(`state_${state}`));
  badge.dataset.state = state;
  return badge;
}
