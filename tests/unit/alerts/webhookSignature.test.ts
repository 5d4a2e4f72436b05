// The webhook signature a consumer checks: Stripe-style t=…,v1=… over `${t}.${body}`, refused when the
// body, the secret or the time window is wrong.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature, webhookHeaders } from '../../../alerts/webhookSignature.ts';

const SECRET = 'whsec_test-secret';
const BODY = '{"alert": {"id": "a1"}, "event": "raised"}';
const NOW_MS = 1_764_072_000_123;

describe('webhook signature', () => {
  it('signs `${unix seconds}.${body}` with HMAC-SHA256 of the secret', () => {
    const t = Math.floor(NOW_MS / 1000);
    const hex = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');
    expect(signWebhookBody(SECRET, BODY, NOW_MS)).toBe(`t=${t},v1=${hex}`);
  });

  it('verifies its own signature within the tolerance', () => {
    const header = signWebhookBody(SECRET, BODY, NOW_MS);
    expect(verifyWebhookSignature(SECRET, header, BODY, NOW_MS)).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, BODY, NOW_MS + 299_000)).toBe(true);
  });

  it('refuses another body, another secret, an old timestamp and garbage', () => {
    const header = signWebhookBody(SECRET, BODY, NOW_MS);
    expect(verifyWebhookSignature(SECRET, header, BODY.replace('a1', 'a2'), NOW_MS)).toBe(false);
    expect(verifyWebhookSignature('whsec_other', header, BODY, NOW_MS)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, NOW_MS + 301_000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, NOW_MS + 10_000, 5)).toBe(false);
    for (const bad of [
      undefined,
      '',
      't=abc,v1=00',
      `v1=${'0'.repeat(64)}`,
      header.replace(/v1=./, 'v1=x'),
      't=1,v1=zz',
    ]) {
      expect(verifyWebhookSignature(SECRET, bad, BODY, NOW_MS)).toBe(false);
    }
  });

  it('accepts any of several v1 entries (a rotation signs with two keys)', () => {
    const good = signWebhookBody(SECRET, BODY, NOW_MS);
    const other = signWebhookBody('whsec_old', BODY, NOW_MS).split(',')[1];
    expect(verifyWebhookSignature(SECRET, `${good.split(',')[0]},${other},${good.split(',')[1]}`, BODY, NOW_MS)).toBe(
      true,
    );
  });

  it('carries the delivery id, the event and a JSON content type', () => {
    const headers = webhookHeaders({ secret: SECRET, body: BODY, deliveryId: '42', event: 'raised', nowMs: NOW_MS });
    expect(headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-IOC-Delivery': '42',
      'X-IOC-Event': 'raised',
    });
    expect(verifyWebhookSignature(SECRET, headers['X-IOC-Signature'], BODY, NOW_MS)).toBe(true);
  });
});
