import Link from 'next/link';
import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { t } from '@/lib/i18n';
import { SignupForm } from './signup-form';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignupPage() {
  const lang = await currentLang();
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">{t(lang, 'common.signUp')}</h1>
      <SignupForm
        lang={lang}
        s={{
          name: t(lang, 'common.name'),
          email: t(lang, 'common.email'),
          password: t(lang, 'common.password'),
          signUp: t(lang, 'common.signUp'),
          received: t(lang, 'auth.signupReceived'),
          signInWithPassword: t(lang, 'auth.signInWithPassword'),
        }}
      />
      <p className="text-sm">
        {t(lang, 'common.haveAccount')}{' '}
        <Link href="/login" className="text-blue-700 underline dark:text-blue-400">
          {t(lang, 'common.signIn')}
        </Link>
      </p>
    </div>
  );
}
