/**
 * A self-check question with no client code: the options are listed, and the answer and its explanation open in a
 * <details> element when the reader is ready.
 */
export function Quiz({ question, options, answer, explanation, lang = 'en' }: { question: string; options: string[]; answer: number; explanation?: string; lang?: 'ko' | 'en' }) {
  const letters = 'ABCDEFGH';
  return (
    <div className="not-prose my-6 rounded-lg border border-slate-300 p-4 dark:border-slate-700" data-quiz>
      <p className="font-medium">{question}</p>
      <ol className="mt-2 space-y-1 text-sm">
        {options.map((o, i) => (
          <li key={i}>
            <span className="mr-2 font-mono font-semibold">{letters[i]}.</span>
            {o}
          </li>
        ))}
      </ol>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-blue-700 dark:text-blue-400">{lang === 'ko' ? '정답 보기' : 'Show the answer'}</summary>
        <p className="mt-2">
          <strong>
            {letters[answer]}. {options[answer]}
          </strong>
          {explanation ? ` — ${explanation}` : ''}
        </p>
      </details>
    </div>
  );
}
