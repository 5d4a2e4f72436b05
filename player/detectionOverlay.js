// Draws a camera's latest tracks over its video. The HLS picture runs seconds behind the analysis, so
// messages are kept for a while and the one matching the picture's wall-clock time (hls.js playingDate,
// from the playlist's program date time) is drawn; drawing is separate from counting (the analyzer counts).

import { placeLabels } from './labelPlacement.js';

const KEEP_MS = 20_000;
const LABEL_FONT_PX = 12;
// Dark behind the coloured text, so a label reads over a bright road as over a dark one.
const LABEL_BACKGROUND = 'rgba(0, 0, 0, 0.6)';
const COLOURS = {
  person: '#8a9bb0',
  bicycle: '#a78bfa',
  motorbike: '#f5a623',
  car: '#3b82f6',
  bus: '#2fbf71',
  truck: '#e5484d',
};

export class DetectionOverlay {
  constructor(video, labelOf) {
    this.video = video;
    this.labelOf = labelOf;
    this.messages = [];
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'tile-detections';
    this.context = this.canvas.getContext('2d');
    this.enabled = false;
  }

  /** Kept in capture order: on subscribing, the API sends the last seconds, which may cross live messages. */
  push(message) {
    let at = this.messages.length;
    while (at > 0 && this.messages[at - 1].capturedAtMs > message.capturedAtMs) at--;
    if (this.messages[at - 1]?.capturedAtMs === message.capturedAtMs) return;
    this.messages.splice(at, 0, message);
    const oldest = this.messages.at(-1).capturedAtMs - KEEP_MS;
    while (this.messages.length && this.messages[0].capturedAtMs < oldest) this.messages.shift();
  }

  /** The message for the picture on screen: the newest captured no later than the picture's time. */
  messageFor(pictureTimeMs) {
    if (pictureTimeMs === null) return this.messages.at(-1) ?? null;
    let best = null;
    for (const message of this.messages) if (message.capturedAtMs <= pictureTimeMs + 150) best = message;
    return best;
  }

  draw(pictureTimeMs) {
    const width = this.video.clientWidth;
    const height = this.video.clientHeight;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const c = this.context;
    c.clearRect(0, 0, width, height);
    if (!this.enabled || !this.video.videoWidth) return;
    const message = this.messageFor(pictureTimeMs);
    if (!message) return;
    // What was matched to what, for the offset measurement (boxes' capture time against the picture's time).
    this.canvas.dataset.pictureAtMs = pictureTimeMs === null ? '' : String(pictureTimeMs);
    this.canvas.dataset.drawnCapturedAtMs = String(message.capturedAtMs);
    // object-fit: contain — the picture is letterboxed inside the element.
    const scale = Math.min(width / this.video.videoWidth, height / this.video.videoHeight);
    const offsetX = (width - this.video.videoWidth * scale) / 2;
    const offsetY = (height - this.video.videoHeight * scale) / 2;
    const sx = (this.video.videoWidth * scale) / message.frameWidthPx;
    const sy = (this.video.videoHeight * scale) / message.frameHeightPx;
    c.lineWidth = 2;
    c.font = `${LABEL_FONT_PX}px system-ui`;
    c.textBaseline = 'top';
    const drawn = message.tracks.map((track) => {
      const [x1, y1, x2, y2] = track.box;
      const box = [offsetX + x1 * sx, offsetY + y1 * sy, offsetX + x2 * sx, offsetY + y2 * sy];
      const speed = track.speedKmh === null ? '' : ` ${Math.round(track.speedKmh)} km/h`;
      const text = `${this.labelOf(track.className)} #${track.id}${speed}`;
      return { track, box, text, textWidth: c.measureText(text).width, colour: COLOURS[track.className] ?? '#ffffff' };
    });
    for (const { track, box, colour } of drawn) {
      c.strokeStyle = colour;
      c.setLineDash(track.state === 'lost' ? [4, 4] : []);
      c.strokeRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
    }
    const labels = placeLabels(drawn, { lineHeight: LABEL_FONT_PX + 4, canvasWidth: width });
    this.canvas.dataset.labelsDrawn = String(labels.length);
    for (const label of labels) {
      c.fillStyle = LABEL_BACKGROUND;
      c.fillRect(label.x, label.y, label.width, label.height);
      c.fillStyle = drawn[label.index].colour;
      c.fillText(drawn[label.index].text, label.x + 2, label.y + 2);
    }
  }
}
