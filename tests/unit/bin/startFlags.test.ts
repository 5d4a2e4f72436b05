import { describe, expect, it } from 'vitest';
import { parseStartFlags } from '../../../bin/startFlags.ts';
import { ValidationError } from '../../../core/errors.ts';

describe('ioc start flags', () => {
  it('runs one worker and no sample camera by default', () => {
    expect(parseStartFlags([])).toEqual({ demo: false, workers: 1 });
  });

  it('reads --demo and --workers in either spelling and order', () => {
    expect(parseStartFlags(['--demo', '--workers', '2'])).toEqual({ demo: true, workers: 2 });
    expect(parseStartFlags(['--workers=3', '--demo'])).toEqual({ demo: true, workers: 3 });
  });

  it.each([['--workers', '0'], ['--workers', 'two'], ['--workers', '1.5'], ['--workers=99'], ['--workers']])(
    'refuses %s %s naming the flag',
    (...flags) => {
      const call = () => parseStartFlags(flags.filter((f): f is string => typeof f === 'string'));
      expect(call).toThrow(ValidationError);
      expect(call).toThrow(/--workers/);
    },
  );

  it('refuses an unknown flag by name', () => {
    expect(() => parseStartFlags(['--demo', '--wokers=2'])).toThrow(/unknown flag "--wokers=2"/);
  });
});
