'use server';
import { action } from '@/lib/actions';
import { createAccount, signupInput } from '@/lib/auth/create-account';
import { changePassword, changePasswordInput } from '@/lib/auth/change-password';

export const signUp = action({ schema: signupInput, public: true }, async (input) => {
  await createAccount(input);
  return { email: input.email };
});

export const changePasswordAction = action({ schema: changePasswordInput }, async (input, user) => {
  await changePassword(user!, input);
  return { signedOut: true };
});
