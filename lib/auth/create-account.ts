import { z } from 'zod';
import { getDb, Prisma } from '../db';
import { hashPassword } from './password';
import { UserInputError } from './actor';
import { acceptCohortInvites } from '../cohorts/manage';

export const signupInput = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(80, 'Keep the name under 80 characters.'),
  email: z.string().trim().toLowerCase().email('Enter a valid email address.').max(254),
  password: z.string().min(10, 'Use at least 10 characters.').max(200, 'Use at most 200 characters.'),
  lang: z.enum(['ko', 'en']).default('ko'),
});

/** A new learner account. Everyone signs up as a learner; roles are given by an admin. */
export async function createAccount(raw: unknown): Promise<{ id: string }> {
  const input = signupInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await getDb().user.create({
      data: { name: input.name, email: input.email, passwordHash, role: 'LEARNER', lang: input.lang },
      select: { id: true },
    });
    // Cohorts that invited this address by e-mail are joined now (a failure there must not lose the new account).
    await acceptCohortInvites(user.id, input.email).catch((e) => console.error('[signup] cohort invites:', (e as Error).message));
    return user;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw new UserInputError('An account with this email already exists. Sign in instead.', '이미 가입된 이메일입니다. 로그인해 주세요.');
    }
    throw e;
  }
}
