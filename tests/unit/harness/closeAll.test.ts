// closeAll: every step runs, last first, and a failing step neither stops the rest nor hides the others' failures.
import { describe, expect, it } from 'vitest';
import { closeAll } from '../../../harness/closeAll.ts';

describe('closeAll', () => {
  it('closes the last opened first', async () => {
    const closed: string[] = [];
    await closeAll([() => closed.push('folder'), async () => closed.push('database'), () => closed.push('child')]);
    expect(closed).toEqual(['child', 'database', 'folder']);
  });

  it('runs every step when some fail, then throws all their errors together', async () => {
    const closed: string[] = [];
    const run = closeAll([
      () => closed.push('folder'),
      () => {
        throw new Error('schema busy');
      },
      async () => closed.push('database'),
      () => Promise.reject(new Error('child will not stop')),
    ]);
    await expect(run).rejects.toThrow('2 close step(s) failed: child will not stop; schema busy');
    await run.catch((err: unknown) => expect((err as AggregateError).errors).toHaveLength(2));
    expect(closed).toEqual(['database', 'folder']);
  });
});
