// The duty desk's alarm: a short WebAudio beep for critical alerts, muted on request (remembered per
// browser). Browsers keep audio suspended until a first click or key press, so the page is told when a
// beep could not sound and the first gesture anywhere unlocks it.

const MUTED_KEY = 'ioc.alerts.muted';
/** Several critical alerts at once make one beep, not a siren of overlapping tones. */
const MIN_GAP_MS = 1500;
const TONES = [
  { hz: 880, startS: 0, lengthS: 0.16 },
  { hz: 660, startS: 0.22, lengthS: 0.16 },
];

export class AlertSound {
  /**
   * @param {object} [hooks]
   * @param {(blocked: boolean) => void} [hooks.onBlockedChange]  true while a beep waits for a user gesture
   * @param {() => void} [hooks.onBeep]  a beep was played
   */
  constructor({ onBlockedChange = () => {}, onBeep = () => {} } = {}) {
    this.muted = localStorage.getItem(MUTED_KEY) === 'true';
    this.onBlockedChange = onBlockedChange;
    this.onBeep = onBeep;
    this.context = null;
    this.blocked = false;
    this.lastBeepMs = 0;
    const unlock = () => this.unlock();
    for (const type of ['pointerdown', 'keydown', 'touchstart'])
      window.addEventListener(type, unlock, { capture: true, passive: true });
  }

  toggleMuted() {
    this.muted = !this.muted;
    localStorage.setItem(MUTED_KEY, String(this.muted));
    if (this.muted) this.setBlocked(false);
    return this.muted;
  }

  /** Called from a user gesture: the one moment a browser lets audio start. */
  unlock() {
    if (!this.ensureContext()) return;
    if (this.context.state === 'suspended') {
      this.context
        .resume()
        .then(() => this.setBlocked(false))
        .catch(() => undefined);
    } else {
      this.setBlocked(false);
    }
  }

  ensureContext() {
    if (this.context) return true;
    const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
    if (!AudioContextClass) return false;
    try {
      this.context = new AudioContextClass();
    } catch {
      return false;
    }
    return true;
  }

  beep() {
    if (this.muted) return;
    const nowMs = Date.now();
    if (nowMs - this.lastBeepMs < MIN_GAP_MS) return;
    if (!this.ensureContext()) return;
    if (this.context.state !== 'running') {
      // No gesture yet: say so on the page; resume() may still succeed where the policy allows it.
      this.context.resume().catch(() => undefined);
      if (this.context.state !== 'running') {
        this.setBlocked(true);
        return;
      }
    }
    this.lastBeepMs = nowMs;
    const startS = this.context.currentTime;
    for (const tone of TONES) this.playTone(startS + tone.startS, tone.hz, tone.lengthS);
    this.onBeep();
  }

  playTone(atS, hz, lengthS) {
    const oscillator = this.context.createOscillator();
    const gain = this.context.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = hz;
    // A quick attack and release: no click at the edges, loud enough across a room.
    gain.gain.setValueAtTime(0.0001, atS);
    gain.gain.exponentialRampToValueAtTime(0.3, atS + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, atS + lengthS);
    oscillator.connect(gain).connect(this.context.destination);
    oscillator.start(atS);
    oscillator.stop(atS + lengthS + 0.02);
    oscillator.addEventListener('ended', () => gain.disconnect());
  }

  setBlocked(blocked) {
    if (this.blocked === blocked) return;
    this.blocked = blocked;
    this.onBlockedChange(blocked);
  }
}
