// How a webhook consumer knows a POST came from this IOC and was not replayed: HMAC-SHA256 of
// `${unix seconds}.${body}` with the webhook's secret, Stripe-style (`X-IOC-Signature: t=…,v1=…`).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-IOC-Signature';
/** The delivery's id: the same on every retry of one delivery, so a consumer can drop what it already has. */
export const DELIVERY_HEADER = 'X-IOC-Delivery';
export const EVENT_HEADER = 'X-IOC-Event';

/** How far a signature's timestamp may be from the verifier's clock, by default (replay window). */
export const DEFAULT_TOLERANCE_S = 300;

function hmacHex(secret: string, timestampS: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}

/** The X-IOC-Signature value for `body` sent at `nowMs`. */
export function signWebhookBody(secret: string, body: string, nowMs: number): string {
  const timestampS = Math.floor(nowMs / 1000);
  return `t=${timestampS},v1=${hmacHex(secret, timestampS, body)}`;
}

export interface WebhookRequestHeaders {
  'Content-Type': string;
  'User-Agent': string;
  'X-IOC-Signature': string;
  'X-IOC-Delivery': string;
  'X-IOC-Event': string;
}

/** Every header a delivery POST carries. */
export function webhookHeaders(options: {
  secret: string;
  body: string;
  deliveryId: string;
  event: string;
  nowMs: number;
}): WebhookRequestHeaders {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'IOC-Vision-Webhooks/1',
    [SIGNATURE_HEADER]: signWebhookBody(options.secret, options.body, options.nowMs),
    [DELIVERY_HEADER]: options.deliveryId,
    [EVENT_HEADER]: options.event,
  } as WebhookRequestHeaders;
}

/**
 * True when `header` signs exactly `body` with `secret` and its timestamp is within toleranceS of nowMs.
 * Several v1= entries are accepted (one per secret, should a sender ever sign with two during a rotation).
 * The comparison is timing-safe, so a forger learns nothing from how long a refusal takes.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined | null,
  body: string,
  nowMs: number,
  toleranceS = DEFAULT_TOLERANCE_S,
): boolean {
  if (!header) return false;
  let timestampS: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestampS = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestampS === null || candidates.length === 0) return false;
  if (Math.abs(nowMs / 1000 - timestampS) > toleranceS) return false;
  const expected = Buffer.from(hmacHex(secret, timestampS, body), 'hex');
  let matched = false;
  // Every candidate is compared (no early exit), so the answer's timing doesn't say which one matched.
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched;
}
