import { t } from '@/lib/i18n';

const LETTERS = 'ABCDEFGH';

/** A stable radio-group name per quiz (question and options), so two quizzes on one page never share a group. */
function groupName(question: string, options: string[]): string {
  let h = 5381;
  for (const ch of question + '\u0000' + options.join('\u0000')) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0;
  return `quiz-${h.toString(36)}`;
}

/**
 * A self-check question that works with no client code; on a lesson page the quiz island (components/quiz-enhancer.tsx)
 * then shows a signed-in learner the options in their own order and records their answers. The options are radio buttons: choosing one shows, by CSS alone, whether
 * it is right and why (the `why` sentence of that option, in the order of `options`). The answer and its explanation
 * also open in a <details> element when the reader is ready.
 */
export function Quiz({
  question,
  options,
  answer,
  explanation,
  why,
  lang = 'en',
}: {
  question: string;
  options: string[];
  answer: number;
  explanation?: string;
  /** One short sentence per option saying why it is right or wrong, in the same order as `options`. */
  why?: string[];
  lang?: 'ko' | 'en';
}) {
  const name = groupName(question, options);
  const right = t(lang, 'quiz.right');
  const wrong = t(lang, 'quiz.wrong');
  return (
    <fieldset className="not-prose my-6 rounded-lg border border-slate-300 p-4 dark:border-slate-700" data-quiz>
      <legend className="px-1 font-medium">{question}</legend>
      <ol className="mt-2 space-y-1 text-sm">
        {options.map((o, i) => (
          <li key={i} data-option={i}>
            <input type="radio" name={name} id={`${name}-${i}`} value={i} className="peer mr-2 align-middle" />
            <label htmlFor={`${name}-${i}`} className="cursor-pointer">
              <span className="mr-2 font-mono font-semibold" data-letter>
                {LETTERS[i]}.
              </span>
              {o}
            </label>
            {why?.[i] && (
              <p
                className={`mt-1 ml-6 hidden rounded px-2 py-1 peer-checked:block ${i === answer ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200' : 'bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200'}`}
                data-why={i === answer ? 'right' : 'wrong'}
              >
                <strong>{i === answer ? right : wrong}</strong> {why[i]}
              </p>
            )}
          </li>
        ))}
      </ol>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-blue-700 dark:text-blue-400">{t(lang, 'quiz.showAnswer')}</summary>
        <p className="mt-2">
          <strong>
            <span data-answer-letter={answer}>{LETTERS[answer]}</span>. {options[answer]}
          </strong>
          {explanation ? ` — ${explanation}` : ''}
        </p>
      </details>
    </fieldset>
  );
}
