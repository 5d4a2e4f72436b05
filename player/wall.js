// The IOC video wall: a grid of the enabled cameras playing live, with name and state on each tile,
// refreshed from the API so tiles follow cameras that drop, come back, appear or are disabled.
import { CameraTile } from './cameraTile.js';
import { mountHeader } from './nav.js';

const REFRESH_MS = 2000;
const { t, lang, status, session } = mountHeader('title');
const grid = document.getElementById('grid');
const tiles = new Map();
let overlayOn = localStorage.getItem('ioc.overlay') === 'on';
let live = null;

// Detection overlay toggle, fed by the /api/live WebSocket.
const overlayToggle = document.createElement('button');
overlayToggle.id = 'overlay-toggle';
overlayToggle.textContent = t('overlay');
overlayToggle.setAttribute('aria-pressed', String(overlayOn));
overlayToggle.addEventListener('click', () => {
  overlayOn = !overlayOn;
  localStorage.setItem('ioc.overlay', overlayOn ? 'on' : 'off');
  overlayToggle.setAttribute('aria-pressed', String(overlayOn));
  for (const tile of tiles.values()) {
    tile.detections.enabled = overlayOn;
    tile.drawDetections(); // clears the canvas when switched off
  }
  subscribeLive();
});
document.querySelector('header nav').after(overlayToggle);

function subscribeLive() {
  const ids = overlayOn ? [...tiles.keys()] : [];
  if (live?.readyState === WebSocket.OPEN) live.send(JSON.stringify({ type: 'subscribe', cameraIds: ids }));
}

function connectLive() {
  live = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/live`);
  live.addEventListener('open', subscribeLive);
  live.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'tracks') tiles.get(message.cameraId)?.detections.push(message);
  });
  // The API restarting must not end the overlay: reconnect after a pause.
  live.addEventListener('close', () => setTimeout(connectLive, 3000));
}
// Detections are for roles with the live permission; a wall viewer sees the video only.
session.then((me) => {
  if (me.permissions.includes('live')) connectLive();
  else overlayToggle.hidden = true;
});

function drawOverlays() {
  if (overlayOn) for (const tile of tiles.values()) tile.drawDetections();
  requestAnimationFrame(drawOverlays);
}
requestAnimationFrame(drawOverlays);

function layout(count) {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  grid.style.setProperty('--columns', String(columns));
}

async function refresh() {
  try {
    const response = await fetch('/api/cameras?limit=1000', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { items } = await response.json();
    const enabled = items.filter((camera) => camera.enabled);
    for (const camera of enabled) {
      let tile = tiles.get(camera.id);
      if (!tile) {
        tile = new CameraTile(camera, t, lang);
        tile.detections.enabled = overlayOn;
        tiles.set(camera.id, tile);
        grid.append(tile.element);
        subscribeLive();
      } else {
        tile.update(camera);
      }
    }
    for (const [id, tile] of tiles) {
      if (!enabled.some((camera) => camera.id === id)) {
        tile.destroy();
        tiles.delete(id);
      }
    }
    layout(tiles.size);
    status.textContent = enabled.length === 0 ? t('noCameras') : `${enabled.length} ${t('cameras')}`;
    status.dataset.ok = 'true';
  } catch {
    status.textContent = t('apiDown');
    status.dataset.ok = 'false';
  }
}

await refresh();
setInterval(refresh, REFRESH_MS);
