// Congestion hours per zone for a report: the zone statistics of the period in hourly buckets, levels from
// analytics/zoneCongestion.ts as /api/congestion (bucket=1h) answers them, summarised per zone; and the
// whole of a report's figures, the store's with these.
import type { Pool } from 'pg';
import { congestionHoursByZone } from '../analytics/congestionHours.ts';
import { VEHICLE_CLASSES, zoneCongestionRows } from '../analytics/zoneCongestion.ts';
import { previousPeriod, type ReportPeriod } from '../core/reportPeriod.ts';
import { CameraAnalysisRepository } from '../store/cameraAnalysis.ts';
import { readReportSummary, type ReportSummary, type ReportZoneCongestion } from '../store/reportData.ts';
import { TrafficCountStore } from '../store/trafficCounts.ts';

const HOUR_MS = 3_600_000;

/** Zones with a capacity of the district's cameras (null: every camera), most congested hours first. */
export async function readZoneCongestion(
  pool: Pool,
  period: Pick<ReportPeriod, 'fromMs' | 'toMs'>,
  district: string | null,
): Promise<ReportZoneCongestion[]> {
  const districts = district === null ? undefined : [district];
  const capacities = await new CameraAnalysisRepository(pool).zoneCapacities({ districts });
  if (capacities.length === 0) return [];
  // Every row of every hour: a row per class per zone-hour at most, so this bound is never what cuts the read.
  const hours = Math.ceil((period.toMs - period.fromMs) / HOUR_MS);
  const stats = await new TrafficCountStore(pool).zoneStats({
    fromMs: period.fromMs,
    toMs: period.toMs,
    bucket: '1h',
    districts,
    classes: VEHICLE_CLASSES,
    zoneKeys: capacities,
    limit: hours * capacities.length * VEHICLE_CLASSES.length,
  });
  const names = await pool.query<{ id: string; name: string }>(
    'SELECT id, name FROM cameras WHERE id = ANY($1::uuid[])',
    [[...new Set(capacities.map((c) => c.cameraId))]],
  );
  const cameraName = new Map(names.rows.map((r) => [r.id, r.name]));
  return congestionHoursByZone(zoneCongestionRows(stats, capacities))
    .map(({ cameraId, zoneId: _zoneId, ...zone }) => ({ cameraName: cameraName.get(cameraId) ?? '', ...zone }))
    .sort(
      (a, b) =>
        b.congestedHours - a.congestedHours ||
        b.jammedHours - a.jammedHours ||
        a.cameraName.localeCompare(b.cameraName, 'vi') ||
        a.zoneName.localeCompare(b.zoneName, 'vi'),
    );
}

/** Every figure of a report: the stored ones and the zones' congestion hours. */
export async function readReportFigures(
  pool: Pool,
  period: ReportPeriod,
  district: string | null,
): Promise<ReportSummary> {
  const figures = await readReportSummary(pool, period, previousPeriod(period), district);
  const congestion = await readZoneCongestion(pool, period, district);
  return { ...figures, traffic: { ...figures.traffic, congestion } };
}
