// /health: liveness plus a check of each dependency (PostgreSQL, Redis when wired), so a load
// balancer and the wall can tell a sick box from a dead one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

export type DependencyCheck = () => Promise<void>;

export interface HealthPluginOptions {
  checks: Record<string, DependencyCheck>;
  timeoutMs?: number;
}

const HealthBody = Type.Object({
  status: Type.String({ enum: ['ok', 'degraded'] }),
  checks: Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) })),
  uptimeSeconds: Type.Number(),
});

async function runCheck(check: DependencyCheck, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export const healthPlugin: FastifyPluginAsyncTypebox<HealthPluginOptions> = async (app, options) => {
  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Liveness and dependency checks', response: { 200: HealthBody, 503: HealthBody } } },
    async (_request, reply) => {
      const names = Object.keys(options.checks);
      const results = await Promise.all(names.map((n) => runCheck(options.checks[n]!, options.timeoutMs ?? 2000)));
      const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
      const ok = results.every((r) => r.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', checks, uptimeSeconds: process.uptime() });
    },
  );
};
