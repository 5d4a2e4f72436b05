// Whether a results stream was trimmed past a checkpoint: when an analyzer stays away longer than the
// stream holds (queue.resultsMaxLen), the frames between its checkpoint and the oldest kept are gone.
import type { Redis } from 'ioredis';

/**
 * True when the stream's oldest entry is newer than `afterId`: the checkpoint's own entry was trimmed, and
 * MAXLEN trimming only reaches it after many newer entries arrived, some of which went with it.
 * (XINFO's max-deleted-entry-id would be exact, but trimming does not update it, only XDEL does.)
 */
export async function trimmedAfter(redis: Redis, streamKey: string, afterId: string): Promise<boolean> {
  if (afterId === '0' || afterId === '0-0') return false;
  const oldest = (await redis.xrange(streamKey, '-', '+', 'COUNT', 1))[0];
  return oldest !== undefined && compareStreamIds(oldest[0], afterId) > 0;
}

export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}
