// The alert store against a real PostgreSQL: replayed signals applied once, the one-active-alert rule,
// re-opening within the cooldown, camera problems resolving themselves, the lifecycle and its 409s, and
// the webhook outbox written only for webhooks that want the alert.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertSignal } from '../../../core/alerts.ts';
import { AlertNotFoundError, AlertTransitionError, ValidationError } from '../../../core/errors.ts';
import { AlertStore } from '../../../store/alerts.ts';
import { AlertRulesRepository } from '../../../store/alertRules.ts';
import { CameraRepository } from '../../../store/cameras.ts';
import { openTestDatabase } from '../../support/testDatabase.ts';

const T0 = Date.parse('2026-11-25T01:00:00Z');
const officer = { kind: 'user', name: 'officer-1' } as const;

describe('alert store', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  let store: AlertStore;
  let camera: { id: string; name: string; district: string };
  let seq = 0;

  beforeAll(async () => {
    db = await openTestDatabase();
    store = new AlertStore(db.pool, { evidenceRetentionHours: 1 });
    const created = await new CameraRepository(db.pool).create({
      name: 'Kim Mã',
      mainUrl: 'rtsp://h/a',
      district: 'Ba Đình',
      sampleFps: 5,
    });
    camera = { id: created.id, name: created.name, district: created.district };
  });
  afterAll(async () => db?.drop());
  beforeEach(async () => {
    await db.pool.query('DELETE FROM alerts');
    await db.pool.query('DELETE FROM webhooks');
  });

  /** A signal of a fresh subject (unless given), so tests don't meet each other's active alerts. */
  function signal(kind: AlertSignal['kind'], extra: Partial<AlertSignal> = {}): AlertSignal {
    const subject = extra.subject ?? `track:${++seq}`;
    const ruleId = extra.ruleId ?? 'no-entry';
    const startedAtMs = extra.startedAtMs ?? T0;
    return {
      kind,
      cameraId: camera.id,
      ruleId,
      type: 'intrusion',
      severity: 'critical',
      subject,
      startedAtMs,
      atMs: startedAtMs,
      key: `${camera.id}:${ruleId}:${subject}:${startedAtMs}`,
      summary: 'Person in restricted zone',
      details: { className: 'person' },
      ...extra,
    };
  }

  const historyActions = async (id: string) => (await store.history(id)).map((h) => h.action);
  const outbox = async () =>
    (
      await db.pool.query<{
        name: string;
        event: string;
        payload: { event: string; alert: { id: string; state: string } };
      }>(
        'SELECT w.name, d.event, d.payload FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id ORDER BY d.id',
      )
    ).rows;
  async function webhook(
    name: string,
    extra: { districts?: string[] | null; types?: string[] | null; minSeverity?: string; enabled?: boolean } = {},
  ) {
    await db.pool.query(
      'INSERT INTO webhooks (name, url, secret, districts, types, min_severity, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [
        name,
        'https://example.org/hook',
        'secret',
        extra.districts ?? null,
        extra.types ?? null,
        extra.minSeverity ?? 'info',
        extra.enabled ?? true,
      ],
    );
  }

  it('applies a replayed batch once: one alert, one raised entry, one outbox row per webhook', async () => {
    await webhook('all');
    await webhook('ba-dinh', { districts: ['Ba Đình'] });
    const raise = signal('raise', {
      evidence: {
        seq: 12,
        capturedAtMs: T0,
        frameWidthPx: 960,
        frameHeightPx: 540,
        boxes: [],
        zoneId: 'gate',
        lineId: null,
      },
    });
    const batch = [
      raise,
      { ...raise, kind: 'update' as const, atMs: T0 + 5000, details: { className: 'person', dwellS: 5 } },
    ];
    const first = await store.applySignals(camera, batch);
    expect(first.map((c) => c.event)).toEqual(['raised', 'updated']);
    const second = await store.applySignals(camera, batch);
    expect(second).toEqual([]);
    const { items, total } = await store.list({ fromMs: T0 - 1, toMs: T0 + 1, limit: 10, offset: 0, districts: null });
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      cameraName: 'Kim Mã',
      district: 'Ba Đình',
      state: 'new',
      active: true,
      details: { dwellS: 5 },
      lastSeenAt: new Date(T0 + 5000).toISOString(),
    });
    expect(await historyActions(items[0]!.id)).toEqual(['raised']);
    expect((await outbox()).map((r) => `${r.name}:${r.event}`).sort()).toEqual(['all:raised', 'ba-dinh:raised']);
    expect((await store.evidenceOf(items[0]!.id)).evidence).toMatchObject({ seq: 12, zoneId: 'gate' });
  });

  it('ends once, and an older update replayed after the end changes nothing', async () => {
    const raise = signal('raise');
    await store.applySignals(camera, [raise, { ...raise, kind: 'end', atMs: T0 + 10_000 }]);
    expect(await store.applySignals(camera, [{ ...raise, kind: 'end', atMs: T0 + 10_000 }])).toEqual([]);
    expect(await store.applySignals(camera, [{ ...raise, kind: 'update', atMs: T0 + 4000 }])).toEqual([]);
    const alert = (await store.list({ fromMs: T0, toMs: T0 + 1, limit: 10, offset: 0, districts: null })).items[0]!;
    expect(alert).toMatchObject({ active: false, endedAt: new Date(T0 + 10_000).toISOString(), occurrences: 1 });
    expect(await historyActions(alert.id)).toEqual(['raised', 'ended']);
  });

  it('keeps one active alert per camera, rule and subject even when a raise comes under a new key', async () => {
    const first = signal('raise', { subject: 'zone:gate' });
    const again = signal('raise', { subject: 'zone:gate', startedAtMs: T0 + 60_000 });
    const changes = await store.applySignals(camera, [first, again]);
    // The engine lost its state: the stale alert is ended (its end would never come), the new one raised.
    expect(changes.map((c) => c.event)).toEqual(['raised', 'ended', 'raised']);
    const active = await db.pool.query("SELECT count(*)::int AS n FROM alerts WHERE subject = 'zone:gate' AND active");
    expect(active.rows[0].n).toBe(1);
    await expect(
      db.pool.query(
        `INSERT INTO alerts (key, camera_id, district, rule_id, type, severity, subject, summary, started_at, last_seen_at)
                     VALUES ('dup', $1, 'Ba Đình', 'no-entry', 'intrusion', 'critical', 'zone:gate', 's', now(), now())`,
        [camera.id],
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('re-opens an ended alert within the cooldown once, counting the occurrence', async () => {
    const raise = signal('raise');
    await store.applySignals(camera, [raise, { ...raise, kind: 'end', atMs: T0 + 10_000 }]);
    const reopen = {
      ...raise,
      kind: 'update' as const,
      atMs: T0 + 30_000,
      details: { className: 'person', reopened: true },
    };
    const changes = await store.applySignals(camera, [reopen]);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.alert).toMatchObject({
      active: true,
      endedAt: null,
      occurrences: 2,
      details: { reopened: true },
    });
    expect(await store.applySignals(camera, [reopen])).toEqual([]);
    expect(await historyActions(changes[0]!.alert.id)).toEqual(['raised', 'ended', 'reopened']);
  });

  it('resolves a camera problem by itself when it clears, and makes it new again when it comes back', async () => {
    await webhook('all');
    const offline = signal('raise', {
      type: 'cameraOffline',
      ruleId: 'camera-offline',
      subject: 'camera',
      severity: 'warning',
    });
    await store.applySignals(camera, [offline]);
    const [ended] = await store.applySignals(camera, [{ ...offline, kind: 'end', atMs: T0 + 20_000 }]);
    expect(ended!.alert).toMatchObject({ state: 'resolved', active: false, resolutionNote: 'condition cleared' });
    const history = await store.history(ended!.alert.id);
    expect(history.map((h) => `${h.actorKind}:${h.action}:${h.note}`)).toEqual([
      'system:raised:null',
      'system:ended:null',
      'system:resolved:condition cleared',
    ]);
    expect((await outbox()).map((r) => r.event)).toEqual(['raised', 'ended', 'stateChanged']);
    const [back] = await store.applySignals(camera, [{ ...offline, kind: 'update', atMs: T0 + 40_000 }]);
    expect(back!.alert).toMatchObject({ state: 'new', active: true, occurrences: 2, resolutionNote: null });
  });

  it('walks the lifecycle with history, and refuses what it forbids with 409s', async () => {
    await webhook('all');
    const [raised] = await store.applySignals(camera, [signal('raise')]);
    const id = raised!.alert.id;
    await expect(store.transition(id, 'dismiss', officer, {})).rejects.toBeInstanceOf(ValidationError);
    expect((await store.transition(id, 'acknowledge', officer, { note: 'on my way' })).alert.state).toBe(
      'acknowledged',
    );
    await expect(store.transition(id, 'acknowledge', officer)).rejects.toMatchObject({
      code: 'IOC_ALERT_TRANSITION_INVALID',
      statusCode: 409,
    });
    expect((await store.transition(id, 'assign', officer, { assignee: 'patrol-7' })).alert.assignee).toBe('patrol-7');
    await store.transition(id, 'note', officer, { note: 'patrol arrived' });
    const resolved = (await store.transition(id, 'resolve', officer, { note: 'people moved on' })).alert;
    expect(resolved).toMatchObject({ state: 'resolved', resolutionNote: 'people moved on', assignee: 'patrol-7' });
    for (const action of ['acknowledge', 'resolve', 'dismiss', 'assign', 'note'] as const) {
      const refused = store.transition(id, action, officer, { note: 'again', assignee: 'x' });
      await expect(refused).rejects.toBeInstanceOf(AlertTransitionError);
      await expect(refused).rejects.toThrow(/final/);
    }
    const history = await store.history(id);
    expect(history.map((h) => `${h.actor}:${h.action}`)).toEqual([
      'system:raised',
      'officer-1:acknowledged',
      'officer-1:assigned',
      'officer-1:noted',
      'officer-1:resolved',
    ]);
    expect((await outbox()).map((r) => `${r.event}:${r.payload.alert.state}`)).toEqual([
      'raised:new',
      'stateChanged:acknowledged',
      'stateChanged:resolved',
    ]);
    const retain = await db.pool.query(
      "SELECT retain_until > now() + interval '50 minutes' AS later FROM alerts WHERE id = $1",
      [id],
    );
    expect(retain.rows[0].later).toBe(true);
    await expect(store.transition('6f1c9a52-5a1e-4d7e-9a0e-2b8f3c1d4e5f', 'resolve', officer)).rejects.toBeInstanceOf(
      AlertNotFoundError,
    );
  });

  it('dismisses from new with a reason, and then it is final', async () => {
    const [raised] = await store.applySignals(camera, [signal('raise')]);
    const dismissed = await store.transition(raised!.alert.id, 'dismiss', officer, { note: 'a shadow' });
    expect(dismissed.alert).toMatchObject({ state: 'dismissed', resolutionNote: 'a shadow' });
    await expect(store.transition(raised!.alert.id, 'resolve', officer)).rejects.toBeInstanceOf(AlertTransitionError);
  });

  it('queues deliveries only for enabled webhooks whose districts, types and severity match', async () => {
    await webhook('all');
    await webhook('other-district', { districts: ['Đống Đa'] });
    await webhook('crowds-only', { types: ['crowd'] });
    await webhook('intrusions', { types: ['intrusion', 'crowd'] });
    await webhook('critical', { minSeverity: 'critical' });
    await webhook('disabled', { enabled: false });
    await store.applySignals(camera, [signal('raise', { severity: 'critical' })]);
    await webhook('critical-2', { minSeverity: 'critical' });
    await store.applySignals(camera, [signal('raise', { severity: 'warning' })]);
    const rows = (await outbox()).map((r) => r.name);
    expect(rows.sort()).toEqual(['all', 'all', 'critical', 'intrusions', 'intrusions']);
  });

  it('keeps and serves the snapshot, the clip state, the views and the counts', async () => {
    const [raised] = await store.applySignals(camera, [signal('raise')]);
    const id = raised!.alert.id;
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    await store.putSnapshot(id, jpeg, T0);
    expect((await store.getSnapshot(id))!.jpeg.equals(jpeg)).toBe(true);
    await store.setClipState(id, 'ready');
    expect(await store.get(id)).toMatchObject({ hasSnapshot: true, clipState: 'ready' });
    await store.recordView(id, officer, 'snapshotViewed');
    expect((await store.history(id)).at(-1)).toMatchObject({
      action: 'snapshotViewed',
      actor: 'officer-1',
      actorKind: 'user',
    });
    expect(await store.countsForMetrics()).toEqual([
      { type: 'intrusion', severity: 'critical', state: 'new', active: true, count: 1 },
    ]);
    expect(await store.expiredEvidence(Date.now() + 7200_000)).toEqual([]);
    await store.transition(id, 'resolve', officer);
    expect(await store.expiredEvidence(Date.now())).toEqual([]);
    expect(await store.expiredEvidence(Date.now() + 7200_000)).toEqual([id]);
    await store.dropEvidence(id);
    expect(await store.get(id)).toMatchObject({ hasSnapshot: false, clipState: 'unavailable' });
    expect(await store.expiredEvidence(Date.now() + 7200_000)).toEqual([]);
  });

  it('filters the list by state, type, camera, district and activity, newest first', async () => {
    await store.applySignals(camera, [
      signal('raise', { startedAtMs: T0 }),
      signal('raise', { startedAtMs: T0 + 1000, type: 'crowd', severity: 'warning' }),
    ]);
    const base = { fromMs: T0, toMs: T0 + 2000, limit: 10, offset: 0, districts: null };
    expect((await store.list(base)).items.map((a) => a.type)).toEqual(['crowd', 'intrusion']);
    expect((await store.list({ ...base, types: ['crowd'] })).total).toBe(1);
    expect((await store.list({ ...base, severities: ['critical'] })).items[0]!.type).toBe('intrusion');
    expect((await store.list({ ...base, districts: ['Đống Đa'] })).total).toBe(0);
    expect((await store.list({ ...base, districts: [] })).total).toBe(0);
    expect((await store.list({ ...base, cameraIds: ['not-a-uuid'] })).total).toBe(0);
    expect((await store.list({ ...base, active: false })).total).toBe(0);
    expect(await store.list({ ...base, states: ['new'], limit: 1, offset: 1 })).toMatchObject({
      total: 2,
      items: [{ type: 'intrusion' }],
    });
  });

  it("stores a camera's rules whole and says when they changed", async () => {
    const rules = new AlertRulesRepository(db.pool);
    expect(await rules.get(camera.id)).toEqual({ rules: [] });
    expect(await rules.updatedAt(camera.id)).toBeNull();
    await rules.set(camera.id, { rules: [{ id: 'gate', type: 'intrusion', zoneId: 'z1' }] });
    expect(await rules.get(camera.id)).toEqual({ rules: [{ id: 'gate', type: 'intrusion', zoneId: 'z1' }] });
    expect(await rules.updatedAt(camera.id)).toBeInstanceOf(Date);
  });
});
