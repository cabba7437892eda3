/**
 * Fluent Bit's regular expressions are Onigmo's, with Ruby syntax. The ones a log pipeline writes (named groups
 * (?<name>...), classes, \d \s \S \w, anchors, lazy and counted quantifiers) mean the same in JavaScript; this reads a
 * pattern into a JavaScript RegExp, translating what differs (\h, \A, \z, \Z) and refusing what JavaScript would read
 * differently (possessive quantifiers, atomic groups, conditionals), so that the grader never silently matches other
 * text than Fluent Bit would. A pattern may be written between slashes with flags ("/.../i"), as multiline rules are.
 */
export type Compiled = { ok: true; re: RegExp } | { ok: false; why: { ko: string; en: string } };

const cache = new Map<string, Compiled>();

export function compile(pattern: string, slashed = false): Compiled {
  const key = `${slashed ? '/' : ''}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out = compileNow(pattern, slashed);
  if (cache.size > 500) cache.clear();
  cache.set(key, out);
  return out;
}

function compileNow(pattern: string, slashed: boolean): Compiled {
  let body = pattern;
  let flags = '';
  const m = slashed ? /^\/(.*)\/([imx]*)$/s.exec(pattern) : null;
  if (m) {
    body = m[1]!;
    if (m[2]!.includes('i')) flags += 'i';
    if (m[2]!.includes('x'))
      return { ok: false, why: { ko: '확장 모드(x 플래그)는 이 채점기가 읽지 않습니다', en: 'extended mode (the x flag) is not read by this grader' } };
  }
  if (/\(\?>|\(\?\(|[*+?}]\+/.test(body.replace(/\\./g, '')))
    return {
      ok: false,
      why: {
        ko: '소유 한정자(*+, ++), 원자 그룹((?>...)), 조건식은 JavaScript가 다르게 읽어 채점할 수 없습니다',
        en: 'possessive quantifiers (*+, ++), atomic groups ((?>...)) and conditionals read differently in JavaScript and cannot be graded',
      },
    };
  // Ruby's \h is a hex digit; \A and \z anchor the whole string (the texts here are single records).
  const js = body.replace(
    /\\\\|\\h|\\H|\\A|\\z|\\Z/g,
    (x) => ({ '\\h': '[0-9a-fA-F]', '\\H': '[^0-9a-fA-F]', '\\A': '^', '\\z': '$', '\\Z': '(?=\\n?$)' })[x] ?? x,
  );
  // In Ruby ^ and $ match at every line: the "m" of JavaScript. (Ruby's own /m is JavaScript's s.)
  if (m && m[2]!.includes('m')) flags += 's';
  try {
    return { ok: true, re: new RegExp(js, `${flags}m`) };
  } catch (e) {
    return {
      ok: false,
      why: { ko: `정규식을 읽을 수 없습니다: ${(e as Error).message}`, en: `the regular expression cannot be read: ${(e as Error).message}` },
    };
  }
}
