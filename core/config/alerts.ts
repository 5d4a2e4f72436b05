// Settings of `alerts` (one section of core/config.ts's schema).

import Type from 'typebox';
import { strict } from './strict.ts';

export const AlertsConfigSchema = Type.Object(
  {
    /** Local time zone of rule schedules (IANA name). */
    timeZone: Type.String({ minLength: 1, default: 'Asia/Ho_Chi_Minh' }),
    /** Analysed frames' JPEGs kept in Redis this long, so an alert's snapshot shows its own frame. */
    frameRetentionMs: Type.Integer({ minimum: 0, maximum: 600000, default: 30000 }),
    /** The evidence clip spans this long before and after the triggering frame. */
    clipBeforeMs: Type.Integer({ minimum: 0, maximum: 60000, default: 10000 }),
    clipAfterMs: Type.Integer({ minimum: 0, maximum: 60000, default: 10000 }),
    /** Snapshots and clips are kept this long after their alert is resolved or dismissed. */
    evidenceRetentionHours: Type.Number({ minimum: 0, maximum: 8760, default: 720 }),
    /** Camera health is checked this often for offline alerts. */
    healthPollMs: Type.Integer({ minimum: 200, maximum: 60000, default: 2000 }),
    webhooks: Type.Object(
      {
        /** First retry after this; doubles per attempt up to maxBackoffMs. */
        initialBackoffMs: Type.Integer({ minimum: 10, maximum: 600000, default: 2000 }),
        maxBackoffMs: Type.Integer({ minimum: 10, maximum: 3600000, default: 300000 }),
        /** A delivery still failing this long after the alert is given up (state failed). */
        giveUpAfterMs: Type.Integer({ minimum: 1000, maximum: 604800000, default: 86400000 }),
        timeoutMs: Type.Integer({ minimum: 100, maximum: 60000, default: 5000 }),
        /** Due deliveries are looked for this often. */
        pollMs: Type.Integer({ minimum: 50, maximum: 60000, default: 1000 }),
      },
      { ...strict, default: {} },
    ),
  },
  { ...strict, default: {} },
);
