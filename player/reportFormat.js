// How one archived report reads on the page: its data range as Vietnam calendar dates (the API's range is
// UTC, end exclusive), who made it, and its checksum shortened with a button that copies it whole.
const ZONE = 'Asia/Ho_Chi_Minh';

function localDate(ms, lang, options) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { timeZone: ZONE, ...options }).format(
    new Date(ms),
  );
}

/** "05/12/2026", "23/11/2026 – 29/11/2026" or "Tháng 11/2026" / "November 2026". */
export function periodText(report, lang) {
  const fromMs = Date.parse(report.periodFrom);
  const lastMs = Date.parse(report.periodTo) - 1;
  const day = { day: '2-digit', month: '2-digit', year: 'numeric' };
  if (report.kind === 'daily') return localDate(fromMs, lang, day);
  if (report.kind === 'monthly') {
    if (lang === 'en') return localDate(fromMs, lang, { month: 'long', year: 'numeric' });
    // vi-VN's own month format reads "tháng 11, 2026"; an official writes "Tháng 11/2026".
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, month: '2-digit', year: 'numeric' })
        .formatToParts(new Date(fromMs))
        .map((p) => [p.type, p.value]),
    );
    return `Tháng ${parts.month}/${parts.year}`;
  }
  return `${localDate(fromMs, lang, day)} – ${localDate(lastMs, lang, day)}`;
}

/** The period of `kind` containing the local date "YYYY-MM-DD", as the API computes it (core/reportPeriod.ts). */
export function periodOfDate(kind, date) {
  const [y, m, d] = date.split('-').map(Number);
  const offsetMs = 7 * 3_600_000;
  const dayMs = 86_400_000;
  const local = Date.UTC(y, m - 1, d);
  let fromLocal = local;
  let toLocal = local + dayMs;
  if (kind === 'weekly') {
    fromLocal = local - ((new Date(local).getUTCDay() + 6) % 7) * dayMs;
    toLocal = fromLocal + 7 * dayMs;
  } else if (kind === 'monthly') {
    fromLocal = Date.UTC(y, m - 1, 1);
    toLocal = Date.UTC(y, m, 1);
  }
  return {
    kind,
    periodFrom: new Date(fromLocal - offsetMs).toISOString(),
    periodTo: new Date(toLocal - offsetMs).toISOString(),
  };
}

export function madeByText(report, t) {
  return report.madeBy === 'scheduler' ? t('scheduler') : report.madeBy;
}

/** The first 12 hex digits shown, the whole sha256 in the title and copied by the button. */
export function checksumCell(sha256, t) {
  const cell = document.createElement('span');
  cell.className = 'checksum';
  const code = document.createElement('code');
  code.textContent = `${sha256.slice(0, 12)}…`;
  code.title = `${t('fingerprintHelp')}\n${sha256}`;
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'copy';
  copy.textContent = t('copy');
  copy.title = sha256;
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(sha256);
    } catch {
      // No clipboard (an insecure origin): select the whole checksum for Ctrl+C instead.
      code.textContent = sha256;
      getSelection()?.selectAllChildren(code);
    }
    copy.textContent = t('copied');
    setTimeout(() => (copy.textContent = t('copy')), 2000);
  });
  cell.append(code, copy);
  return cell;
}

export function downloadLinks(report, t) {
  const links = document.createElement('span');
  links.className = 'row-buttons';
  for (const format of ['pdf', 'csv']) {
    const link = document.createElement('a');
    link.href = `/api/reports/${report.id}/${format}`;
    link.className = `download ${format}`;
    link.setAttribute('download', '');
    link.textContent = t(format);
    links.append(link);
  }
  return links;
}
