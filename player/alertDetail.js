// The detail pane of the selected alert: what, where and when, the evidence, the history, and the duty
// actions (acknowledge, resolve, dismiss with a reason, assign, note), whose refusals are shown as the API words them.
import { alertMessage } from './alertMessage.js';
import { currentLanguage } from './i18n.js';
import { fetchAlert, runAction } from './alertApi.js';
import { AlertEvidence } from './alertEvidence.js';
import { renderDeliveries, renderFacts, renderHistory } from './alertHistory.js';
import { element, severityBadge, stateBadge } from './alertFormat.js';

/**
 * j/k runs through alerts quickly: the history and the snapshot are fetched once the selection rests this
 * long, so passing over an alert neither loads its evidence nor writes a "snapshot viewed" into its history.
 */
const SETTLE_MS = 300;
const OPEN_STATES = new Set(['new', 'acknowledged']);

/** What an alert's state allows; the server decides in the end, this only greys out the pointless. */
const ALLOWED = {
  acknowledge: (alert) => alert.state === 'new',
  resolve: (alert) => OPEN_STATES.has(alert.state),
  dismiss: (alert) => OPEN_STATES.has(alert.state),
  assign: (alert) => OPEN_STATES.has(alert.state),
  note: (alert) => OPEN_STATES.has(alert.state), // closed alerts are final, notes included
};

/** Actions that ask for a text first (acknowledge goes straight through: one key at a busy desk). */
const PROMPTS = {
  resolve: { title: 'resolve', label: 'resolveNote', required: false },
  dismiss: { title: 'dismiss', label: 'dismissReason', required: true },
  assign: { title: 'assign', label: 'assignee', required: false, maxLength: 100 },
  note: { title: 'addNote', label: 'noteText', required: true },
};

export const ACTION_LABELS = {
  acknowledge: 'acknowledge',
  resolve: 'resolve',
  dismiss: 'dismiss',
  assign: 'assign',
  note: 'addNote',
};

export class AlertDetail {
  /**
   * @param {HTMLElement} root  the #detail section
   * @param {{ t: Function, times: object, prompt: import('./alertPrompt.js').AlertPrompt, onUpdated: (alert: object) => void }} options
   */
  constructor(root, { t, times, prompt, onUpdated }) {
    this.root = root;
    this.t = t;
    this.times = times;
    this.prompt = prompt;
    this.onUpdated = onUpdated;
    this.alert = null;
    this.busy = false;
    this.historyTimer = null;
    this.historyRequest = 0;
    this.body = root.querySelector('#detail-body');
    this.empty = root.querySelector('#detail-empty');
    this.message = root.querySelector('#action-message');
    // A viewing is written into the alert's history: show it there.
    this.evidence = new AlertEvidence(root, t, (id) => {
      if (this.alert?.id === id) this.loadSoon(id);
    });
    this.buttons = {};
    for (const action of Object.keys(ALLOWED)) {
      const button = root.querySelector(`#act-${action}`);
      button.textContent = t(ACTION_LABELS[action]);
      button.addEventListener('click', () => void this.act(action));
      this.buttons[action] = button;
    }
    this.empty.textContent = t('selectAlert');
    this.setPermissions({ canAct: false, canSeeEvidence: false }); // until the session says otherwise
    this.show(null);
  }

  /** Hides what the API would refuse this role anyway: the actions (alerts:write), the evidence (alerts:evidence). */
  setPermissions({ canAct, canSeeEvidence }) {
    this.root.querySelector('.actions').hidden = !canAct;
    this.root.querySelector('.evidence').hidden = !canSeeEvidence;
    this.canAct = canAct;
    this.canSeeEvidence = canSeeEvidence;
    if (this.alert) this.loadSoon(this.alert.id);
  }

  /** Shows an alert (null: the placeholder). The same alert again keeps the clip playing and the message. */
  show(alert) {
    const sameAlert = alert !== null && this.alert?.id === alert.id;
    this.alert = alert;
    this.root.dataset.alertId = alert?.id ?? '';
    this.body.hidden = alert === null;
    this.empty.hidden = alert !== null;
    if (!alert) {
      this.evidence.clear();
      this.say('');
      return;
    }
    if (!sameAlert) this.say('');
    this.renderHead(alert);
    renderFacts(this.root.querySelector('#detail-facts'), this.t, this.times, alert);
    this.updateButtons();
    if (!sameAlert) {
      this.evidence.clear();
      this.root.querySelector('#detail-history').replaceChildren();
      renderDeliveries(this.root.querySelector('#detail-deliveries'), this.t, this.times, []);
    } else if (this.evidence.alertId === alert.id) {
      // The same alert, changed: a clip that became ready shows its play button, a playing one plays on.
      this.evidence.show(alert);
    }
    this.loadSoon(alert.id);
  }

  renderHead(alert) {
    const head = this.root.querySelector('#detail-head');
    const title = element('h2', null, this.t(`type_${alert.type}`));
    title.id = 'detail-title';
    const state = stateBadge(this.t, alert.state);
    state.id = 'detail-state';
    const activity = element('span', 'activity', alert.active ? this.t('activeNow') : this.t('ended'));
    activity.dataset.active = String(alert.active);
    head.replaceChildren(severityBadge(this.t, alert.severity), title, state, activity);
    head.dataset.severity = alert.severity;
    // The facts in the console's language, with the names of the line, zone and direction.
    const summary = this.root.querySelector('#detail-summary');
    const lang = currentLanguage();
    summary.textContent = alertMessage(alert, lang);
    summary.lang = lang;
  }

  updateButtons() {
    for (const [action, button] of Object.entries(this.buttons)) {
      button.disabled = this.busy || !this.alert || !ALLOWED[action](this.alert);
    }
  }

  loadSoon(id) {
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => {
      // A role without evidence access never asks for it (each view is recorded in the alert's history).
      if (this.canSeeEvidence && this.alert?.id === id && this.evidence.alertId !== id) this.evidence.show(this.alert);
      void this.loadHistory(id);
    }, SETTLE_MS);
  }

  async loadHistory(id) {
    const request = ++this.historyRequest;
    const history = this.root.querySelector('#detail-history');
    try {
      const { alert: fresh, history: entries, deliveries } = await fetchAlert(id);
      if (request !== this.historyRequest || this.alert?.id !== id) return;
      renderHistory(history, this.t, this.times, entries);
      renderDeliveries(this.root.querySelector('#detail-deliveries'), this.t, this.times, deliveries);
      // The alert as the server has it now: a change the live feed missed shows here too.
      this.onUpdated(fresh);
    } catch (error) {
      if (request !== this.historyRequest || this.alert?.id !== id) return;
      history.replaceChildren(element('li', 'error', error.message));
    }
  }

  /** Runs a duty action on the shown alert, asking its text first where it needs one. */
  async act(action) {
    const alert = this.alert;
    if (!alert || this.busy || !this.canAct || !ALLOWED[action](alert)) return;
    let text = '';
    const ask = PROMPTS[action];
    if (ask) {
      const title = `${this.t(ask.title)} — ${this.t(`type_${alert.type}`)} · ${alert.cameraName}`;
      text = await this.prompt.ask({
        title,
        label: this.t(ask.label),
        required: ask.required,
        maxLength: ask.maxLength,
      });
      if (text === null) return;
    }
    this.busy = true;
    this.updateButtons();
    this.root.setAttribute('aria-busy', 'true');
    try {
      const updated = await runAction(alert.id, action, text);
      this.say(this.t(`done_${action}`));
      this.onUpdated(updated);
    } catch (error) {
      this.say(`${this.t('actionFailed')}: ${error.message}`, error.code);
      // Refused because someone else moved it first (409): show the alert as it now is.
      if (error.status === 409) this.loadSoon(alert.id);
    } finally {
      this.busy = false;
      this.root.removeAttribute('aria-busy');
      this.updateButtons();
    }
  }

  say(text, errorCode = null) {
    this.message.textContent = text;
    this.message.className = errorCode ? 'error' : 'ok';
    if (errorCode) this.message.dataset.code = errorCode;
    else delete this.message.dataset.code;
  }
}
