import { z } from 'zod';

/** The course's home: days are counted and dates shown in Korea time unless a user picks another zone. */
export const DEFAULT_TIME_ZONE = 'Asia/Seoul';

/** Whether the runtime knows this IANA zone name (Intl throws a RangeError for one it does not). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The zones offered in the picker: the runtime's canonical list, UTC included. */
export function timeZones(): string[] {
  const list = Intl.supportedValuesOf('timeZone');
  return list.includes('UTC') ? list : ['UTC', ...list];
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, 'Pick a time zone.')
  .max(64, 'Pick a time zone from the list.')
  .regex(/^[A-Za-z0-9_+\-/]+$/, 'Pick a time zone from the list.')
  .refine(isTimeZone, 'Pick a time zone from the list.');

/** The zone to use for a user: theirs if set and still known, otherwise the course's. */
export function zoneOf(user: { timeZone?: string | null } | null | undefined): string {
  const tz = user?.timeZone;
  return tz && isTimeZone(tz) ? tz : DEFAULT_TIME_ZONE;
}
