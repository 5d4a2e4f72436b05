// The IOC video wall: a grid of the enabled cameras playing live, with name and state on each tile,
// refreshed from the API so tiles follow cameras that drop, come back, appear or are disabled.
import { CameraTile } from './cameraTile.js';
import { mountHeader } from './nav.js';

const REFRESH_MS = 2000;
const { t, status } = mountHeader('title');
const grid = document.getElementById('grid');
const tiles = new Map();

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
        tile = new CameraTile(camera, t);
        tiles.set(camera.id, tile);
        grid.append(tile.element);
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
