import { describe, expect, it } from 'vitest';
import { quizOrder } from '@/lib/progress/quiz-order';
import { quizKey } from '@/lib/progress/quiz-answers';
import { listLessons } from '@/lib/content/index';

describe('quiz option order per learner', () => {
  it('is a permutation, the same every time for a learner and question', () => {
    const o = quizOrder('seed-a', 7, 'prometheus-and-promql', 0, 4);
    expect([...o].sort()).toEqual([0, 1, 2, 3]);
    expect(quizOrder('seed-a', 7, 'prometheus-and-promql', 0, 4)).toEqual(o);
  });
  it('differs between learners and between questions, and puts the answer in every position about equally often', () => {
    const orders = new Set<string>();
    const where = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const o = quizOrder(`learner-${i}`, 1, 'terraform-basics', 2, 3);
      orders.add(o.join());
      where[o.indexOf(1)]!++; // where option 1 (say the answer) is shown
    }
    expect(orders.size).toBe(6);
    for (const n of where) expect(n).toBeGreaterThan(850);
    expect(quizOrder('s', 1, 'a', 0, 5).join()).not.toBe(quizOrder('s', 1, 'a', 1, 5).join());
  });
});

describe('quiz answer keys', () => {
  it('come from the lesson files, the same answers in Korean and English', () => {
    let quizzes = 0;
    for (const l of listLessons()) {
      const en = quizKey(l.week, l.slug, 'en')!;
      const ko = quizKey(l.week, l.slug, 'ko')!;
      expect(
        ko.map((q) => q.answer),
        `${l.week}/${l.slug}`,
      ).toEqual(en.map((q) => q.answer));
      for (const q of en) expect(q.answer).toBeGreaterThanOrEqual(0);
      quizzes += en.length;
    }
    expect(quizzes).toBeGreaterThan(100);
    expect(quizKey(1, 'no-such-lesson', 'en')).toBeUndefined();
  }, 120_000); // every lesson's MDX is parsed once
});
