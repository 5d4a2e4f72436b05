// Scheduled reports on a controlled clock: the daily report due at 07:00 local is made once, by the first
// run at or after 07:00, also when the system was down across 07:00 and restarted later, and when two
// processes run the schedule at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { createLogger } from '../../../core/logger.ts';
import { ReportMaker } from '../../../reports/reportMaker.ts';
import { ReportScheduler } from '../../../reports/reportScheduler.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { TrafficCountStore } from '../../../store/trafficCounts.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
const local = (iso: string) => Date.parse(`${iso}+07:00`);
const SETTINGS = { ...loadConfig({ env: {} }).reports, kinds: ['daily' as const], catchUpPeriods: 1 };
const DAY = local('2026-11-25T00:00:00');

describe('report schedule', () => {
  let db: Db;
  let maker: ReportMaker;
  const schedulers: ReportScheduler[] = [];

  beforeAll(async () => {
    db = await openTestDatabase();
    maker = new ReportMaker(db.pool, SETTINGS);
    const camera = await new CameraRepository(db.pool).create({
      name: 'Ngã tư Kim Mã',
      mainUrl: 'rtsp://127.0.0.1/1',
      district: 'Ba Đình',
      sampleFps: 5,
    });
    await new TrafficCountStore(db.pool).upsertCounts([
      {
        minute: new Date(local('2026-11-25T07:30:00')),
        cameraId: camera.id,
        lineId: 'L1',
        direction: 'in',
        className: 'motorbike',
        count: 42,
        speedSumKmh: 0,
        speedSamples: 0,
      },
    ]);
  });
  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.close()));
    await db?.drop();
  });

  /** A scheduler whose clock reads `at` (a process started at that time). */
  const processAt = (at: number) => {
    const scheduler = new ReportScheduler({
      pool: db.pool,
      maker,
      settings: SETTINGS,
      logger: createLogger({ level: 'silent' }),
      nowMs: () => at,
    });
    schedulers.push(scheduler);
    return scheduler;
  };
  const reportsOfDay = async () =>
    (
      await db.pool.query<{ scope_key: string; made_by: string }>(
        `SELECT scope_key, made_by FROM reports WHERE kind = 'daily' AND period_from = $1 ORDER BY scope_key`,
        [new Date(DAY)],
      )
    ).rows;

  it('makes nothing for the 25th before 07:00 on the 26th', async () => {
    await processAt(local('2026-11-26T06:59:00')).runDue();
    expect(await reportsOfDay()).toEqual([]);
  });

  it('makes it once after a restart across 07:00, for the province and the district', async () => {
    // The process that ran at 06:59 went down; the next one starts at 08:10.
    const restarted = processAt(local('2026-11-26T08:10:00'));
    const made = await restarted.runDue();
    expect(made.map((m) => [m.kind, m.district, m.periodFrom.getTime()])).toEqual([
      ['daily', null, DAY],
      ['daily', 'Ba Đình', DAY],
    ]);
    expect(await reportsOfDay()).toEqual([
      { scope_key: '*', made_by: 'scheduler' },
      { scope_key: 'Ba Đình', made_by: 'scheduler' },
    ]);
    expect(await restarted.runDue()).toEqual([]);
    // Restarted again, and two processes at once: still one of each.
    const [a, b] = await Promise.all([
      processAt(local('2026-11-26T09:00:00')).runDue(),
      processAt(local('2026-11-26T09:00:00')).runDue(),
    ]);
    expect([...a, ...b]).toEqual([]);
    expect(await reportsOfDay()).toHaveLength(2);
  });

  it('makes a report once when two processes find it due at the same moment', async () => {
    const at = local('2026-11-30T07:00:00');
    const [a, b] = await Promise.all([processAt(at).runDue(), processAt(at).runDue()]);
    expect([...a, ...b]).toHaveLength(2); // province and Ba Đình, each by one of the two
    const rows = await db.pool.query(`SELECT count(*)::int AS n FROM reports WHERE period_from = $1`, [
      new Date(local('2026-11-29T00:00:00')),
    ]);
    expect(rows.rows[0].n).toBe(2);
  });

  it('runs when started, then on its interval, on the clock it is given', async () => {
    let nowMs = local('2026-11-27T07:00:00');
    const scheduler = new ReportScheduler({
      pool: db.pool,
      maker,
      settings: { ...SETTINGS, startDelayMs: 0, checkIntervalMs: 1000 },
      logger: createLogger({ level: 'silent' }),
      nowMs: () => nowMs,
    });
    schedulers.push(scheduler);
    scheduler.start();
    const countOf = async (fromMs: number) =>
      Number(
        (await db.pool.query(`SELECT count(*) AS n FROM reports WHERE period_from = $1`, [new Date(fromMs)])).rows[0].n,
      );
    const deadline = Date.now() + 10_000;
    while ((await countOf(local('2026-11-26T00:00:00'))) < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await countOf(local('2026-11-26T00:00:00'))).toBe(2);
    nowMs = local('2026-11-28T07:00:00');
    while ((await countOf(local('2026-11-27T00:00:00'))) < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await countOf(local('2026-11-27T00:00:00'))).toBe(2);
    await scheduler.close();
    expect(await reportsOfDay()).toHaveLength(2);
  });

  it('makes each due report in every configured language, Vietnamese and English, once each', async () => {
    const settings = { ...SETTINGS, languages: ['vi' as const, 'en' as const], perDistrict: false };
    const both = new ReportScheduler({
      pool: db.pool,
      maker,
      settings,
      logger: createLogger({ level: 'silent' }),
      nowMs: () => local('2026-12-02T07:30:00'),
    });
    schedulers.push(both);
    const made = await both.runDue();
    expect(made.map((m) => [m.district, m.language])).toEqual([
      [null, 'vi'],
      [null, 'en'],
    ]);
    expect(await both.runDue()).toEqual([]);
  });
});
