import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';

/**
 * Every server action is reachable by anyone who can POST to the site, whatever page it was written for. So every
 * export of a 'use server' file must be built by `action()` (app/_server/actions.ts), which checks the session, the role and
 * the input (zod) before the handler runs; a public one must say so with `public: true`.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');

function serverActionFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name) && /^\s*['"]use server['"]/.test(fs.readFileSync(p, 'utf8'))) out.push(p);
    }
  };
  walk(path.join(ROOT, 'app'));
  return out;
}

describe('server actions', () => {
  const files = serverActionFiles();

  it('are found', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of files) {
    it(`${path.relative(ROOT, file)}: every export goes through action()`, () => {
      const src = fs.readFileSync(file, 'utf8');
      const exports = [...src.matchAll(/^export\s+(const|async function|function|default|let|var)\s*([A-Za-z0-9_]*)/gm)];
      expect(exports.length).toBeGreaterThan(0);
      for (const m of exports) {
        expect(m[1], `${m[2]}: export a const built by action(), not a bare function`).toBe('const');
        const rest = src.slice(m.index! + m[0].length);
        expect(rest, `${m[2]} must be \`= action({ schema, ... }, handler)\``).toMatch(/^\s*=\s*action\(\s*\{\s*schema:/);
      }
    });
  }
});
