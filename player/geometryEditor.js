// Draws a camera's counting lines and zones over its still frame and lets a person add new ones with
// the mouse. Coordinates are kept in the frame's own pixels, whatever size the canvas is shown at.

const COLOURS = { line: '#f5a623', zone: '#3b82f6', draft: '#2fbf71' };

export class GeometryEditor {
  /** onShape({ kind: 'line' | 'zone', points }) is called when a shape is finished. */
  constructor(canvas, { onDraftChange, onShape }) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d');
    this.image = null;
    this.widthPx = 960;
    this.heightPx = 540;
    this.lines = [];
    this.zones = [];
    this.mode = null; // 'line' | 'zone' | null
    this.draft = [];
    this.onDraftChange = onDraftChange;
    this.onShape = onShape;
    canvas.addEventListener('click', (event) => this.addPoint(event));
    canvas.addEventListener('dblclick', (event) => {
      event.preventDefault();
      this.finish();
    });
  }

  setFrame(image, widthPx, heightPx) {
    this.image = image;
    this.widthPx = widthPx;
    this.heightPx = heightPx;
    this.canvas.width = widthPx;
    this.canvas.height = heightPx;
    this.render();
  }

  setGeometry(lines, zones) {
    this.lines = lines.map((line) => ({ ...line, points: line.points.map((p) => ({ ...p })) }));
    this.zones = zones.map((zone) => ({ ...zone, polygon: zone.polygon.map((p) => ({ ...p })) }));
    this.render();
  }

  start(mode) {
    this.mode = mode;
    this.draft = [];
    this.render();
    this.onDraftChange?.(this.mode, this.draft);
  }

  cancel() {
    this.mode = null;
    this.draft = [];
    this.render();
    this.onDraftChange?.(null, []);
  }

  /** Ends the shape being drawn; one with too few points is dropped. */
  finish() {
    const mode = this.mode;
    // A double click also fires two clicks: drop a duplicate last point.
    const points = this.draft.filter((p, i, all) => i === 0 || p.x !== all[i - 1].x || p.y !== all[i - 1].y);
    const enough = mode === 'line' ? points.length >= 2 : points.length >= 3;
    this.mode = null;
    this.draft = [];
    this.onDraftChange?.(null, []);
    this.render();
    if (mode && enough) this.onShape?.({ kind: mode, points });
  }

  addPoint(event) {
    if (!this.mode) return;
    const rect = this.canvas.getBoundingClientRect();
    const x = Math.round(((event.clientX - rect.left) / rect.width) * this.widthPx);
    const y = Math.round(((event.clientY - rect.top) / rect.height) * this.heightPx);
    this.draft.push({ x: Math.min(Math.max(x, 0), this.widthPx), y: Math.min(Math.max(y, 0), this.heightPx) });
    this.render();
    this.onDraftChange?.(this.mode, this.draft);
  }

  render() {
    const c = this.context;
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.image) c.drawImage(this.image, 0, 0, this.widthPx, this.heightPx);
    else {
      c.fillStyle = '#111';
      c.fillRect(0, 0, this.widthPx, this.heightPx);
    }
    const scale = Math.max(1, this.widthPx / 640);
    c.lineWidth = 3 * scale;
    c.font = `${16 * scale}px system-ui`;
    for (const zone of this.zones) this.path(zone.polygon, true, COLOURS.zone, zone.name ?? zone.id);
    for (const line of this.lines) {
      this.path(line.points, false, COLOURS.line, line.name ?? line.id);
      // The name officers read when there is one, else the code.
      this.arrow(line.points, line.directionNames?.leftToRight ?? line.directions?.leftToRight);
    }
    if (this.draft.length) this.path(this.draft, this.mode === 'zone', COLOURS.draft, '');
  }

  path(points, closed, colour, label) {
    const c = this.context;
    if (!points.length) return;
    c.strokeStyle = colour;
    c.fillStyle = colour + '33';
    c.beginPath();
    points.forEach((p, i) => (i === 0 ? c.moveTo(p.x, p.y) : c.lineTo(p.x, p.y)));
    if (closed) {
      c.closePath();
      c.fill();
    }
    c.stroke();
    c.fillStyle = colour;
    for (const p of points) c.fillRect(p.x - 4, p.y - 4, 8, 8);
    if (label) c.fillText(label, points[0].x + 6, points[0].y - 8);
  }

  /** Shows which way "left to right" is: an arrow across the first segment, pointing to its right side. */
  arrow(points, label) {
    if (points.length < 2) return;
    const [a, b] = points;
    const mx = (a.x + b.x) / 2,
      my = (a.y + b.y) / 2;
    const dx = b.x - a.x,
      dy = b.y - a.y;
    const length = Math.hypot(dx, dy) || 1;
    // Image y points down: the right-hand normal of (dx, dy) is (-dy, dx).
    const nx = -dy / length,
      ny = dx / length;
    const c = this.context;
    const size = 30 * Math.max(1, this.widthPx / 640);
    c.beginPath();
    c.moveTo(mx - nx * size, my - ny * size);
    c.lineTo(mx + nx * size, my + ny * size);
    c.stroke();
    if (label) c.fillText(`→ ${label}`, mx + nx * size + 4, my + ny * size);
  }
}
