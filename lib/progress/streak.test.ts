import { describe, it, expect } from 'vitest';
import { dayIn, streakFrom } from './streak';

describe('streak', () => {
  it('counts consecutive days ending today, or yesterday when today has nothing yet', () => {
    expect(streakFrom(['2026-03-01', '2026-03-02', '2026-03-03'], '2026-03-03')).toEqual({ days: 3, activeToday: true });
    expect(streakFrom(['2026-03-01', '2026-03-02'], '2026-03-03')).toEqual({ days: 2, activeToday: false });
    expect(streakFrom(['2026-03-01'], '2026-03-03')).toEqual({ days: 0, activeToday: false });
    expect(streakFrom(['2026-02-28', '2026-03-01', '2026-03-03'], '2026-03-03')).toEqual({ days: 1, activeToday: true });
    expect(streakFrom(['2025-12-31', '2026-01-01'], '2026-01-01').days).toBe(2);
  });

  it('uses the learner time zone: 23:30 UTC is already the next day in Seoul', () => {
    const d = new Date('2026-03-01T23:30:00Z');
    expect(dayIn(d, 'UTC')).toBe('2026-03-01');
    expect(dayIn(d, 'Asia/Seoul')).toBe('2026-03-02');
  });
});
