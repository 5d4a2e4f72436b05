import { describe, expect, it } from 'vitest';
import { envNameOf, loadConfig } from '../../core/config.ts';
import { ConfigInvalidError } from '../../core/errors.ts';

describe('config', () => {
  it('fills defaults and freezes the result', () => {
    const config = loadConfig({ env: {} });
    expect(config.http.port).toBe(8080);
    expect(config.media.hlsSegmentSeconds).toBe(2);
    expect(Object.isFrozen(config.ingest)).toBe(true);
  });

  it('reads IOC_* variables named after the key path', () => {
    expect(envNameOf(['ingest', 'stallTimeoutMs'])).toBe('IOC_INGEST_STALL_TIMEOUT_MS');
    const config = loadConfig({
      env: { IOC_HTTP_PORT: '9090', IOC_ASSETS: '/data/assets', IOC_RTMP_ENABLED: 'false' },
    });
    expect(config.http.port).toBe(9090);
    expect(config.assetsDir).toBe('/data/assets');
    expect(config.rtmp.enabled).toBe(false);
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ env: { IOC_HTTP_PORT: '70000' } })).toThrowError(/http\.port: must be <= 65535/);
    try {
      loadConfig({ env: { IOC_INGEST_FRAME_WIDTH_PX: 'wide' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigInvalidError);
      expect((err as ConfigInvalidError).details.field).toBe('ingest.frameWidthPx');
    }
  });

  it('rejects unknown keys and unknown variables', () => {
    expect(() => loadConfig({ env: { IOC_HTTP_PROT: '1' } })).toThrowError(
      /IOC_HTTP_PROT: unknown configuration variable/,
    );
    expect(() => loadConfig({ env: {}, overrides: { http: { colour: 'red' } } as never })).toThrowError(
      /http\.colour: unknown key/,
    );
  });

  it("refuses a re-order wait shorter than a dead worker's frame takes to come back", () => {
    const defaults = loadConfig({ env: {} });
    expect(defaults.analyzer.reorderMaxWaitMs).toBeGreaterThanOrEqual(
      defaults.queue.lockDurationMs + defaults.queue.stalledIntervalMs,
    );
    try {
      loadConfig({ env: { IOC_ANALYZER_REORDER_MAX_WAIT_MS: '2000' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigInvalidError);
      expect((err as ConfigInvalidError).details.field).toBe('analyzer.reorderMaxWaitMs');
      expect((err as Error).message).toMatch(
        /analyzer\.reorderMaxWaitMs \(2000\) must be at least queue\.lockDurationMs \+ queue\.stalledIntervalMs \(15000\)/,
      );
    }
    expect(
      loadConfig({
        env: {
          IOC_ANALYZER_REORDER_MAX_WAIT_MS: '3000',
          IOC_QUEUE_LOCK_DURATION_MS: '2000',
          IOC_QUEUE_STALLED_INTERVAL_MS: '1000',
        },
      }).analyzer.reorderMaxWaitMs,
    ).toBe(3000);
  });

  it('keeps a queued JPEG at least as long as a dead worker takes to give its frame back', () => {
    expect(loadConfig({ env: {} }).queue.frameWaitMaxMs).toBe(30_000);
    expect(loadConfig({ env: { IOC_QUEUE_FRAME_WAIT_MAX_MS: '60000' } }).queue.frameWaitMaxMs).toBe(60_000);
    try {
      loadConfig({ env: { IOC_QUEUE_FRAME_WAIT_MAX_MS: '10000' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigInvalidError);
      expect((err as ConfigInvalidError).details.field).toBe('queue.frameWaitMaxMs');
      expect((err as Error).message).toMatch(
        /queue\.frameWaitMaxMs \(10000\) must be at least queue\.lockDurationMs \+ queue\.stalledIntervalMs \(15000\)/,
      );
    }
    expect(() => loadConfig({ env: { IOC_QUEUE_FRAME_WAIT_MAX_MS: '500' } })).toThrow(/queue\.frameWaitMaxMs/);
  });
});
