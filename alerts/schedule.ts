// When a rule is active: its schedule windows read in the deployment's local time zone. Pure: the instant
// is an argument, and the wall-clock reading comes from Intl (tz database), never from the host's zone.
import type { ScheduleWindow } from '../core/alerts.ts';
import { ValidationError } from '../core/errors.ts';

const MINUTES_PER_DAY = 24 * 60;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// One formatter per zone: building one costs far more than formatting, and rules are checked every frame.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      throw new ValidationError(`unknown time zone ${timeZone}`, { field: 'timeZone' });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws ValidationError when the zone is not an IANA zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Local weekday (0 = Sunday) and minute of the day of an instant. */
export function localTimeOf(epochMs: number, timeZone: string): { weekday: number; minuteOfDay: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: WEEKDAYS.indexOf(part('weekday')),
    minuteOfDay: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

export function parseHhMm(text: string): number {
  const [hours, minutes] = text.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/**
 * True when any window holds the instant (no windows: always). A window whose `to` is at or before its
 * `from` runs past midnight; its `days` name the day it starts on, so Friday 22:00–05:00 holds Saturday 03:00.
 */
export function isActiveAt(schedule: ScheduleWindow[] | undefined, epochMs: number, timeZone: string): boolean {
  if (!schedule || schedule.length === 0) return true;
  const { weekday, minuteOfDay } = localTimeOf(epochMs, timeZone);
  return schedule.some((window) => {
    const from = parseHhMm(window.from);
    const lengthMin = (parseHhMm(window.to) - from + MINUTES_PER_DAY) % MINUTES_PER_DAY || MINUTES_PER_DAY;
    const sinceStartMin = (minuteOfDay - from + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    if (sinceStartMin >= lengthMin) return false;
    const startDay = minuteOfDay >= sinceStartMin ? weekday : (weekday + 6) % 7;
    return !window.days || window.days.includes(startDay);
  });
}
