import { z } from 'zod';
import { getDb, Prisma } from '../db';
import { hashPassword } from './password';
import { AppError, msg } from '../errors';
import { signupRefused } from '../security/signup-limit';

export const signupInput = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(80, 'Keep the name under 80 characters.'),
  email: z.string().trim().toLowerCase().email('Enter a valid email address.').max(254),
  password: z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.'),
  lang: z.enum(['ko', 'en']).default('ko'),
});

/**
 * A new learner account (everyone signs up as a learner; roles are given by an admin). An e-mail that already has an
 * account gets the same answer, after the same work (the password is hashed either way), and that account is left
 * exactly as it was: sign-up never says who has an account, and never touches one. Whether an account was created
 * is returned for the caller's own use (tests, logs), never for the person signing up. Cohort e-mail invites are not
 * joined here: they wait on the dashboard for the person to accept (lib/cohorts/manage.ts).
 * Limited per client address and per e-mail (lib/security/signup-limit.ts), before any hashing.
 */
export async function createAccount(raw: unknown, address: string | null = null): Promise<{ created: boolean }> {
  const input = signupInput.parse(raw);
  if (await signupRefused(input.email, address)) {
    throw new AppError('rate_limited', { message: msg('errors.signupLimit') });
  }
  const passwordHash = await hashPassword(input.password);
  try {
    await getDb().user.create({ data: { name: input.name, email: input.email, passwordHash, role: 'LEARNER', lang: input.lang }, select: { id: true } });
    return { created: true };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return { created: false };
    throw e;
  }
}
