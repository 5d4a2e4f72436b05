// Settings of `database` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const DatabaseConfigSchema = Type.Object(
  {
    url: Type.String({ pattern: '^postgres(ql)?://', default: 'postgres://postgres@127.0.0.1:5432/test' }),
    /** PostgreSQL schema holding the project's tables; tests use one per run. */
    schema: Type.String({ pattern: '^[a-z_][a-z0-9_]*$', default: 'ioc' }),
    poolSize: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
  },
  { ...strict, default: {} },
);
