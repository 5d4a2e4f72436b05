// Sends the webhook outbox: claims due deliveries, POSTs each signed body with a timeout, marks it delivered
// on a 2xx and otherwise retries with capped exponential backoff until giveUpAfterMs, then marks it failed.
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { publicWebhookUrl, scrubUrlQueries } from '../core/webhookUrl.ts';
import type { ClaimedDelivery, WebhookRepository } from '../store/webhooks.ts';
import { webhookHeaders } from './webhookSignature.ts';

export type WebhookSettings = Config['alerts']['webhooks'];

export interface WebhookDispatcherOptions {
  webhooks: WebhookRepository;
  settings: WebhookSettings;
  logger: Logger;
  /** The clock of due times, backoff and give-up; Date.now by default (tests drive it forward). */
  nowMs?: () => number;
  /** Global fetch by default. */
  fetch?: typeof fetch;
  /** Sends in flight at once across webhooks (one per webhook at most, always). Default 4. */
  concurrency?: number;
  /**
   * How long a claimed row stays out of other dispatchers' claims. Default timeoutMs + 30 s: longer than
   * any send, so only a dispatcher that died mid-send lets its row come back.
   */
  leaseMs?: number;
  /** Source of the ±10 % jitter, 0 ≤ x < 1; Math.random by default. */
  random?: () => number;
}

/** initialBackoffMs·2^(attempts−1), capped at maxBackoffMs, then ±10 % so consumers coming back aren't hit in step. */
export function webhookBackoffMs(
  attempts: number,
  settings: Pick<WebhookSettings, 'initialBackoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const capped = Math.min(settings.initialBackoffMs * 2 ** exponent, settings.maxBackoffMs);
  return Math.round(capped * (0.9 + 0.2 * random()));
}

/** What went wrong with a send, in words safe for a log and the delivery row (no URL query, no secret). */
function describeSendError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  if (e.cause?.code) return `network error: ${e.cause.code}`;
  return scrubUrlQueries(`${e.name ?? 'Error'}: ${e.cause?.message ?? e.message ?? String(err)}`);
}

export class WebhookDispatcher {
  private readonly webhooks: WebhookRepository;
  private readonly settings: WebhookSettings;
  private readonly logger: Logger;
  private readonly nowMs: () => number;
  private readonly fetch: typeof fetch;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(options: WebhookDispatcherOptions) {
    this.webhooks = options.webhooks;
    this.settings = options.settings;
    this.logger = options.logger;
    this.nowMs = options.nowMs ?? Date.now;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.leaseMs = options.leaseMs ?? options.settings.timeoutMs + 30_000;
    this.random = options.random ?? Math.random;
  }

  /** Polls every pollMs until close(); a failed poll (database away) is logged and the next one tries again. */
  start(): void {
    if (this.closed || this.timer) return;
    const tick = async () => {
      this.running = this.runOnce().catch((err: unknown) => this.logger.warn({ err }, 'webhook dispatch round failed'));
      await this.running;
      this.running = null;
      if (!this.closed) this.timer = setTimeout(tick, this.settings.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Sends every delivery due now, up to `concurrency` at once, and returns how many sends were made.
   * Claims again as sends finish: a webhook's next row is eligible as soon as its previous one settles,
   * so a burst drains without waiting a poll per row.
   */
  async runOnce(): Promise<number> {
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    try {
      while (!this.closed) {
        const free = this.concurrency - inFlight.size;
        const claimed = free > 0 ? await this.webhooks.claimDue(this.nowMs(), free, this.leaseMs) : [];
        for (const delivery of claimed) {
          const send: Promise<void> = this.deliver(delivery).finally(() => inFlight.delete(send));
          inFlight.add(send);
          sent += 1;
        }
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
      }
    } finally {
      await Promise.allSettled(inFlight);
    }
    return sent;
  }

  /** Stops polling and waits for the sends in flight (each bounded by timeoutMs). Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      await this.running;
    })();
    return this.closing;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { timeoutMs } = this.settings;
    let status: number | null = null;
    let error: string;
    try {
      const response = await this.fetch(delivery.url, {
        method: 'POST',
        headers: {
          ...webhookHeaders({
            secret: delivery.secret,
            body: delivery.body,
            deliveryId: delivery.id,
            event: delivery.event,
            nowMs: this.nowMs(),
          }),
        },
        body: delivery.body,
        // A redirect would carry the signed alert somewhere the admin never configured: a 3xx is a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      // The answer's body is of no use; dropping it frees the connection.
      await response.body?.cancel().catch(() => undefined);
      if (status >= 200 && status < 300) {
        await this.webhooks.markDelivered(delivery.id, status, this.nowMs());
        this.logger.debug({ ...this.logFields(delivery), status }, 'webhook delivered');
        return;
      }
      error = `HTTP ${status}`;
    } catch (err) {
      error = describeSendError(err, timeoutMs);
    }
    await this.settleFailure(delivery, status, error);
  }

  private async settleFailure(delivery: ClaimedDelivery, status: number | null, error: string): Promise<void> {
    const attempts = delivery.attempts + 1;
    const nowMs = this.nowMs();
    const giveUpAtMs = delivery.createdAtMs + this.settings.giveUpAfterMs;
    const fields = { ...this.logFields(delivery), attempts, status, error };
    if (nowMs >= giveUpAtMs) {
      await this.webhooks.markFailed(delivery.id, attempts, status, error);
      this.logger.warn(fields, 'webhook delivery given up');
      return;
    }
    // The last retry lands on the give-up time rather than past it, so a dead consumer's row fails on time.
    const nextAttemptAtMs = Math.min(nowMs + webhookBackoffMs(attempts, this.settings, this.random), giveUpAtMs);
    await this.webhooks.markRetry(delivery.id, attempts, nextAttemptAtMs, status, error);
    this.logger.info({ ...fields, retryInMs: nextAttemptAtMs - nowMs }, 'webhook delivery will be retried');
  }

  /** Never the secret, never the URL's query string (consumers put tokens there). */
  private logFields(delivery: ClaimedDelivery) {
    return {
      deliveryId: delivery.id,
      webhookId: delivery.webhookId,
      webhook: delivery.webhookName,
      url: publicWebhookUrl(delivery.url),
      event: delivery.event,
    };
  }
}
