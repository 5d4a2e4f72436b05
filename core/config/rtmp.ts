// Settings of `rtmp` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const RtmpConfigSchema = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    /** Address the embedded RTMP/HTTP-FLV server binds: all interfaces, since cameras push from the network. */
    host: Type.String({ minLength: 1, default: '0.0.0.0' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 1935 }),
    /** node-media-server's HTTP-FLV port (low-latency view of pushed streams). */
    httpPort: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
  },
  { ...strict, default: {} },
);
