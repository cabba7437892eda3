/** Pure: shared by the server and the lesson page's quiz island (components/quiz-enhancer.tsx). */

/**
 * The order options are shown in for one quiz: a permutation of 0..n-1 from the seed and the quiz's place, the same
 * on server and client (a small PRNG, no crypto in the browser needed). shown[i] is the option at position i.
 */
export function quizOrder(seed: string, week: number, slug: string, quiz: number, n: number): number[] {
  let h = 2166136261;
  for (const ch of `${seed}|${week}/${slug}#${quiz}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  // mulberry32
  const next = () => {
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
