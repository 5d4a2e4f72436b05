// The traffic panel's congestion card: for each zone with a capacity, its level in its latest bucket as a
// coloured badge, and its level over the selected range as a small stepped chart (Chart.js, from the page).
/* global Chart */

/** Names of congestion levels 0…4 (analytics/congestion.ts), the keys of their translations. */
export const LEVEL_NAMES = ['free', 'light', 'moderate', 'heavy', 'jammed'];
const LEVEL_COLOURS = ['#2fbf71', '#a3d955', '#f5a623', '#f07a2b', '#e5484d'];
const ZONE_COLOURS = ['#3b82f6', '#f5a623', '#2fbf71', '#e5484d', '#a78bfa', '#8a9bb0', '#22d3ee', '#f472b6'];

export const levelLabel = (t, level) => t(`level_${LEVEL_NAMES[level]}`);

/**
 * @param {{ card: HTMLElement, t: (key: string) => string, cameraNames: Map<string, string>, formatBucket: (d: Date) => string, formatNumber?: (n: number) => string }} options
 */
export function createCongestionCard({ card, t, cameraNames, formatBucket, formatNumber = String }) {
  const list = card.querySelector('.congestion-zones');
  const empty = card.querySelector('.congestion-empty');
  const chart = new Chart(card.querySelector('canvas'), {
    type: 'line',
    data: { labels: [], datasets: [] },
    options: {
      responsive: true,
      scales: { y: { min: 0, max: 4, ticks: { stepSize: 1, callback: (value) => levelLabel(t, value) } } },
      plugins: { legend: { display: true, position: 'bottom' } },
    },
  });

  function render(items) {
    const zones = new Map();
    for (const row of items) {
      const key = `${row.cameraId}/${row.zoneId}`;
      const zone = zones.get(key) ?? {
        key,
        label: `${cameraNames.get(row.cameraId) ?? row.cameraId} · ${row.zoneName}`,
        rows: [],
      };
      zone.rows.push(row);
      zones.set(key, zone);
    }
    const buckets = [...new Set(items.map((row) => row.bucket))].sort();
    // A bucket nobody measured stays a gap (null), not "free": no data is not an empty road.
    chart.data.labels = buckets.map((b) => formatBucket(new Date(b)));
    chart.data.datasets = [...zones.values()].map((zone, i) => {
      const levelAt = new Map(zone.rows.map((row) => [row.bucket, row.level]));
      return {
        label: zone.label,
        data: buckets.map((b) => levelAt.get(b) ?? null),
        borderColor: ZONE_COLOURS[i % ZONE_COLOURS.length],
        backgroundColor: ZONE_COLOURS[i % ZONE_COLOURS.length],
        stepped: true,
        spanGaps: false,
      };
    });
    chart.update();
    list.replaceChildren(...[...zones.values()].map((zone) => zoneItem(zone)));
    empty.hidden = zones.size > 0;
    empty.textContent = t('noCapacity');
  }

  function zoneItem(zone) {
    // "Now" is the zone's own latest bucket: another zone's newer data says nothing about this one.
    const latest = zone.rows.reduce((a, b) => (b.bucket > a.bucket ? b : a));
    const item = document.createElement('li');
    item.dataset.zone = zone.key;
    item.dataset.level = String(latest.level);
    const name = document.createElement('span');
    name.className = 'zone-name';
    name.textContent = zone.label;
    const badge = document.createElement('span');
    badge.className = 'level-badge';
    badge.style.background = LEVEL_COLOURS[latest.level];
    badge.textContent = levelLabel(t, latest.level);
    const detail = document.createElement('span');
    detail.className = 'zone-detail';
    detail.textContent = `${formatNumber(latest.vehiclesAvg)} / ${formatNumber(latest.capacityVehicles)} ${t('vehicles')} · ${formatBucket(new Date(latest.bucket))}`;
    item.append(name, badge, detail);
    return item;
  }

  return { render };
}
