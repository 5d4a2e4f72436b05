// /api/live (WebSocket): a client sends {"type":"subscribe","cameraIds":[…],"alerts":true} and receives the
// latest tracks of those cameras as the analyzer publishes them (the wall's overlay) and, with alerts, every
// alert change of its districts (the alerts console). The upgrade needs the 'live' permission; every
// subscription re-checks the session and keeps only cameras of the caller's districts (others are dropped
// exactly like unknown ids), alerts need 'alerts:read', and a revoked session is closed.
import type { FastifyPluginAsync } from 'fastify';
import type { CameraRepository } from '../store/cameras.ts';
import type { LiveFeed } from './liveFeed.ts';
import type { SessionStore } from '../store/sessions.ts';
import { AuthRequiredError } from '../core/errors.ts';
import { seesDistrict, type Principal } from '../core/access.ts';
import type { AlertFeed } from './alertFeed.ts';
import type { AuditTrail } from './auditTrail.ts';
import { allows } from './permissions.ts';
import { presentedSecret, resolvePrincipal } from './authenticate.ts';

export interface LivePluginOptions {
  feed: LiveFeed;
  cameras: CameraRepository;
  sessions: SessionStore;
  audit: AuditTrail;
  /** Alert changes for {"alerts": true} subscriptions; without it such a request is answered alerts: false. */
  alertFeed?: AlertFeed;
}

/** WebSocket close code for "the session ended" (4000–4999 are the application's). */
const CLOSE_SESSION_ENDED = 4401;
/** A socket's session is re-checked this often even without messages, so logout ends its feed. */
const SESSION_RECHECK_MS = 30_000;

const MAX_CAMERAS_PER_SOCKET = 64;
const MAX_MESSAGE_BYTES = 16 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SubscribeMessage {
  type: 'subscribe';
  cameraIds: string[];
  alerts: boolean;
}

function parseSubscribe(raw: string): SubscribeMessage | string {
  if (raw.length > MAX_MESSAGE_BYTES) return 'message too large';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'message is not JSON';
  }
  const v = value as Partial<SubscribeMessage>;
  if (v?.type !== 'subscribe') return 'type must be "subscribe"';
  if (v.alerts !== undefined && typeof v.alerts !== 'boolean') return 'alerts must be true or false';
  // An alerts-only subscription needs no cameras; otherwise cameraIds is what is asked for.
  const cameraIds = v.cameraIds === undefined && v.alerts === true ? [] : v.cameraIds;
  if (!Array.isArray(cameraIds) || cameraIds.length > MAX_CAMERAS_PER_SOCKET) {
    return `cameraIds must be an array of at most ${MAX_CAMERAS_PER_SOCKET} ids`;
  }
  if (!cameraIds.every((id) => typeof id === 'string' && UUID.test(id))) return 'cameraIds must be camera ids';
  return { type: 'subscribe', cameraIds, alerts: v.alerts === true };
}

export const livePlugin: FastifyPluginAsync<LivePluginOptions> = async (app, options) => {
  // A browser sends its cookie with a cross-site WebSocket too: a cookie-authenticated upgrade must come
  // from a page of this origin (API clients with a bearer token or key send no Origin, or their own).
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin && presentedSecret(request)?.kind === 'session' && !request.headers.authorization) {
      let host: string | null = null;
      try {
        host = new URL(origin).host;
      } catch {
        host = null;
      }
      if (host !== request.headers.host) throw new AuthRequiredError('cross-site WebSocket refused');
    }
  });

  app.get('/live', { websocket: true, config: { access: 'live' }, schema: { hide: true } }, (socket, request) => {
    let unsubscribers: Array<() => void> = [];
    /** The caller as last checked: alert messages are filtered by its districts and permission. */
    let current: Principal | null = null;
    let alertsAudited = false;
    const dropAll = () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      unsubscribers = [];
    };
    /** The caller as of now: null (and the socket closed) once the session or key was revoked. */
    const stillAllowed = async () => {
      const principal = await resolvePrincipal(request, options.sessions).catch(() => null);
      if (principal && allows(principal, 'live')) return (current = principal);
      current = null;
      dropAll();
      socket.close(CLOSE_SESSION_ENDED, 'session ended');
      return null;
    };
    const recheck = setInterval(() => void stillAllowed(), SESSION_RECHECK_MS);
    recheck.unref();
    socket.on('message', (data: Buffer) => {
      subscribe(data).catch((err) => {
        // PostgreSQL away: say so on the socket; the client keeps its previous subscription and retries.
        request.log.warn({ err }, 'live subscription failed');
        if (socket.readyState === socket.OPEN)
          socket.send(
            JSON.stringify({
              type: 'error',
              code: 'IOC_DEPENDENCY_UNAVAILABLE',
              message: 'subscription failed, retry',
            }),
          );
      });
    });
    const send = (message: unknown) => {
      // A slow client is skipped rather than buffered without bound.
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < 1_000_000) socket.send(JSON.stringify(message));
    };
    const followAlerts = async (principal: Principal): Promise<boolean> => {
      if (!options.alertFeed || !allows(principal, 'alerts:read')) return false;
      unsubscribers.push(
        options.alertFeed.subscribe((message) => {
          // Checked per message against the caller as last re-checked: a district change or a lost
          // permission stops the flow without a new subscription.
          if (current && allows(current, 'alerts:read') && seesDistrict(current, message.alert.district)) send(message);
        }),
      );
      await options.alertFeed.listening();
      if (!alertsAudited) {
        alertsAudited = true;
        await options.audit.record(request, { action: 'alerts.subscribe', target: null, outcome: 'success' });
      }
      return true;
    };
    const subscribe = async (data: Buffer) => {
      const subscription = parseSubscribe(data.toString('utf8'));
      if (typeof subscription === 'string') {
        const field = subscription.startsWith('alerts') ? 'alerts' : 'cameraIds';
        socket.send(JSON.stringify({ type: 'error', code: 'IOC_VALIDATION_FAILED', field, message: subscription }));
        return;
      }
      const principal = await stillAllowed();
      if (!principal) return;
      // Only cameras that exist in the caller's districts are followed; others are dropped like unknown ids.
      const visible = new Set(
        (await options.cameras.list({ districts: principal.districts ?? undefined })).map((c) => c.id),
      );
      const followed = subscription.cameraIds.filter((id) => visible.has(id));
      dropAll();
      for (const cameraId of followed) {
        await options.audit.access(request, 'live', cameraId);
        unsubscribers.push(options.feed.subscribe(cameraId, send));
      }
      const alerts = subscription.alerts && (await followAlerts(principal));
      socket.send(JSON.stringify({ type: 'subscribed', cameraIds: followed, alerts }));
      // The last seconds at once: the wall's picture is that far behind, and draws them now rather than later.
      for (const cameraId of followed) for (const message of options.feed.recent(cameraId)) send(message);
    };
    socket.on('close', () => {
      clearInterval(recheck);
      dropAll();
    });
  });
};
