import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { Metadata } from 'next';
import { isLang, t, weekLabel } from '@/lib/i18n';
import { getLesson, lessonNeighbours, listLessons } from '@/lib/content/index';
import { moduleDir } from '@/lib/content/schema';
import { LessonProgress } from '@/components/lesson-progress';
import { Quiz } from '@/components/mdx/quiz';
import { QuizEnhancer } from '@/components/quiz-enhancer';

type Params = Promise<{ lang: string; week: string; slug: string }>;

/** Every lesson in both languages, rendered at build time; an unknown path is a 404, never a render. */
export function generateStaticParams() {
  return listLessons().flatMap((l) => l.languages.map((lang) => ({ lang, week: String(l.week), slug: l.slug })));
}

export const dynamicParams = false;

function parse(week: string, slug: string) {
  if (!/^\d{1,2}$/.test(week) || !/^[a-z0-9-]{1,80}$/.test(slug)) return undefined;
  return getLesson(Number(week), slug);
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { lang, week, slug } = await params;
  const lesson = parse(week, slug);
  return lesson && isLang(lang) ? { title: lesson.meta[lang].title, description: lesson.meta[lang].description } : {};
}

export default async function LessonPage({ params }: { params: Params }) {
  const { lang, week, slug } = await params;
  const lesson = parse(week, slug);
  if (!lesson || !isLang(lang)) notFound();
  const meta = lesson.meta[lang];
  const { default: Body } = await import(`@/content/${moduleDir(lesson.week)}/${lesson.slug}.${lang}.mdx`);
  const { prev, next } = lessonNeighbours(lesson.week, lesson.slug);
  return (
    <article className="mx-auto max-w-3xl" lang={lang}>
      <nav className="mb-4 text-sm text-slate-500">
        <Link href="/roadmap" className="hover:underline">
          {t(lang, 'common.roadmap')}
        </Link>{' '}
        /{' '}
        <Link href={`/weeks/${lesson.week}`} className="hover:underline">
          {weekLabel(lang, lesson.week)}
        </Link>
      </nav>
      <h1 className="text-3xl font-bold">{meta.title}</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">{meta.description}</p>
      <p className="mt-2 text-sm text-slate-500">
        {t(lang, 'common.assumes')}: {meta.assumes} · {meta.minutes} {t(lang, 'common.minutes')}
      </p>
      <section className="mt-6 rounded-lg bg-slate-50 p-4 dark:bg-slate-900">
        <h2 className="mb-2 font-semibold">{t(lang, 'common.goals')}</h2>
        <ul className="list-disc space-y-1 pl-6 text-sm">
          {meta.goals.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      </section>
      <div className="prose prose-slate mt-8 max-w-none dark:prose-invert" data-testid="lesson-body">
        <Body components={{ Quiz: (props: React.ComponentProps<typeof Quiz>) => <Quiz {...props} lang={lang} /> }} />
      </div>
      {/* A client island: the learner's own order of quiz options, their last answers, and recording new ones. */}
      <QuizEnhancer week={lesson.week} slug={lesson.slug} lang={lang} />
      <section className="mt-10 border-t border-slate-200 pt-6 dark:border-slate-800">
        <h2 className="mb-2 font-semibold">{t(lang, 'common.officialDocs')}</h2>
        <ul className="list-disc space-y-1 pl-6 text-sm">
          {meta.docs.map((d) => (
            <li key={d.url}>
              <a href={d.url} rel="noopener noreferrer" className="text-blue-700 underline dark:text-blue-400">
                {d.title}
              </a>
            </li>
          ))}
        </ul>
      </section>
      <div className="mt-8">
        {/* A client island: asks /api/me for the reader's state of this lesson; shows nothing to a guest. */}
        <LessonProgress
          week={lesson.week}
          slug={lesson.slug}
          labels={{ DONE: t(lang, 'lesson.markDone'), LEARNING: t(lang, 'lesson.learning'), SKIPPED: t(lang, 'lesson.skip') }}
        />
      </div>
      <nav className="mt-10 flex justify-between gap-4 text-sm" aria-label="Lesson navigation">
        {prev ? (
          <Link href={`/weeks/${prev.week}/${prev.slug}`} className="hover:underline">
            ← {t(lang, 'common.previous')}: {prev.meta[lang].title}
          </Link>
        ) : (
          <span />
        )}
        {next && (
          <Link href={`/weeks/${next.week}/${next.slug}`} className="text-right hover:underline">
            {t(lang, 'common.next')}: {next.meta[lang].title} →
          </Link>
        )}
      </nav>
    </article>
  );
}
