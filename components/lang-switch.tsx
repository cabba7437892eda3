'use client';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { setLanguage } from '@/app/actions/preferences';

export function LangSwitch({ lang }: { lang: 'ko' | 'en' }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const choose = (l: 'ko' | 'en') =>
    start(async () => {
      await setLanguage(l);
      // A prerendered lesson is another file per language: load it again; other pages re-render in place.
      if (document.documentElement.dataset.static === 'lesson') window.location.reload();
      else router.refresh();
    });
  return (
    <div role="group" aria-label="Language / 언어" className="flex overflow-hidden rounded-md border border-slate-300 text-sm dark:border-slate-700">
      {(['ko', 'en'] as const).map((l) => (
        <button
          key={l}
          type="button"
          disabled={pending}
          aria-pressed={lang === l}
          lang={l}
          onClick={() => choose(l)}
          className={`px-2 py-1 whitespace-nowrap ${lang === l ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
        >
          {l === 'ko' ? '한국어' : 'English'}
        </button>
      ))}
    </div>
  );
}
