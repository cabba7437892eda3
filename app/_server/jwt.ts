import hkdf from '@panva/hkdf';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { JWT, JWTDecodeParams, JWTEncodeParams } from 'next-auth/jwt';

/**
 * next-auth's own session-token encoding (JWE, dir + A256GCM, with a key derived from the secret by HKDF), with the
 * derived key kept instead of derived again: next-auth v4 derives it on every decode and every encode, and reading a
 * session decodes and re-encodes (to roll the expiry), so two HKDF derivations were ~2.5 ms of every signed-in
 * request. Same tokens in and out as next-auth's `encode`/`decode` (tests/unit/session-jwt.test.ts).
 */
const keys = new Map<string, Promise<Uint8Array>>();

function derivedKey(secret: string | Buffer, salt: string): Promise<Uint8Array> {
  const id = `${salt}\u0000${typeof secret === 'string' ? secret : secret.toString('base64')}`;
  let k = keys.get(id);
  if (!k) {
    k = hkdf('sha256', secret, salt, `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ''}`, 32);
    if (keys.size > 8) keys.clear(); // a rotated secret: keep the map small
    keys.set(id, k);
  }
  return k;
}

const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;
const now = () => (Date.now() / 1000) | 0;

export async function encodeSessionToken({ token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt = '' }: JWTEncodeParams): Promise<string> {
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(now() + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(await derivedKey(secret, salt));
}

export async function decodeSessionToken({ token, secret, salt = '' }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, await derivedKey(secret, salt), { clockTolerance: 15 });
  return payload as JWT;
}
