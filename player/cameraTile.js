// One wall tile: a live hls.js player for a camera, its name and state, and the recovery that makes
// a tile come back by itself after its camera reconnects or the stream stalls.
/* global Hls */
import { DetectionOverlay } from './detectionOverlay.js';
import { analysisNotice } from './analysisNotice.js';

const STALL_CHECK_MS = 4000;
const STALLS_BEFORE_RELOAD = 3;

export class CameraTile {
  constructor(camera, t, lang) {
    this.t = t;
    this.lang = lang;
    this.cameraId = camera.id;
    this.hls = null;
    this.state = 'unknown';
    this.lastTime = -1;
    this.stalls = 0;
    this.element = document.createElement('figure');
    this.element.className = 'tile';
    this.element.dataset.cameraId = camera.id;
    this.video = document.createElement('video');
    this.video.muted = true;
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.overlay = document.createElement('div');
    this.overlay.className = 'tile-overlay';
    this.caption = document.createElement('figcaption');
    this.name = document.createElement('span');
    this.name.className = 'tile-name';
    this.badge = document.createElement('span');
    this.badge.className = 'tile-state';
    this.caption.append(this.name, this.badge);
    this.detections = new DetectionOverlay(this.video, t);
    this.element.append(this.video, this.detections.canvas, this.overlay, this.caption);
    this.stallTimer = setInterval(() => this.checkProgress(), STALL_CHECK_MS);
    this.update(camera);
  }

  update(camera) {
    this.hlsUrl = camera.hlsUrl;
    this.name.textContent = `${camera.name} · ${camera.district}`;
    const state = camera.health.state;
    this.element.dataset.state = state;
    const mode = camera.health.hlsMode === 'transcode' ? ` (${this.t('transcode')})` : '';
    // Live but unable to do its job: the tile says why instead of a plain "live".
    const notice = state === 'live' ? analysisNotice(camera.health, this.t, this.lang) : null;
    if (notice) this.element.dataset.analysis = notice.problem;
    else delete this.element.dataset.analysis;
    this.badge.textContent = notice ? notice.text : this.t(state) + (state === 'live' ? mode : '');
    this.badge.title = notice ? notice.detail : '';
    this.overlay.textContent = state === 'live' ? '' : this.t(state);
    this.overlay.hidden = state === 'live' && this.hls !== null;
    const cameBack = state === 'live' && this.state !== 'live';
    this.state = state;
    if (state === 'live' && (this.hls === null || cameBack)) this.play();
    if (state === 'stopped' || state === 'failed') this.detach();
  }

  play() {
    this.detach();
    if (window.Hls && Hls.isSupported()) {
      this.hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 2, lowLatencyMode: false });
      this.hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // Playlist gone while the camera reconnects: drop the player; the next 'live' state restarts it.
        this.detach();
        this.overlay.hidden = false;
        this.overlay.textContent = this.t('reconnecting');
      });
      this.hls.loadSource(this.hlsUrl);
      this.hls.attachMedia(this.video);
    } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
      this.hls = { destroy: () => this.video.removeAttribute('src') };
      this.video.src = this.hlsUrl;
    }
    this.video.play().catch(() => undefined);
    this.overlay.hidden = true;
  }

  /** Wall-clock time (ms) of the picture on screen, from the playlist's program date time. */
  pictureTimeMs() {
    const date = this.hls?.playingDate;
    return date instanceof Date && !Number.isNaN(date.getTime()) ? date.getTime() : null;
  }

  drawDetections() {
    this.detections.draw(this.pictureTimeMs());
  }

  /** A live tile whose video stops advancing reloads its player instead of freezing on the wall. */
  checkProgress() {
    if (this.state !== 'live' || this.hls === null) return;
    const time = this.video.currentTime;
    this.stalls = time === this.lastTime ? this.stalls + 1 : 0;
    this.lastTime = time;
    if (this.stalls >= STALLS_BEFORE_RELOAD) {
      this.stalls = 0;
      this.play();
    }
  }

  detach() {
    if (this.hls) this.hls.destroy();
    this.hls = null;
  }

  destroy() {
    clearInterval(this.stallTimer);
    this.detach();
    this.element.remove();
  }
}
