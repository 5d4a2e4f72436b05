// /health (liveness: answers 200 while the process serves, with each dependency's state) and /ready
// (readiness: 503 unless PostgreSQL and Redis both answer), so a load balancer tells sick from dead.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { redactUrlCredentials } from '../core/redact.ts';

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
    return { ok: false, error: redactUrlCredentials((err as Error).message) };
  } finally {
    clearTimeout(timer);
  }
}

export const healthPlugin: FastifyPluginAsyncTypebox<HealthPluginOptions> = async (app, options) => {
  const runAll = async () => {
    const names = Object.keys(options.checks);
    const results = await Promise.all(names.map((n) => runCheck(options.checks[n]!, options.timeoutMs ?? 2000)));
    const ok = results.every((r) => r.ok);
    return {
      ok,
      body: {
        status: ok ? 'ok' : 'degraded',
        checks: Object.fromEntries(names.map((n, i) => [n, results[i]!])),
        uptimeSeconds: process.uptime(),
      },
    };
  };
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: 200 while the process answers, with the state of each dependency',
        response: { 200: HealthBody },
      },
    },
    async () => (await runAll()).body,
  );
  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: 503 unless every dependency (PostgreSQL, Redis) answers',
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (_request, reply) => {
      const { ok, body } = await runAll();
      return reply.status(ok ? 200 : 503).send(body);
    },
  );
};
