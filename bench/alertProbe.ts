// Watches a running bench system's alerts the way the alerts console does: logs in to the api role as its
// first admin, follows /api/live over a real WebSocket and notes when each wrong-way alert was raised and received.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AlertMessage } from '../core/alerts.ts';
import type { BenchAdmin } from './benchStack.ts';

export interface ObservedAlert {
  alertId: string;
  cameraId: string;
  /** Capture time of the frame where the crossing was seen (alert.startedAt). */
  startedAtMs: number;
  /** Capture time of the frame whose analysis raised the alert (alert.triggeredAt): later than startedAtMs when the line counter held the crossing until its track was confirmed. */
  triggeredAtMs: number;
  /** When this process read the 'raised' message off the socket. */
  receivedAtMs: number;
}

/** The part of the `ws` client used here (the package ships no types and @types/ws is not installed). */
interface WsSocket {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  send(text: string): void;
  close(): void;
  readonly readyState: number;
}
type WsConstructor = new (url: string, options: { headers: Record<string, string> }) => WsSocket;
// Node 20 has no global WebSocket without a flag; `ws` is already installed (fastify's websocket plugin uses it).
const WebSocket = createRequire(import.meta.url)('ws') as WsConstructor;

const LOGIN_RETRY_MS = 500;
const WS_CLOSED = 3;

export class AlertProbe {
  private readonly alerts: ObservedAlert[] = [];
  private readonly seenIds = new Set<string>();
  private socket: WsSocket | null = null;
  private closed = false;

  constructor(
    private readonly apiUrl: string,
    private readonly admin: BenchAdmin,
    private readonly cameraIds: readonly string[],
  ) {}

  /** Logs in (retrying while the api role starts) and subscribes; resolves once the api confirms alerts: true. */
  async start(timeoutMs: number): Promise<void> {
    const token = await this.login(Date.now() + timeoutMs);
    const socket = new WebSocket(`${this.apiUrl.replace(/^http/, 'ws')}/api/live`, {
      headers: { authorization: `Bearer ${token}` },
    });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`alert probe: no subscription confirmed within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      socket.on('error', fail);
      socket.on('close', (code, reason) =>
        fail(new Error(`alert probe: socket closed (${code} ${reason.toString()})`)),
      );
      socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', alerts: true })));
      socket.on('message', (data) => {
        const receivedAtMs = Date.now();
        let message: { type?: string; alerts?: boolean };
        try {
          message = JSON.parse(data.toString('utf8')) as typeof message;
        } catch {
          return;
        }
        if (message.type === 'subscribed') {
          clearTimeout(timer);
          if (message.alerts === true) resolve();
          else reject(new Error('alert probe: the api refused the alerts subscription'));
        } else if (message.type === 'alert') this.note(message as unknown as AlertMessage, receivedAtMs);
      });
    });
  }

  private async login(deadlineMs: number): Promise<string> {
    for (;;) {
      try {
        const response = await fetch(`${this.apiUrl}/api/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(this.admin),
        });
        if (response.status === 200) {
          const body = (await response.json()) as { token: string; user: { mustChangePassword: boolean } };
          if (body.user.mustChangePassword) await this.replacePassword(body.token);
          return body.token;
        }
        // Any answer but 200 is a real refusal, not a role still starting: say so rather than wait it out.
        throw new Error(
          `alert probe: login as ${this.admin.username} failed: HTTP ${response.status} ${await response.text()}`,
        );
      } catch (err) {
        const starting = err instanceof TypeError; // fetch's "connection refused" while the api role boots
        if (!starting || Date.now() >= deadlineMs) throw err;
        await new Promise((r) => setTimeout(r, LOGIN_RETRY_MS));
      }
    }
  }

  /**
   * The first admin's password came from config: the API opens nothing else until it is changed. The bench's
   * is random and thrown away with the run; the change keeps this session, so the new one is never needed.
   */
  private async replacePassword(token: string): Promise<void> {
    const response = await fetch(`${this.apiUrl}/api/auth/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        currentPassword: this.admin.password,
        newPassword: `${this.admin.password}-${randomBytes(6).toString('hex')}`,
      }),
    });
    if (response.status !== 204)
      throw new Error(
        `alert probe: changing the first admin's password failed: HTTP ${response.status} ${await response.text()}`,
      );
  }

  /**
   * Only first 'raised' events of wrong-way alerts of the bench's cameras: camera-problem alerts (their default
   * rules also run) start at no frame's capture time, and an update or re-open is not a new delivery.
   */
  private note(message: AlertMessage, receivedAtMs: number): void {
    const alert = message.alert;
    if (message.event !== 'raised' || alert.type !== 'wrongWay' || !this.cameraIds.includes(alert.cameraId)) return;
    if (this.seenIds.has(alert.id)) return;
    this.seenIds.add(alert.id);
    const startedAtMs = Date.parse(alert.startedAt);
    const triggeredAtMs = alert.triggeredAt ? Date.parse(alert.triggeredAt) : NaN;
    if (Number.isFinite(startedAtMs) && Number.isFinite(triggeredAtMs))
      this.alerts.push({ alertId: alert.id, cameraId: alert.cameraId, startedAtMs, triggeredAtMs, receivedAtMs });
  }

  /** Every wrong-way alert received so far, in arrival order. */
  observedAlerts(): ObservedAlert[] {
    return [...this.alerts];
  }

  /** Closes the socket. Idempotent. */
  stop(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.socket && this.socket.readyState !== WS_CLOSED) this.socket.close();
  }
}
