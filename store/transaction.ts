// One PostgreSQL transaction on a client of the pool: committed when the work resolves, rolled back when
// it throws, and the client always released.
//
// A client checked out of the pool has no error listener of the pool's (it only guards idle clients): when
// PostgreSQL goes away mid-transaction the client emits 'error', and with no listener that event kills the
// process (the analyzer died so in the long-outage fault run). The listener here keeps the error as the
// query's rejection, and the broken client is destroyed on release instead of going back to the pool.
import type { Pool, PoolClient } from 'pg';

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/** A client of the pool for `work`, guarded against 'error' events while checked out, released afterwards. */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
