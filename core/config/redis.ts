// Settings of `redis` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const RedisConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
    /** Prefix of every key and queue, so deployments and tests can share one Redis. */
    prefix: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', default: 'ioc' }),
  },
  { ...strict, default: {} },
);
