import Link from 'next/link';
import { Suspense } from 'react';
import type { Metadata } from 'next';
import { currentLang } from '@/app/_server/lang';
import { getEnv } from '@/lib/env';
import { t } from '@/lib/i18n';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage() {
  const lang = await currentLang();
  const env = getEnv();
  const github = Boolean(env.GITHUB_ID && env.GITHUB_SECRET);
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-bold">{t(lang, 'common.signIn')}</h1>
      <Suspense>
        <LoginForm
          s={{
            email: t(lang, 'common.email'),
            password: t(lang, 'common.password'),
            signIn: t(lang, 'common.signIn'),
            invalid: t(lang, 'common.invalidLogin'),
          }}
        />
      </Suspense>
      {github && (
        <a href="/api/auth/signin/github" className="block rounded-md border border-slate-300 px-4 py-2 text-center dark:border-slate-700">
          GitHub
        </a>
      )}
      <p className="text-sm">
        {t(lang, 'common.noAccount')}{' '}
        <Link href="/signup" className="text-blue-700 underline dark:text-blue-400">
          {t(lang, 'common.signUp')}
        </Link>
      </p>
    </div>
  );
}
