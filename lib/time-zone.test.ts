import { describe, expect, it } from 'vitest';
import { DEFAULT_TIME_ZONE, fromZonedInput, isTimeZone, timeZoneSchema, timeZones, toZonedInput, zoneLabel, zoneOf } from './time-zone';

describe('time zones', () => {
  it('accepts the zones the runtime knows and nothing else', () => {
    expect(timeZoneSchema.parse('Europe/Berlin')).toBe('Europe/Berlin');
    expect(timeZoneSchema.parse(' UTC ')).toBe('UTC');
    for (const bad of ['', 'Mars/Olympus_Mons', '<script>alert(1)</script>', 'Europe/Berlin; DROP', 'A/'.repeat(40)]) {
      expect(timeZoneSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(isTimeZone('Asia/Seoul')).toBe(true);
    expect(isTimeZone('Nowhere/Else')).toBe(false);
  });
  it('offers a list that includes UTC and Korea time, all valid', () => {
    const list = timeZones();
    expect(list).toContain('UTC');
    expect(list).toContain('Asia/Seoul');
    expect(list.length).toBeGreaterThan(300);
    expect(list.every((z) => timeZoneSchema.safeParse(z).success)).toBe(true);
  });
  it("uses the user's zone, or Korea time when unset or no longer known", () => {
    expect(zoneOf({ timeZone: 'America/New_York' })).toBe('America/New_York');
    expect(zoneOf({ timeZone: null })).toBe(DEFAULT_TIME_ZONE);
    expect(zoneOf({ timeZone: 'Gone/Away' })).toBe(DEFAULT_TIME_ZONE);
    expect(zoneOf(null)).toBe('Asia/Seoul');
  });
});

describe('wall-clock dates in a zone (datetime-local inputs)', () => {
  it('round-trips Korea time exactly, as the fixed +09:00 did', () => {
    expect(fromZonedInput('2026-03-02T09:00', 'Asia/Seoul')!.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(toZonedInput(new Date('2026-03-02T00:00:00Z'), 'Asia/Seoul')).toBe('2026-03-02T09:00');
    expect(fromZonedInput('2026-07-01', 'Asia/Kolkata')!.toISOString()).toBe('2026-06-30T18:30:00.000Z'); // a bare date is 00:00
  });
  it('refuses what is not a real date and time', () => {
    for (const bad of ['2026-13-40T99:00', '2026-02-30T09:00', '2026-02-28T24:00', '2026-3-2', '09:00', '', 'tomorrow'])
      expect(fromZonedInput(bad, 'UTC'), bad).toBeNull();
  });
  it('follows daylight saving: offsets change with the season, a skipped time moves forward, a repeated one is the first', () => {
    expect(fromZonedInput('2026-01-15T09:00', 'Europe/Berlin')!.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(fromZonedInput('2026-07-15T09:00', 'Europe/Berlin')!.toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(toZonedInput(fromZonedInput('2026-03-08T02:30', 'America/New_York')!, 'America/New_York')).toBe('2026-03-08T03:30');
    expect(fromZonedInput('2026-11-01T01:30', 'America/New_York')!.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });
  it('labels a zone', () => {
    expect(zoneLabel('UTC', 'en')).toBe('UTC');
    expect(zoneLabel('Asia/Seoul', 'en')).toMatch(/GMT\+9|KST/);
  });
});
