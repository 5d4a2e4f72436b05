// A week of stored traffic and alerts for report tests: two Ba Đình cameras and one in Hoàn Kiếm (whose
// figures must never appear in Ba Đình's report), minutes at rush hours, alerts acknowledged after minutes.
import type { Pool } from 'pg';
import type { AlertSignal } from '../../../core/alerts.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { TrafficCountStore, type MinuteCount } from '../../../store/trafficCounts.ts';

/** Monday 23/11/2026 00:00 in Vietnam. */
export const WEEK_FROM_MS = Date.UTC(2026, 10, 22, 17, 0, 0);
export const WEEK_TO_MS = WEEK_FROM_MS + 7 * 86_400_000;
const HOUR_MS = 3_600_000;
const OFFICER = { kind: 'user', name: 'can.bo.truc' } as const;

const RUSH: Record<number, number> = { 6: 1, 7: 3, 8: 2, 11: 1, 12: 1, 17: 3, 18: 2, 21: 1 };

function minuteRows(cameraId: string, lineId: string, atMs: number, scale: number): MinuteCount[] {
  const row = (className: string, count: number): MinuteCount => ({ minute: new Date(atMs), cameraId, lineId, direction: 'in', className, count, speedSumKmh: 0, speedSamples: 0 });
  return [row('motorbike', 20 * scale), row('car', 4 * scale), row('bus', scale > 1 ? 1 : 0), row('truck', 1), row('bicycle', scale)].filter((r) => r.count > 0);
}

function signal(cameraId: string, n: number, type: AlertSignal['type'], severity: AlertSignal['severity'], startedAtMs: number): AlertSignal {
  return {
    kind: 'raise', key: `${cameraId}:r-${type}:s${n}:${startedAtMs}`, cameraId, ruleId: `r-${type}`, type, severity, subject: type === 'cameraOffline' ? 'camera' : `zone:z${n}`,
    startedAtMs, atMs: startedAtMs, summary: `${type} ${n}`, details: {},
  };
}

export async function seedWeek(pool: Pool) {
  const cameras = new CameraRepository(pool);
  const kimMa = await cameras.create({ name: 'Ngã tư Kim Mã – Liễu Giai', mainUrl: 'rtsp://127.0.0.1/1', district: 'Ba Đình', sampleFps: 5 });
  const doiCan = await cameras.create({ name: 'Đội Cấn – Ngọc Hà', mainUrl: 'rtsp://127.0.0.1/2', district: 'Ba Đình', sampleFps: 5 });
  const hoGuom = await cameras.create({ name: 'Hồ Gươm – Đinh Tiên Hoàng', mainUrl: 'rtsp://127.0.0.1/3', district: 'Hoàn Kiếm', sampleFps: 5 });
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

  const alerts = new AlertStore(pool);
  const dayMs = (d: number, h: number) => WEEK_FROM_MS + d * 86_400_000 + h * HOUR_MS;
  const plan: [typeof kimMa, AlertSignal['type'], AlertSignal['severity'], number, 'acknowledge' | 'resolve' | 'dismiss' | null, number][] = [
    [kimMa, 'crowd', 'warning', dayMs(0, 8), 'resolve', 2], [kimMa, 'wrongWay', 'critical', dayMs(1, 7.5), 'resolve', 1],
    [kimMa, 'wrongWay', 'critical', dayMs(2, 17.2), 'dismiss', 4], [doiCan, 'stoppedVehicle', 'warning', dayMs(3, 11), 'acknowledge', 6],
    [doiCan, 'congestion', 'warning', dayMs(4, 18), 'resolve', 3], [doiCan, 'intrusion', 'critical', dayMs(5, 22), null, 0],
    [kimMa, 'crowd', 'info', dayMs(6, 20), 'resolve', 10], [hoGuom, 'crowd', 'critical', dayMs(2, 9), 'resolve', 1],
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
    await pool.query(`UPDATE alert_history SET at = $2 WHERE alert_id = $1 AND action <> 'raised'`, [id, new Date(atMs + 3000 + ackMinutes * 60_000)]);
  }
  // Đội Cấn's camera was offline 3 hours on Thursday.
  const offline = signal(doiCan.id, 99, 'cameraOffline', 'warning', dayMs(3, 1));
  await alerts.applySignals(doiCan, [offline]);
  await alerts.applySignals(doiCan, [{ ...offline, kind: 'end', atMs: dayMs(3, 4) }]);
  return { kimMa, doiCan, hoGuom };
}
