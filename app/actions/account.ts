'use server';
import { headers } from 'next/headers';
import { action } from '@/app/_server/actions';
import { createAccount, signupInput } from '@/lib/auth/create-account';
import { changePassword, changePasswordInput } from '@/lib/auth/change-password';
import { clientAddress } from '@/lib/security/client-address';

/**
 * One answer for every accepted sign-up, whether the e-mail was new or already had an account (nothing is changed
 * then): the form then signs in with what was typed, which works for a new account and for the owner of an old one.
 */
export const signUp = action({ schema: signupInput, public: true }, async (input) => {
  await createAccount(input, clientAddress(await headers()));
  return { next: 'sign-in' as const };
});

export const changePasswordAction = action({ schema: changePasswordInput }, async (input, user) => {
  await changePassword(user!, input);
  return { signedOut: true };
});
