// Settings of `http` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const HttpConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  },
  { ...strict, default: {} },
);
