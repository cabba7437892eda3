'use server';
import { action } from '@/lib/actions';
import { createAccount, signupInput } from '@/lib/auth/create-account';

export const signUp = action({ schema: signupInput, public: true }, async (input) => {
  await createAccount(input);
  return { email: input.email };
});
