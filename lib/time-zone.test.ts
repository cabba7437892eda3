import { describe, expect, it } from 'vitest';
import { DEFAULT_TIME_ZONE, isTimeZone, timeZoneSchema, timeZones, zoneOf } from './time-zone';

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
