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

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;

/** A date-time as `YYYY-MM-DDTHH:mm` on the wall clock of `zone`: what a datetime-local input shows and takes. */
export function toZonedInput(d: Date, zone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** `zone`'s wall clock at the instant `t`, to the minute, as milliseconds of a UTC date with the same fields. */
export function wallClockMs(t: number, zone: string): number {
  return Date.parse(`${toZonedInput(new Date(t), zone)}:00Z`);
}

/** How far `zone`'s wall clock is ahead of UTC at the instant `t` (ms). */
function offsetAt(t: number, zone: string): number {
  return wallClockMs(t, zone) - Math.floor(t / 60_000) * 60_000;
}

/**
 * The instant a wall-clock `YYYY-MM-DDTHH:mm` (or a bare date, meaning 00:00) names in `zone`; null for text that is
 * not a real calendar date and time. Across daylight saving: a time the clocks skip counts as the time after the jump
 * (02:30 on the spring-forward night is 03:30), a time they repeat as its first occurrence.
 */
export function fromZonedInput(s: string, zone: string): Date | null {
  const m = LOCAL.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00'].map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi)
    return null;
  // The offset a day before and a day after cover both sides of any transition near this time.
  const candidates = [...new Set([wall - offsetAt(wall - 86_400_000, zone), wall - offsetAt(wall + 86_400_000, zone)])].sort((a, b) => a - b);
  const exact = candidates.find((t) => wallClockMs(t, zone) === wall);
  if (exact !== undefined) return new Date(exact);
  // In a gap: the earlier offset lands after the jump.
  return new Date(wall - offsetAt(wall - 86_400_000, zone));
}

/** A zone's short name for labels, e.g. "KST" or "GMT+9" (the runtime's wording), falling back to the IANA name. */
export function zoneLabel(zone: string, lang: 'ko' | 'en', at = new Date()): string {
  const part = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}
