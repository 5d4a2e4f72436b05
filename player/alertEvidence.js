// An alert's evidence in the detail pane: the snapshot with the box drawn (when one was kept) and the clip
// around the event, played with hls.js only when the officer asks (viewing it is recorded in the history).
/* global Hls */
import { currentLanguage } from './i18n.js';
import { clipUrl, snapshotUrl } from './alertApi.js';
import { element } from './alertFormat.js';

export class AlertEvidence {
  /** @param {(alertId: string) => void} onViewed  the snapshot or clip was opened (the server recorded it) */
  constructor(root, t, onViewed = () => {}) {
    this.t = t;
    this.onViewed = onViewed;
    this.alertId = null;
    this.snapshotShownFor = null;
    this.hls = null;
    this.snapshot = root.querySelector('#snapshot');
    this.clip = root.querySelector('#clip');
  }

  /** Shows the evidence of an alert; a refresh of the same alert keeps a playing clip playing. */
  show(alert) {
    const sameAlert = alert.id === this.alertId;
    this.alertId = alert.id;
    if (!sameAlert || this.snapshotShownFor !== `${alert.id}:${alert.hasSnapshot}`) this.showSnapshot(alert);
    if (!sameAlert || !this.hls) this.showClip(alert);
  }

  showSnapshot(alert) {
    this.snapshotShownFor = `${alert.id}:${alert.hasSnapshot}`;
    const body = this.snapshot.querySelector('.evidence-body');
    if (!alert.hasSnapshot) {
      body.replaceChildren(element('p', 'muted', this.t('noSnapshot')));
      return;
    }
    const link = element('a');
    link.href = snapshotUrl(alert.id, currentLanguage());
    link.target = '_blank';
    link.rel = 'noopener';
    const image = element('img');
    image.alt = this.t('snapshot');
    image.decoding = 'async';
    image.src = link.href;
    image.addEventListener('error', () => body.replaceChildren(element('p', 'muted', this.t('noSnapshot'))), {
      once: true,
    });
    image.addEventListener('load', () => this.onViewed(alert.id), { once: true });
    link.append(image);
    body.replaceChildren(link);
  }

  showClip(alert) {
    this.stopClip();
    const body = this.clip.querySelector('.evidence-body');
    this.clip.dataset.clipState = alert.clipState;
    if (alert.clipState !== 'ready') {
      body.replaceChildren(
        element('p', 'muted', this.t(alert.clipState === 'pending' ? 'clipPending' : 'clipUnavailable')),
      );
      return;
    }
    const play = element('button', 'play-clip', `▶ ${this.t('playClip')}`);
    play.type = 'button';
    play.addEventListener('click', () => this.playClip(alert.id, body));
    body.replaceChildren(play);
  }

  playClip(alertId, body) {
    const video = element('video');
    video.controls = true;
    video.playsInline = true;
    video.muted = true; // the alarm is the page's; clips from city cameras carry no useful sound
    const url = clipUrl(alertId);
    const failed = () => {
      this.stopClip();
      body.replaceChildren(element('p', 'error', this.t('clipFailed')));
    };
    body.replaceChildren(video);
    if (window.Hls && Hls.isSupported()) {
      this.hls = new Hls({ manifestLoadingMaxRetry: 2 });
      this.hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) failed();
      });
      this.hls.once(Hls.Events.MANIFEST_PARSED, () => this.onViewed(alertId));
      this.hls.loadSource(url);
      this.hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      // Safari plays HLS itself.
      this.hls = { destroy: () => video.removeAttribute('src') };
      video.src = url;
      video.addEventListener('error', failed, { once: true });
      video.addEventListener('loadedmetadata', () => this.onViewed(alertId), { once: true });
    } else {
      failed();
      return;
    }
    video.play().catch(() => undefined);
  }

  stopClip() {
    this.hls?.destroy();
    this.hls = null;
  }

  clear() {
    this.stopClip();
    this.alertId = null;
    this.snapshotShownFor = null;
    for (const part of [this.snapshot, this.clip]) part.querySelector('.evidence-body').replaceChildren();
  }
}
