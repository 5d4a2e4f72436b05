import { describe, expect, it } from 'vitest';
import { decideTimescale, TIMESCALE_PRELOAD_FIX } from '../../../store/timescale.ts';

describe('decideTimescale', () => {
  it('runs plain PostgreSQL without a word when the server has no TimescaleDB', () => {
    expect(decideTimescale({ available: false, preloadLibraries: '', installed: false })).toEqual({
      action: 'plain',
      problem: null,
    });
  });

  it('enables the extension when it is preloaded, alone or among other libraries', () => {
    for (const preloadLibraries of [
      'timescaledb',
      'pg_stat_statements, timescaledb',
      '"timescaledb",auto_explain',
      '$libdir/timescaledb',
    ]) {
      expect(decideTimescale({ available: true, preloadLibraries, installed: false })).toEqual({ action: 'enable' });
    }
  });

  it('does not mistake a library whose name only contains timescaledb for it', () => {
    const decision = decideTimescale({ available: true, preloadLibraries: 'timescaledb_toolkit', installed: false });
    expect(decision.action).toBe('plain');
  });

  it('falls back to plain PostgreSQL with a problem naming the fix when installed but not preloaded', () => {
    const decision = decideTimescale({ available: true, preloadLibraries: 'pg_stat_statements', installed: false });
    expect(decision).toEqual({ action: 'plain', problem: expect.stringContaining(TIMESCALE_PRELOAD_FIX) });
    expect(decision.action === 'plain' && decision.problem).toMatch(/plain PostgreSQL/);
  });

  it('says the extension created earlier will fail when it is no longer preloaded', () => {
    const decision = decideTimescale({ available: true, preloadLibraries: '', installed: true });
    expect(decision.action === 'plain' && decision.problem).toMatch(/created in this database but not preloaded/);
  });
});
