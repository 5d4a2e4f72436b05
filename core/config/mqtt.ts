// Settings of `mqtt` (one section of core/config.ts's schema).
// The MQTT event channel (README "Integrating with the IOC"): alerts, minute counts, zone statistics, camera availability.

import Type from 'typebox';
import { strict } from './strict.ts';

export const MqttConfigSchema = Type.Object(
  {
    /** Publish the outbox; rows are written either way, so enabling later sends what was missed (within keepPublishedHours). */
    enabled: Type.Boolean({ default: true }),
    url: Type.String({ pattern: '^(mqtts?|wss?)://', default: 'mqtt://127.0.0.1:1883' }),
    /** '' = ioc-<hostname>-<pid>-<random>. Also names the retained publisher status topic and its last will. */
    clientId: Type.String({ pattern: '^[A-Za-z0-9_.-]*$', maxLength: 64, default: '' }),
    username: Type.String({ default: '' }),
    password: Type.String({ default: '' }),
    /** Due outbox rows are looked for this often. */
    pollMs: Type.Integer({ minimum: 20, maximum: 60000, default: 500 }),
    /** Rows claimed per round (published in order, each awaited to its PUBACK). */
    batchSize: Type.Integer({ minimum: 1, maximum: 10000, default: 200 }),
    /** A publish not acknowledged by the broker within this is retried. */
    publishTimeoutMs: Type.Integer({ minimum: 100, maximum: 120000, default: 10000 }),
    initialBackoffMs: Type.Integer({ minimum: 10, maximum: 600000, default: 1000 }),
    maxBackoffMs: Type.Integer({ minimum: 10, maximum: 3600000, default: 60000 }),
    /** Published rows are kept this long (inspection), then pruned. */
    keepPublishedHours: Type.Number({ minimum: 0, maximum: 8760, default: 24 }),
  },
  { ...strict, default: {} },
);
