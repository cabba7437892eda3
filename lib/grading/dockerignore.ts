/**
 * `.dockerignore`, applied to a learner's build context as the docker CLI applies it before sending the context
 * (moby/patternmatcher's ignorefile reader and MatchesOrParentMatches): one pattern a line; a line starting with `#`
 * is a comment; surrounding space trimmed; `!` re-includes; patterns are cleaned like a path and a leading `/` dropped;
 * `*` and `?` stay inside one path segment, `**` crosses any number of them, `[...]` is a character class, `\` escapes;
 * a pattern that matches a folder excludes what is in it; the last pattern that matches a path decides.
 *
 * An API build (what the builder receives) does not read .dockerignore itself, so without this `COPY . .` would copy
 * what the learner's own `docker build` leaves out.
 */
import path from 'node:path';

export interface IgnoreRule {
  line: number;
  pattern: string;
  exclusion: boolean;
  match(p: string): boolean;
}

export class IgnoreSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly pattern: string,
  ) {
    super(`.dockerignore:${line}: syntax error in pattern ${JSON.stringify(pattern)}`);
  }
}

/** path/filepath.Clean for slash paths (no leading "./", no "//", ".." resolved, "" → "."). */
function clean(p: string): string {
  const c = path.posix.normalize(p);
  return c.length > 1 ? c.replace(/\/+$/, '') : c;
}

/** Go's filepath.Match syntax check: a class must close, and a trailing backslash has nothing to escape. */
function validPattern(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 >= p.length) return false;
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j++;
      if (p[j] === ']') return false; // an empty class
      for (; j < p.length && p[j] !== ']'; j++) if (p[j] === '\\') j++;
      if (j >= p.length) return false;
      i = j;
    }
  }
  return true;
}

/** One pattern as patternmatcher compiles it: exact, prefix (`x/**`), suffix (`**` + literal) or a regular expression. */
function compile(pattern: string): (p: string) => boolean {
  let re = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; ) {
    const first = i === 0;
    const ch = chars[i++]!;
    if (ch === '*') {
      if (chars[i] === '*') {
        i++;
        if (chars[i] === '/') i++;
        if (i >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (first) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) re += `\\${ch}`;
    else if (ch === '\\') {
      if (i < chars.length) {
        const next = chars[i++]!;
        re += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
        type = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else re += ch;
  }
  switch (type) {
    case 'exact':
      return (p) => p === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (p) => p.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (p) => p.endsWith(suffix) || (suffix.startsWith('/') && p === suffix.slice(1));
    }
    case 'regexp': {
      let rx: RegExp;
      try {
        rx = new RegExp(`${re}$`, 'u');
      } catch {
        return () => false;
      }
      return (p) => rx.test(p);
    }
  }
}

/** Reads a .dockerignore as the docker CLI does; a malformed pattern is an IgnoreSyntaxError (the CLI stops there too). */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, idx) => {
    if (raw.startsWith('#')) return;
    let p = raw.trim();
    if (!p) return;
    const exclusion = p.startsWith('!');
    if (exclusion) p = p.slice(1).trim();
    if (p) {
      p = clean(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    if (exclusion && !p) throw new IgnoreSyntaxError(idx + 1, raw.trim());
    if (!validPattern(p)) throw new IgnoreSyntaxError(idx + 1, raw.trim());
    rules.push({ line: idx + 1, pattern: p, exclusion, match: compile(p) });
  });
  return rules;
}

/** Whether a context path (slash-separated, relative) is left out: the path or any folder above it, last match wins. */
export function ignored(rules: IgnoreRule[], file: string): boolean {
  const f = clean(file);
  if (f === '.') return false;
  const parents = path.posix.dirname(f) === '.' ? [] : path.posix.dirname(f).split('/');
  let matched = false;
  for (const r of rules) {
    if (r.exclusion !== matched) continue;
    let m = r.match(f);
    for (let i = 0; !m && i < parents.length; i++) m = r.match(parents.slice(0, i + 1).join('/'));
    if (m) matched = !r.exclusion;
  }
  return matched;
}
