// The alerts console for police duty officers: the alerts of their districts, newest first, live from the
// /api/live feed on top of the filtered list, an alarm for critical ones, the detail with evidence, and the
// duty actions at one key each. Wires the pieces; each lives in its own module.
import { PrecisionPanel } from './alertPrecision.js';
import { mountHeader, toLogin } from './nav.js';
import { alertTranslator } from './alertStrings.js';
import { timeFormatter } from './alertFormat.js';
import { fetchAlert, listAlerts, listCameras } from './alertApi.js';
import { AlertFilters } from './alertFilters.js';
import { AlertList } from './alertList.js';
import { AlertDetail } from './alertDetail.js';
import { AlertPrompt } from './alertPrompt.js';
import { AlertFeed } from './alertFeed.js';
import { AlertSound } from './alertSound.js';
import { bindShortcuts, fillHelp } from './alertKeys.js';

const PAGE_SIZE = 100;

const { lang, status, session } = mountHeader('alertsTitle');
const t = alertTranslator(lang);
const times = timeFormatter(lang);
for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
for (const element of document.querySelectorAll('[data-t-placeholder]'))
  element.placeholder = t(element.dataset.tPlaceholder);

const byId = (id) => document.getElementById(id);
const summary = byId('list-summary');
const empty = byId('list-empty');
const loadMoreButton = byId('load-more');
const feedState = byId('feed-state');
const muteButton = byId('mute');
const soundBlocked = byId('sound-blocked');
const helpDialog = byId('help');
empty.textContent = t('noAlerts');
loadMoreButton.textContent = t('loadMore');
soundBlocked.textContent = t('soundBlocked');
byId('back').textContent = `← ${t('back')}`;
fillHelp(helpDialog, t);

// ---- list, detail and filters ----

const prompt = new AlertPrompt(byId('prompt'), t);
const precision = new PrecisionPanel(byId('precision'), t);
void precision.refresh();
const detail = new AlertDetail(byId('detail'), {
  t,
  times,
  prompt,
  onUpdated: (alert) => {
    applyAlert('stateChanged', alert);
    // A dismissal or a resolution moves its rule's precision at once.
    void precision.refresh();
  },
});
const list = new AlertList(byId('alert-list'), {
  t,
  times,
  onSelect(alert, { open }) {
    detail.show(alert);
    if (!alert) document.body.classList.remove('detail-open');
    else if (open) document.body.classList.add('detail-open');
  },
});
const filtersToggle = byId('filters-toggle');
const filters = new AlertFilters(byId('filters'), t, () => {
  showFiltersToggle();
  // What the new filters exclude leaves at once; the reload then brings in what they include.
  for (const alert of list.ordered())
    if (!filters.matches(alert) && alert.id !== list.selectedId) list.remove(alert.id);
  updateSummary();
  void reload();
});
// On a phone the filters fold away behind one button that says how many are set.
function showFiltersToggle() {
  const set = filters.activeCount();
  filtersToggle.textContent = `${t('filtersToggle')}${set ? ` (${set})` : ''}`;
}
filtersToggle.addEventListener('click', () => {
  const open = byId('filters').closest('.toolbar').classList.toggle('filters-open');
  filtersToggle.setAttribute('aria-expanded', String(open));
});
showFiltersToggle();

/** What the API holds for these filters, and how many of them are loaded (for "load more"). */
let total = 0;
let loadedFromApi = 0;
let reloadSeq = 0;
/** Live messages that arrive while a reload is in flight: applied again on top of its (older) answer. */
let heldDuringReload = null;

function updateSummary() {
  const newCount = list.countNew();
  summary.textContent = `${t('newCount', { n: newCount })} · ${t('shown', { n: list.size, total: Math.max(total, list.size) })}`;
  summary.dataset.new = String(newCount);
  empty.hidden = list.size > 0;
  loadMoreButton.hidden = loadedFromApi >= total;
  document.title = `${newCount ? `(${newCount}) ` : ''}IOC Vision — ${t('alertsTitle')}`;
}

function showLoadFailure(error) {
  status.textContent = `${t('loadFailed')} ${error.message ?? ''}`.trim();
  status.dataset.ok = 'false';
}

async function reload() {
  const seq = ++reloadSeq;
  heldDuringReload = [];
  try {
    const page = await listAlerts(filters.query(PAGE_SIZE, 0));
    if (seq !== reloadSeq) return;
    total = page.total;
    loadedFromApi = page.items.length;
    list.replaceAll(page.items.filter((alert) => filters.matches(alert)));
    for (const message of heldDuringReload) applyAlert(message.event, message.alert, { quiet: true });
    status.textContent = '';
    status.dataset.ok = 'true';
    document.body.dataset.loaded = 'true';
  } catch (error) {
    if (seq === reloadSeq) showLoadFailure(error);
  } finally {
    if (seq === reloadSeq) heldDuringReload = null;
    updateSummary();
  }
}

async function loadMore() {
  loadMoreButton.disabled = true;
  try {
    const page = await listAlerts(filters.query(PAGE_SIZE, loadedFromApi));
    total = page.total;
    loadedFromApi += page.items.length;
    list.append(page.items.filter((alert) => filters.matches(alert)));
  } catch (error) {
    showLoadFailure(error);
  } finally {
    loadMoreButton.disabled = false;
    updateSummary();
  }
}
loadMoreButton.addEventListener('click', () => void loadMore());

/**
 * One alert from the live feed or an action's answer: shown if the filters take it, dropped if they no
 * longer do (unless it is the one the officer has open), with the alarm for a new critical one.
 */
function applyAlert(event, alert, { quiet = false } = {}) {
  if (filters.matches(alert) || alert.id === list.selectedId) {
    const outcome = list.upsert(alert, { fresh: event === 'raised' });
    if (outcome === 'added' && event === 'raised' && !quiet) {
      // A new alert sits at the top of the API's order too: the next page starts one further down.
      total += 1;
      loadedFromApi += 1;
      if (alert.severity === 'critical') sound.beep();
    }
  } else {
    list.remove(alert.id);
  }
  updateSummary();
}

// ---- live feed ----

const feed = new AlertFeed({
  onAlert(message) {
    heldDuringReload?.push(message);
    applyAlert(message.event, message.alert);
  },
  onState(state, retryInMs) {
    feedState.dataset.state = state;
    feedState.textContent =
      state === 'reconnecting' ? t('feed_reconnecting', { s: Math.ceil(retryInMs / 1000) }) : t(`feed_${state}`);
  },
  onReconnected: () => void reload(),
  onSessionEnded: toLogin,
});
feedState.addEventListener('click', () => feed.retryNow());
window.addEventListener('online', () => feed.retryNow());

// ---- sound ----

const sound = new AlertSound({
  onBlockedChange: (blocked) => (soundBlocked.hidden = !blocked),
  onBeep: () => (muteButton.dataset.beeps = String(Number(muteButton.dataset.beeps ?? 0) + 1)),
});
function showMuted() {
  muteButton.setAttribute('aria-pressed', String(sound.muted));
  muteButton.textContent = sound.muted ? t('unmute') : t('mute');
}
function toggleMute() {
  sound.toggleMuted();
  showMuted();
}
muteButton.addEventListener('click', toggleMute);
soundBlocked.addEventListener('click', () => sound.unlock());
showMuted();

// ---- phone layout and keyboard ----

function closeDetail() {
  if (!document.body.classList.contains('detail-open')) return;
  document.body.classList.remove('detail-open');
  const selected = list.selectedId && document.querySelector(`#alert-list li[data-alert-id="${list.selectedId}"]`);
  selected?.focus({ preventScroll: false });
}
byId('back').addEventListener('click', closeDetail);
byId('help-button').addEventListener('click', () => helpDialog.showModal());

bindShortcuts({
  next: () => list.move(1),
  previous: () => list.move(-1),
  acknowledge: () => void detail.act('acknowledge'),
  resolve: () => void detail.act('resolve'),
  dismiss: () => void detail.act('dismiss'),
  note: () => void detail.act('note'),
  mute: toggleMute,
  filter: () => filters.focus(),
  help: () => helpDialog.showModal(),
  close: closeDetail,
});

// ---- start ----

/** ?alert=<id> opens that alert (a link from elsewhere), even when the filters would not list it. */
async function openLinkedAlert() {
  const id = new URLSearchParams(location.search).get('alert');
  if (!id) return;
  try {
    const { alert } = await fetchAlert(id);
    list.upsert(alert);
    list.select(alert.id, { open: true });
    updateSummary();
  } catch (error) {
    showLoadFailure(error);
  }
}

session.then(async (me) => {
  detail.setPermissions({
    canAct: me.permissions.includes('alerts:write'),
    canSeeEvidence: me.permissions.includes('alerts:evidence'),
  });
  feed.start();
  // The camera list first: a district or camera asked for in the URL needs its option to exist.
  await listCameras()
    .then((cameras) => filters.setCameras(cameras))
    .catch(() => undefined);
  showFiltersToggle();
  await reload();
  await openLinkedAlert();
});
