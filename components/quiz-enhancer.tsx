'use client';
import { useEffect } from 'react';
import { fetchMe } from './me-client';
import { quizOrder } from '@/lib/progress/quiz-order';

const LETTERS = 'ABCDEFGH';

/**
 * The lesson's self-checks for a signed-in learner (the page is prerendered, the same for everyone): each quiz's options
 * are put in the learner's own order (stable per learner and question, so "the answer is always B" teaches nothing),
 * the learner's last answer is shown again, and each answer is sent to be recorded (judged by the server against the
 * lesson). A guest keeps the page as written. Nothing is rendered: the quizzes are the server's markup.
 */
export function QuizEnhancer({ week, slug, lang }: { week: number; slug: string; lang: 'ko' | 'en' }) {
  useEffect(() => {
    let stop = false;
    const cleanups: (() => void)[] = [];
    void fetchMe({ week, slug }).then((me) => {
      if (stop || !me.user || !me.quizSeed) return;
      const answered = new Map((me.quizzes ?? []).map((a) => [a.quiz, a.choice]));
      document.querySelectorAll<HTMLFieldSetElement>('[data-quiz]').forEach((quiz, index) => {
        const list = quiz.querySelector('ol');
        const items = [...quiz.querySelectorAll<HTMLLIElement>('li[data-option]')];
        if (!list || items.length < 2) return;
        const order = quizOrder(me.quizSeed!, week, slug, index, items.length);
        const byOption = new Map(items.map((li) => [Number(li.dataset.option), li]));
        order.forEach((option, position) => {
          const li = byOption.get(option);
          if (!li) return;
          list.appendChild(li); // in the new order: screen readers follow it too
          const letter = li.querySelector('[data-letter]');
          if (letter) letter.textContent = `${LETTERS[position]}.`;
        });
        const answerLetter = quiz.querySelector<HTMLElement>('[data-answer-letter]');
        if (answerLetter) answerLetter.textContent = LETTERS[order.indexOf(Number(answerLetter.dataset.answerLetter))] ?? answerLetter.textContent;
        const last = answered.get(index);
        if (last !== undefined) {
          const input = byOption.get(last)?.querySelector<HTMLInputElement>('input[type=radio]');
          if (input) input.checked = true;
        }
        const onChange = (e: Event) => {
          const input = e.target as HTMLInputElement;
          if (input.type !== 'radio' || !input.checked) return;
          const choice = Number(input.closest<HTMLLIElement>('li[data-option]')?.dataset.option);
          if (!Number.isInteger(choice)) return;
          void fetch('/api/quiz-answers', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ week, slug, quiz: index, choice, lang }),
          }).catch(() => {});
        };
        quiz.addEventListener('change', onChange);
        quiz.dataset.quizOrder = order.join(',');
        cleanups.push(() => quiz.removeEventListener('change', onChange));
      });
    });
    return () => {
      stop = true;
      cleanups.forEach((c) => c());
    };
  }, [week, slug, lang]);
  return null;
}
