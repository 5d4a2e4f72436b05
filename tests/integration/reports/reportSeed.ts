// A week of stored traffic and alerts for report tests: two Ba Đình cameras and one in Hoàn Kiếm (whose
// figures must never appear in Ba Đình's report), minutes at rush hours, alerts acknowledged after minutes,
// zones with a capacity filling up at rush hours (congestion), and a named rule.
import type { Pool } from 'pg';
import type { AlertSignal } from '../../../core/alerts.ts';
import { AlertRulesRepository } from '../../../store/alertRules.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { CameraAnalysisRepository } from '../../../store/cameraAnalysis.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import type { MinuteZoneStat } from '../../../store/minuteRows.ts';
import { TrafficCountStore, type MinuteCount } from '../../../store/trafficCounts.ts';

/** Monday 23/11/2026 00:00 in Vietnam. */
export const WEEK_FROM_MS = Date.UTC(2026, 10, 22, 17, 0, 0);
export const WEEK_TO_MS = WEEK_FROM_MS + 7 * 86_400_000;
const HOUR_MS = 3_600_000;
const OFFICER = { kind: 'user', name: 'can.bo.truc' } as const;

const RUSH: Record<number, number> = { 6: 1, 7: 3, 8: 2, 11: 1, 12: 1, 17: 3, 18: 2, 21: 1 };

function minuteRows(cameraId: string, lineId: string, atMs: number, scale: number): MinuteCount[] {
  const row = (className: string, count: number): MinuteCount => ({
    minute: new Date(atMs),
    cameraId,
    lineId,
    direction: 'in',
    className,
    count,
    speedSumKmh: 0,
    speedSamples: 0,
  });
  return [
    row('motorbike', 20 * scale),
    row('car', 4 * scale),
    row('bus', scale > 1 ? 1 : 0),
    row('truck', 1),
    row('bicycle', scale),
  ].filter((r) => r.count > 0);
}

function signal(
  cameraId: string,
  n: number,
  type: AlertSignal['type'],
  severity: AlertSignal['severity'],
  startedAtMs: number,
): AlertSignal {
  return {
    kind: 'raise',
    key: `${cameraId}:r-${type}:s${n}:${startedAtMs}`,
    cameraId,
    ruleId: `r-${type}`,
    type,
    severity,
    subject: type === 'cameraOffline' ? 'camera' : `zone:z${n}`,
    startedAtMs,
    atMs: startedAtMs,
    summary: `${type} ${n}`,
    details: {},
  };
}

const square = (x: number) => [
  { x, y: 10 },
  { x: x + 100, y: 10 },
  { x: x + 100, y: 100 },
  { x, y: 100 },
];

/** A zone's minute as the analyzer writes it: a row per class, zeros included, `vehicles` motorbikes and cars on average. */
function zoneMinute(cameraId: string, zoneId: string, atMs: number, vehicles: number): MinuteZoneStat[] {
  const mean: Record<string, number> = { motorbike: vehicles * 0.75, car: vehicles * 0.25, person: 6 };
  return ['person', 'bicycle', 'motorbike', 'car', 'bus', 'truck'].map((className) => ({
    minute: new Date(atMs),
    cameraId,
    zoneId,
    className,
    samples: 60,
    occupancySum: (mean[className] ?? 0) * 60,
    occupancyMax: Math.ceil((mean[className] ?? 0) * 1.4),
    densitySum: null,
  }));
}

/**
 * Mean vehicles in each zone per rush hour of the week (capacity 20 at Kim Mã, 10 at Đội Cấn, 8 at Hồ Gươm):
 * Kim Mã is heavy (≥ 60 %) at 07 and 17 every day and jammed (≥ 80 %) at 07 on Monday and Tuesday, busy
 * but not congested at 08 and 18; Đội Cấn is congested at 17 on the weekend only. The previous week is free.
 */
function zoneVehicles(zone: 'kimMa' | 'doiCan' | 'hoGuom', day: number, hour: number): number {
  if (day < 0) return 2;
  if (zone === 'kimMa')
    return hour === 7 ? (day < 2 ? 17 : 13) : hour === 17 ? 12.5 : hour === 8 || hour === 18 ? 10 : 3;
  if (zone === 'doiCan') return hour === 17 && day >= 5 ? 7 : 2;
  return 7;
}

export async function seedWeek(pool: Pool) {
  const cameras = new CameraRepository(pool);
  const kimMa = await cameras.create({
    name: 'Ngã tư Kim Mã – Liễu Giai',
    mainUrl: 'rtsp://127.0.0.1/1',
    district: 'Ba Đình',
    sampleFps: 5,
  });
  const doiCan = await cameras.create({
    name: 'Đội Cấn – Ngọc Hà',
    mainUrl: 'rtsp://127.0.0.1/2',
    district: 'Ba Đình',
    sampleFps: 5,
  });
  const hoGuom = await cameras.create({
    name: 'Hồ Gươm – Đinh Tiên Hoàng',
    mainUrl: 'rtsp://127.0.0.1/3',
    district: 'Hoàn Kiếm',
    sampleFps: 5,
  });
  const counts = new TrafficCountStore(pool);
  const rows: MinuteCount[] = [];
  for (let day = -7; day < 7; day += 1) {
    for (const [hour, scale] of Object.entries(RUSH)) {
      const hourMs = WEEK_FROM_MS + day * 86_400_000 + Number(hour) * HOUR_MS;
      // The previous week is quieter: the report shows the change.
      const weekScale = day < 0 ? Math.max(1, scale - 1) : scale;
      for (const m of [0, 15, 30, 45]) {
        rows.push(...minuteRows(kimMa.id, 'L1', hourMs + m * 60_000, weekScale));
        if (m % 30 === 0) rows.push(...minuteRows(doiCan.id, 'L2', hourMs + m * 60_000, weekScale));
        rows.push(...minuteRows(hoGuom.id, 'H1', hourMs + m * 60_000, 5));
      }
    }
  }
  for (let i = 0; i < rows.length; i += 2000) await counts.upsertCounts(rows.slice(i, i + 2000));

  // Zones with a capacity (set as the analysis API stores it), and one without (never in the congestion table).
  const analysis = new CameraAnalysisRepository(pool);
  const zonesOf = (zones: object[]) => ({ widthPx: 960, heightPx: 540, lines: [], zones, calibration: null }) as never;
  await analysis.set(
    kimMa.id,
    zonesOf([
      { id: 'giao-lo', name: 'Giao lộ Kim Mã', polygon: square(10), capacityVehicles: 20 },
      { id: 'via-he', name: 'Vỉa hè', polygon: square(300) },
    ]),
  );
  await analysis.set(
    doiCan.id,
    zonesOf([{ id: 'nga-ba', name: 'Ngã ba Đội Cấn', polygon: square(10), capacityVehicles: 10 }]),
  );
  await analysis.set(hoGuom.id, zonesOf([{ id: 'bo-ho', name: 'Bờ hồ', polygon: square(10), capacityVehicles: 8 }]));
  const zoneRows: MinuteZoneStat[] = [];
  for (let day = -7; day < 7; day += 1) {
    for (const hour of Object.keys(RUSH).map(Number)) {
      const hourMs = WEEK_FROM_MS + day * 86_400_000 + hour * HOUR_MS;
      for (const m of [0, 30]) {
        zoneRows.push(...zoneMinute(kimMa.id, 'giao-lo', hourMs + m * 60_000, zoneVehicles('kimMa', day, hour)));
        zoneRows.push(...zoneMinute(kimMa.id, 'via-he', hourMs + m * 60_000, 30));
        zoneRows.push(...zoneMinute(doiCan.id, 'nga-ba', hourMs + m * 60_000, zoneVehicles('doiCan', day, hour)));
        zoneRows.push(...zoneMinute(hoGuom.id, 'bo-ho', hourMs + m * 60_000, zoneVehicles('hoGuom', day, hour)));
      }
    }
  }
  for (let i = 0; i < zoneRows.length; i += 2000) await counts.upsertZoneStats(zoneRows.slice(i, i + 2000));
  // Kim Mã's wrong-way rule has a name the report shows; the others are shown by their type.
  await new AlertRulesRepository(pool).set(kimMa.id, {
    rules: [
      { id: 'r-wrongWay', name: 'Ngược chiều Liễu Giai', type: 'wrongWay', lineId: 'L1', forbiddenDirection: 'out' },
    ],
  });

  const alerts = new AlertStore(pool);
  const dayMs = (d: number, h: number) => WEEK_FROM_MS + d * 86_400_000 + h * HOUR_MS;
  const plan: [
    typeof kimMa,
    AlertSignal['type'],
    AlertSignal['severity'],
    number,
    'acknowledge' | 'resolve' | 'dismiss' | null,
    number,
  ][] = [
    [kimMa, 'crowd', 'warning', dayMs(0, 8), 'resolve', 2],
    [kimMa, 'wrongWay', 'critical', dayMs(1, 7.5), 'resolve', 1],
    [kimMa, 'wrongWay', 'critical', dayMs(2, 17.2), 'dismiss', 4],
    [doiCan, 'stoppedVehicle', 'warning', dayMs(3, 11), 'acknowledge', 6],
    [doiCan, 'congestion', 'warning', dayMs(4, 18), 'resolve', 3],
    [doiCan, 'intrusion', 'critical', dayMs(5, 22), null, 0],
    [kimMa, 'crowd', 'info', dayMs(6, 20), 'resolve', 10],
    [hoGuom, 'crowd', 'critical', dayMs(2, 9), 'resolve', 1],
  ];
  for (const [n, [camera, type, severity, atMs, action, ackMinutes]] of plan.entries()) {
    const [change] = await alerts.applySignals(camera, [signal(camera.id, n, type, severity, atMs)]);
    const id = change!.alert.id;
    if (action) {
      await alerts.transition(id, 'acknowledge', OFFICER);
      if (action !== 'acknowledge') await alerts.transition(id, action, OFFICER, { note: 'đã xử lý tại hiện trường' });
    }
    // Stored now, the alert gets the times it would have had: raised seconds after the event, acknowledged minutes later.
    await pool.query(`UPDATE alerts SET raised_at = started_at + interval '3 seconds' WHERE id = $1`, [id]);
    await pool.query(`UPDATE alert_history SET at = $2 WHERE alert_id = $1 AND action <> 'raised'`, [
      id,
      new Date(atMs + 3000 + ackMinutes * 60_000),
    ]);
  }
  // Đội Cấn's camera was offline 3 hours on Thursday.
  const offline = signal(doiCan.id, 99, 'cameraOffline', 'warning', dayMs(3, 1));
  await alerts.applySignals(doiCan, [offline]);
  await alerts.applySignals(doiCan, [{ ...offline, kind: 'end', atMs: dayMs(3, 4) }]);
  return { kimMa, doiCan, hoGuom };
}
