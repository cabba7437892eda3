import { describe, expect, it } from 'vitest';
import { decode, encode } from 'next-auth/jwt';
import { decodeSessionToken, encodeSessionToken } from '@/app/_server/jwt';

/** The session-token codec with a kept key reads and writes exactly next-auth's own tokens. */
describe('session token codec', () => {
  const secret = 'a-test-secret-of-some-length-0123456789';
  it('reads a token next-auth wrote, and next-auth reads one it wrote', async () => {
    const theirs = await encode({ token: { uid: 'u1', sv: 3 }, secret, maxAge: 60 });
    expect(await decodeSessionToken({ token: theirs, secret })).toMatchObject({ uid: 'u1', sv: 3 });
    const ours = await encodeSessionToken({ token: { uid: 'u2', sv: 1 }, secret, maxAge: 60 });
    expect(await decode({ token: ours, secret })).toMatchObject({ uid: 'u2', sv: 1 });
  });
  it('refuses a token made with another secret or salt, and an expired one', async () => {
    const t = await encodeSessionToken({ token: { uid: 'u1' }, secret, maxAge: 60 });
    await expect(decodeSessionToken({ token: t, secret: `${secret}x` })).rejects.toThrow();
    await expect(decodeSessionToken({ token: t, secret, salt: 'other' })).rejects.toThrow();
    const old = await encodeSessionToken({ token: { uid: 'u1' }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: old, secret })).rejects.toThrow(/exp/);
    expect(await decodeSessionToken({ token: '', secret })).toBeNull();
  });
});
