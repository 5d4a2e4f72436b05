// Retry spacing of webhook deliveries and what a subscription's URL may be.
import { describe, expect, it } from 'vitest';
import { webhookBackoffMs } from '../../../alerts/webhookDispatcher.ts';
import { assertWebhookUrl, publicWebhookUrl, scrubUrlQueries } from '../../../core/webhookUrl.ts';

const settings = { initialBackoffMs: 2000, maxBackoffMs: 300_000 };

describe('webhook backoff', () => {
  it('doubles from initialBackoffMs per attempt and stops at maxBackoffMs', () => {
    const middle = () => 0.5; // no jitter
    expect([1, 2, 3, 4].map((a) => webhookBackoffMs(a, settings, middle))).toEqual([2000, 4000, 8000, 16000]);
    expect(webhookBackoffMs(9, settings, middle)).toBe(300_000);
    expect(webhookBackoffMs(10_000, settings, middle)).toBe(300_000);
  });

  it('spreads each delay by at most ±10 %', () => {
    expect(webhookBackoffMs(1, settings, () => 0)).toBe(1800);
    expect(webhookBackoffMs(1, settings, () => 0.999999)).toBe(2200);
    expect(webhookBackoffMs(20, settings, () => 0)).toBe(270_000);
  });
});

describe('webhook URL', () => {
  it('accepts http and https URLs, query strings included', () => {
    for (const url of ['http://10.0.0.5:8080/hook', 'https://consumer.example/alerts?token=abc'])
      expect(() => assertWebhookUrl(url)).not.toThrow();
  });

  it('refuses other schemes, credentials, control characters and overlong URLs, naming the field', () => {
    for (const url of [
      'ftp://h/x',
      'javascript:alert(1)',
      'not a url',
      'https://user:pass@h/x',
      'https://user@h/x',
      'https://h/\nx',
      `https://h/${'a'.repeat(2048)}`,
    ]) {
      expect(() => assertWebhookUrl(url), url).toThrow(
        expect.objectContaining({ code: 'IOC_VALIDATION_FAILED', details: { field: 'url' } }),
      );
    }
  });

  it('keeps query strings out of what is logged', () => {
    expect(publicWebhookUrl('https://h.example:8443/a/b?token=s3cret#x')).toBe('https://h.example:8443/a/b');
    expect(scrubUrlQueries('failed to reach https://h/x?token=s3cret now')).toBe('failed to reach https://h/x now');
  });
});
