// Closing everything a run opened: every step runs, last opened first, even when one before it fails (a child
// that will not stop must not leave its schema, keys and folder behind), and the failures come back together.

/** Releases one thing a run opened: stops a process, drops a schema, quits a connection, removes a folder. */
export type Closer = () => unknown;

/** Runs `closers` from the last to the first; once all have run, throws an AggregateError of those that failed. */
export async function closeAll(closers: readonly Closer[]): Promise<void> {
  const errors: unknown[] = [];
  for (const close of [...closers].reverse()) {
    try {
      await close();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) {
    const messages = errors.map((err) => (err instanceof Error ? err.message : String(err)));
    throw new AggregateError(errors, `${errors.length} close step(s) failed: ${messages.join('; ')}`);
  }
}
