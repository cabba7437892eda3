import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { AppError, ERRORS, isAppError, msg, type ErrorCode } from '@/lib/errors';
import { t } from '@/lib/i18n';
import { actionFailure, errorAnswer, toAppError } from '@/app/_server/http/errors';

describe('the one error table', () => {
  it('gives every code a 4xx/5xx status and a message in both languages', () => {
    for (const [code, e] of Object.entries(ERRORS) as [ErrorCode, (typeof ERRORS)[ErrorCode]][]) {
      expect(e.status, code).toBeGreaterThanOrEqual(400);
      expect(e.status, code).toBeLessThan(600);
      expect(t('ko', e.message as never), code).not.toBe('');
      expect(t('en', e.message as never), code).not.toBe('');
    }
  });

  it('an AppError says its own message, or its code’s with the values it carries, in the reader’s language', () => {
    const own = new AppError('invalid_input', { message: msg('errors.weekTwice', { week: 3 }) });
    expect(own.bilingual()).toEqual({ ko: '3주차가 두 번 있습니다.', en: 'Week 3 appears twice.' });
    expect(own.message).toBe('Week 3 appears twice.');
    const coded = new AppError('queue_full', { params: { queued: 3 }, retryAfterS: 10 });
    expect(coded.text('en')).toBe('You already have 3 submissions waiting to be graded; wait for one to finish.');
    expect(coded).toMatchObject({ name: 'AppError', code: 'queue_full', retryAfterS: 10 });
    expect(new AppError('not_found').text('ko')).toBe('찾을 수 없거나 권한이 없습니다.');
    expect(isAppError(coded, 'queue_full')).toBe(true);
    expect(isAppError(coded, 'not_found')).toBe(false);
    expect(isAppError(new Error('x'))).toBe(false);
  });

  it('route handlers answer the status, Retry-After and { error, code, message, fields } from the table', () => {
    const a = errorAnswer(new AppError('queue_full', { params: { queued: 3 }, retryAfterS: 10 }), 'ko');
    expect(a.status).toBe(429);
    expect(a.headers).toEqual({ 'Cache-Control': 'no-store', 'Retry-After': '10' });
    expect(a.body.code).toBe('queue_full');
    expect(a.body.error).toBe(a.body.message.ko);
    expect(errorAnswer(new AppError('too_large', { params: { kb: 2048 } }), 'en').body).toEqual({
      error: 'The request is too large (at most 2048 KB).',
      code: 'too_large',
      message: { ko: '요청이 너무 큽니다 (최대 2048 KB).', en: 'The request is too large (at most 2048 KB).' },
    });
    expect(errorAnswer(new AppError('not_found'), 'en').status).toBe(404);
    expect(errorAnswer(new AppError('sign_in'), 'en').status).toBe(401);
    expect(errorAnswer(new AppError('forbidden'), 'en').status).toBe(403);
  });

  it('a zod error thrown in the domain reads as actions and route handlers have always shown it', () => {
    const e = z.object({ name: z.string().min(2, 'At least 2 characters.') }).safeParse({ name: 'x' }).error!;
    const forAction = actionFailure(toAppError(e, 'action')!, 'ko');
    expect(forAction).toEqual({ ok: false, code: 'invalid_input', error: 'At least 2 characters.', fields: { name: 'At least 2 characters.' } });
    const forRoute = errorAnswer(toAppError(e, 'route')!, 'en');
    expect(forRoute.status).toBe(400);
    expect(forRoute.body).toMatchObject({
      code: 'invalid_input',
      error: 'Invalid input: name: At least 2 characters.',
      fields: { name: 'At least 2 characters.' },
    });
    expect(toAppError(new TypeError('a bug'), 'route')).toBeNull();
  });
});
