// Writes audit entries for the routes: the actor and address come from the request, so a plugin says only
// what happened. Video and frame access is recorded once per actor, camera and kind per window, so HLS
// segments fetched every 2 s don't flood the log while every viewing session still leaves a trace.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../core/access.ts';
import type { AuditEntryInput, AuditLog } from '../store/audit.ts';

export interface AuditTrail {
  record(
    request: FastifyRequest,
    entry: Pick<AuditEntryInput, 'action' | 'target' | 'outcome' | 'detail'> & {
      actor?: Principal | null;
      actorName?: string;
    },
  ): Promise<void>;
  /** Video/frame/live access: recorded at most once per actor, camera and kind per accessWindowMs. */
  access(request: FastifyRequest, kind: 'video' | 'frame' | 'live', cameraId: string): Promise<void>;
}

export interface AuditTrailOptions {
  log: AuditLog;
  accessWindowMs?: number;
  /** Access keys remembered at most; the oldest are forgotten first (a new entry then, never a lost one). */
  maxRemembered?: number;
}

export function createAuditTrail(options: AuditTrailOptions): AuditTrail {
  const windowMs = options.accessWindowMs ?? 10 * 60_000;
  const maxRemembered = options.maxRemembered ?? 50_000;
  const lastAccessMs = new Map<string, number>();

  const record: AuditTrail['record'] = async (request, entry) => {
    const actor = entry.actor === undefined ? request.principal : entry.actor;
    try {
      await options.log.record({
        actorKind: actor ? actor.kind : 'anonymous',
        actorId: actor?.id ?? null,
        actorName: actor?.name ?? entry.actorName ?? 'anonymous',
        action: entry.action,
        target: entry.target,
        outcome: entry.outcome,
        ip: request.ip,
        detail: entry.detail,
      });
    } catch (err) {
      // The action already happened; losing its trace is an operations problem, reported loudly.
      request.log.error({ err, action: entry.action }, 'audit entry could not be written');
    }
  };

  return {
    record,
    async access(request, kind, cameraId) {
      const actor = request.principal;
      const key = `${actor?.kind}:${actor?.id}:${kind}:${cameraId}`;
      const nowMs = Date.now();
      const last = lastAccessMs.get(key);
      if (last !== undefined && nowMs - last < windowMs) return;
      lastAccessMs.delete(key);
      lastAccessMs.set(key, nowMs);
      if (lastAccessMs.size > maxRemembered) lastAccessMs.delete(lastAccessMs.keys().next().value!);
      await record(request, { action: `${kind}.access`, target: `camera:${cameraId}`, outcome: 'success' });
    },
  };
}
