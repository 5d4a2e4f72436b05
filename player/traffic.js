// Traffic panel for transport staff: flow per vehicle class over time, the vehicle mix (the motorbike
// share matters on Vietnamese streets), the busiest counting lines, zone occupancy and congestion, with CSV export.
/* global Chart */
import { mountHeader } from './nav.js';
import { createCongestionCard } from './congestionCard.js';
import { formatNumber } from './i18n.js';
import { occupancyPerZone } from './zoneOccupancy.js';

const { lang, t, status } = mountHeader('trafficTitle');
for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);

const CLASSES = ['motorbike', 'car', 'bus', 'truck', 'bicycle', 'person'];
const COLOURS = {
  motorbike: '#f5a623',
  car: '#3b82f6',
  bus: '#2fbf71',
  truck: '#e5484d',
  bicycle: '#a78bfa',
  person: '#8a9bb0',
};
const RANGES = {
  '1h': { ms: 3_600_000, bucket: '1m', bucketMs: 60_000 },
  '24h': { ms: 86_400_000, bucket: '15m', bucketMs: 900_000 },
  '7d': { ms: 7 * 86_400_000, bucket: '1h', bucketMs: 3_600_000 },
};
const REFRESH_MS = 30_000;

Chart.defaults.color = '#e8eef5';
Chart.defaults.borderColor = '#2c3a4a';
Chart.defaults.animation = false;
// Ticks and tooltips in the page's language: vi "4,7", en "4.7".
Chart.defaults.locale = lang === 'en' ? 'en-US' : 'vi-VN';

const cameraSelect = document.getElementById('camera');
const rangeSelect = document.getElementById('range');
const csvLink = document.getElementById('csv');
csvLink.textContent = t('exportCsv');
const cameraNames = new Map();
/** `${cameraId}:${line|zone}:${id}` → the name set on the setup page. */
const geometryNames = new Map();
const lineLabel = (row) =>
  `${cameraNames.get(row.cameraId) ?? row.cameraId} · ${geometryNames.get(`${row.cameraId}:line:${row.lineId}`) ?? row.lineId}`;
const zoneLabel = (cameraId, zoneId) =>
  `${cameraNames.get(cameraId) ?? cameraId} · ${geometryNames.get(`${cameraId}:zone:${zoneId}`) ?? zoneId}`;

const flowChart = new Chart(document.getElementById('flow-chart'), {
  type: 'bar',
  data: { labels: [], datasets: [] },
  options: { responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
});
const mixChart = new Chart(document.getElementById('mix-chart'), {
  type: 'doughnut',
  data: { labels: [], datasets: [] },
});
const linesChart = new Chart(document.getElementById('lines-chart'), {
  type: 'bar',
  data: { labels: [], datasets: [] },
  options: { indexAxis: 'y', plugins: { legend: { display: false } } },
});
const zonesChart = new Chart(document.getElementById('zones-chart'), {
  type: 'bar',
  data: { labels: [], datasets: [] },
  options: {
    plugins: { legend: { display: false } },
    scales: { y: { beginAtZero: true, title: { display: true, text: t('occupancy') } } },
  },
});

const localLabel = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const congestionCard = createCongestionCard({
  card: document.getElementById('congestion'),
  t,
  cameraNames,
  formatBucket: (date) => localLabel.format(date),
});

function query(format) {
  const range = RANGES[rangeSelect.value];
  // Whole buckets only (the current one included): no half bucket at the left edge, and hour buckets
  // over whole hours are answered from the hourly rollup.
  const toMs = Math.ceil(Date.now() / range.bucketMs) * range.bucketMs;
  const to = new Date(toMs);
  const from = new Date(toMs - range.ms);
  const params = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucket: range.bucket });
  if (format) params.set('format', format);
  if (cameraSelect.value) params.set('cameraId', cameraSelect.value);
  return params;
}

function renderCounts(items) {
  const buckets = [...new Set(items.map((row) => row.bucket))].sort();
  const classes = CLASSES.filter((c) => items.some((row) => row.class === c));
  flowChart.data.labels = buckets.map((b) => localLabel.format(new Date(b)));
  flowChart.data.datasets = classes.map((c) => ({
    label: t(c),
    backgroundColor: COLOURS[c],
    data: buckets.map((b) =>
      items.filter((row) => row.bucket === b && row.class === c).reduce((sum, row) => sum + row.count, 0),
    ),
  }));
  flowChart.update();

  const totals = classes.map((c) => items.filter((row) => row.class === c).reduce((sum, row) => sum + row.count, 0));
  mixChart.data.labels = classes.map((c) => t(c));
  mixChart.data.datasets = [{ data: totals, backgroundColor: classes.map((c) => COLOURS[c]) }];
  mixChart.update();
  const vehicles = classes.filter((c) => c !== 'person').reduce((sum, c) => sum + totals[classes.indexOf(c)], 0);
  const motorbikes = totals[classes.indexOf('motorbike')] ?? 0;
  document.getElementById('motorbike-share').textContent =
    vehicles > 0 ? `${t('motorbike')}: ${formatNumber((motorbikes / vehicles) * 100, lang, 0)} %` : '';

  const perLine = new Map();
  for (const row of items) {
    const key = lineLabel(row);
    perLine.set(key, (perLine.get(key) ?? 0) + row.count);
  }
  const busiest = [...perLine].sort((a, b) => b[1] - a[1]).slice(0, 10);
  linesChart.data.labels = busiest.map(([key]) => key);
  linesChart.data.datasets = [{ data: busiest.map(([, n]) => n), backgroundColor: '#3b82f6' }];
  linesChart.update();
  document.getElementById('summary').textContent = items.length
    ? `${formatNumber(vehicles, lang)} ${t('vehicles')}`
    : t('noData');
}

function renderZones(items) {
  const zones = occupancyPerZone(items);
  zonesChart.data.labels = zones.map((z) => zoneLabel(z.cameraId, z.zoneId));
  zonesChart.data.datasets = [
    { data: zones.map((z) => Math.round(z.occupancy * 10) / 10), backgroundColor: '#f5a623' },
  ];
  zonesChart.update();
}

async function refresh() {
  try {
    const [counts, zones, congestion] = await Promise.all([
      fetch(`/api/counts?${query('json')}`).then((r) => r.json()),
      fetch(`/api/zone-stats?${query('json')}`).then((r) => r.json()),
      fetch(`/api/congestion?${query()}`).then((r) => r.json()),
    ]);
    renderCounts(counts.items ?? []);
    renderZones(zones.items ?? []);
    congestionCard.render(congestion.items ?? []);
    csvLink.href = `/api/counts?${query('csv')}`;
    status.dataset.ok = 'true';
    document.body.dataset.loaded = 'true';
  } catch {
    status.textContent = t('apiDown');
    status.dataset.ok = 'false';
  }
}

const { items } = await (await fetch('/api/cameras?limit=1000')).json();
for (const camera of items) cameraNames.set(camera.id, camera.name);
const names = await (await fetch('/api/geometry-names?limit=1000')).json();
for (const row of names.items ?? []) geometryNames.set(`${row.cameraId}:${row.kind}:${row.id}`, row.name);
cameraSelect.replaceChildren(
  new Option(t('allCameras'), ''),
  ...items.map((c) => new Option(`${c.name} · ${c.district}`, c.id)),
);
cameraSelect.addEventListener('change', refresh);
rangeSelect.addEventListener('change', refresh);
await refresh();
setInterval(refresh, REFRESH_MS);
