// Settings of `reports` (one section of core/config.ts's schema).
// Daily, weekly and monthly reports (PDF and CSV), on demand and on a schedule in Vietnam's local time.

import Type from 'typebox';
import { strict } from './strict.ts';

export const ReportsConfigSchema = Type.Object(
  {
    /** Make due reports on schedule (the analyzer process); on-demand reports work either way. */
    scheduleEnabled: Type.Boolean({ default: true }),
    /** A period's report is due at this local hour (Asia/Ho_Chi_Minh) on the first day after it. */
    dueHourLocal: Type.Integer({ minimum: 0, maximum: 23, default: 7 }),
    kinds: Type.Array(Type.Union([Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly')]), {
      default: ['daily', 'weekly', 'monthly'],
    }),
    /** Also one report per district of the enabled cameras, beside the province's. */
    perDistrict: Type.Boolean({ default: true }),
    /** After downtime, periods per kind looked back at (and made if missing), the newest due one included. */
    catchUpPeriods: Type.Integer({ minimum: 1, maximum: 31, default: 3 }),
    /** The first look after start (catching up after downtime) waits this long, so start-up work goes first. */
    startDelayMs: Type.Integer({ minimum: 0, maximum: 3600000, default: 30000 }),
    /** How often the scheduler looks for due reports. */
    checkIntervalMs: Type.Integer({ minimum: 1000, maximum: 3600000, default: 60000 }),
    /** Folder of DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian fonts-dejavu-core): glyphs for all of Vietnamese. */
    fontDir: Type.String({ minLength: 1, default: '/usr/share/fonts/truetype/dejavu' }),
    /** Languages each scheduled report is made in: Vietnamese (the documents the province files), and English if asked. */
    languages: Type.Array(Type.Union([Type.Literal('vi'), Type.Literal('en')]), {
      minItems: 1,
      maxItems: 2,
      uniqueItems: true,
      default: ['vi'],
    }),
    /** The issuing body printed at the top left of each report. */
    issuer: Type.String({
      minLength: 1,
      maxLength: 200,
      default: 'Trung tâm Giám sát, Điều hành\nđô thị thông minh (IOC)',
    }),
  },
  { ...strict, default: {} },
);
