// The live alert feed: the /api/live WebSocket subscribed to alerts, reconnecting with exponential backoff
// (with jitter, so a restarted API is not hit by every console at once) and reporting its state to the page.

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;
/** A subscription the server refused for a passing reason (PostgreSQL away) is asked again after this. */
const RESUBSCRIBE_MS = 5000;
/** The API closes a socket whose session ended with this code: log in again rather than retry. */
const CLOSE_SESSION_ENDED = 4401;

export class AlertFeed {
  /**
   * @param {object} handlers
   * @param {(message: {event: string, alert: object}) => void} handlers.onAlert
   * @param {(state: 'connecting'|'live'|'reconnecting'|'error'|'unavailable', retryInMs?: number) => void} handlers.onState
   * @param {() => void} handlers.onReconnected  subscribed again after a loss: catch up on the gap
   * @param {() => void} handlers.onSessionEnded
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.socket = null;
    this.attempt = 0;
    this.everSubscribed = false;
    this.retryTimer = null;
    this.countdownTimer = null;
    this.resubscribeTimer = null;
    this.closed = false;
  }

  start() {
    this.closed = false;
    this.connect();
  }

  connect() {
    this.clearTimers();
    this.handlers.onState('connecting');
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`);
    this.socket = socket;
    socket.addEventListener('open', () => {
      // 'live' once the server says it listens ('subscribed'): an alert raised before then would be missed.
      this.subscribe();
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      if (event.code === CLOSE_SESSION_ENDED) {
        this.handlers.onSessionEnded();
        return;
      }
      this.scheduleReconnect();
    });
  }

  subscribe() {
    if (this.socket?.readyState === WebSocket.OPEN)
      this.socket.send(JSON.stringify({ type: 'subscribe', alerts: true }));
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.type === 'alert' && message.alert) {
      // A working subscription resets the backoff: the next loss starts again from a short wait.
      this.attempt = 0;
      this.handlers.onAlert(message);
    } else if (message.type === 'subscribed') {
      this.attempt = 0;
      // alerts: false is the server's refusal for good (no alert feed there, or not for this role).
      this.handlers.onState(message.alerts === false ? 'unavailable' : 'live');
      // Alerts raised while the feed was down never reach it: the page reloads the list to close the gap.
      if (this.everSubscribed) this.handlers.onReconnected();
      this.everSubscribed = true;
    } else if (message.type === 'error') {
      this.handlers.onState('error');
      clearTimeout(this.resubscribeTimer);
      this.resubscribeTimer = setTimeout(() => {
        this.subscribe();
      }, RESUBSCRIBE_MS);
    }
  }

  scheduleReconnect() {
    const baseMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempt);
    const delayMs = Math.round(baseMs * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    const dueMs = Date.now() + delayMs;
    const report = () => this.handlers.onState('reconnecting', Math.max(0, dueMs - Date.now()));
    report();
    this.countdownTimer = setInterval(report, 1000);
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  /** Reconnect now (the officer asked, or the browser came back online), skipping the rest of the wait. */
  retryNow() {
    if (this.closed || this.socket) return;
    this.connect();
  }

  clearTimers() {
    clearTimeout(this.retryTimer);
    clearInterval(this.countdownTimer);
    clearTimeout(this.resubscribeTimer);
  }

  close() {
    this.closed = true;
    this.clearTimers();
    this.socket?.close();
    this.socket = null;
  }
}
