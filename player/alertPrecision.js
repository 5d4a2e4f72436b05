// How often each rule has been right, in the open: per camera and rule, alerts the officers confirmed
// (acknowledged, resolved) against those dismissed as a false alarm. Refreshed after every action and each minute.
import { fetchPrecision } from './alertApi.js';
import { element } from './alertFormat.js';

const REFRESH_MS = 60_000;

export class PrecisionPanel {
  constructor(root, t) {
    this.root = root;
    this.t = t;
    this.body = root.querySelector('tbody');
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  async refresh() {
    let items;
    try {
      ({ items } = await fetchPrecision());
    } catch {
      return; // the panel keeps its last figures; the list shows connection trouble already
    }
    this.body.replaceChildren(
      ...items.map((row) => {
        const tr = element('tr');
        tr.dataset.rule = row.ruleId;
        tr.dataset.camera = row.cameraId;
        const name = element('td', null, `${this.t(`type_${row.type}`)} · ${row.ruleId} · ${row.cameraName}`);
        const value = element(
          'td',
          'precision-value',
          row.precision === null ? '—' : `${Math.round(row.precision * 100)} %`,
        );
        value.dataset.precision = row.precision === null ? '' : String(row.precision);
        tr.append(name, element('td', null, row.confirmed), element('td', null, row.dismissed), value);
        return tr;
      }),
    );
  }
}
