import { describe, it, expect } from 'vitest';
import { ko } from '@/lib/i18n/ko';
import { en } from '@/lib/i18n/en';
import { bilingual, format, messages, t, weekLabel } from '@/lib/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogue', () => {
  it('has the same sections and keys in Korean and English (also at run time, not only for the type checker)', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ko).sort());
    for (const s of Object.keys(ko) as (keyof typeof ko)[]) expect(Object.keys(en[s]).sort(), s).toEqual(Object.keys(ko[s]).sort());
  });

  it('fills the same placeholders in both languages, and no message is empty', () => {
    for (const s of Object.keys(ko) as (keyof typeof ko)[]) {
      for (const [k, v] of Object.entries(ko[s]) as [string, string][]) {
        const other = (en[s] as Record<string, string>)[k]!;
        expect(v.trim(), `ko ${s}.${k}`).not.toBe('');
        expect(other.trim(), `en ${s}.${k}`).not.toBe('');
        expect(placeholders(other), `${s}.${k}`).toEqual(placeholders(v));
      }
    }
  });

  it('t() picks the language and fills placeholders; format() leaves an unknown one as written', () => {
    expect(t('ko', 'common.weekN', { week: 3 })).toBe('3주차');
    expect(t('en', 'common.weekN', { week: 3 })).toBe('Week 3');
    expect(weekLabel('en', 0)).toBe('Introduction');
    expect(bilingual('common.signIn')).toEqual({ ko: '로그인', en: 'Sign in' });
    expect(messages('en', 'status').TIMED_OUT).toBe('Timed out');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(format('{a}{a}', { a: 'x' })).toBe('xx');
  });
});
