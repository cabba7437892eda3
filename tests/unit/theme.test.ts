import { describe, expect, it } from 'vitest';
import { THEME_SCRIPT, isTheme, themeClass } from '../../lib/theme';

/** Runs the head script against a stand-in document with this cookie; returns the classes it added. */
function classesFor(cookie: string): string[] {
  const added: string[] = [];
  const document = { cookie, documentElement: { classList: { add: (c: string) => added.push(c) } } };
  new Function('document', THEME_SCRIPT)(document);
  return added;
}

describe('theme', () => {
  it('the head script sets the chosen class from the cookie, and nothing for the device setting or junk', () => {
    expect(classesFor('lang=en; theme=dark')).toEqual(['dark']);
    expect(classesFor('theme=light; lang=ko')).toEqual(['light']);
    expect(classesFor('theme=system')).toEqual([]);
    expect(classesFor('')).toEqual([]);
    expect(classesFor('xtheme=dark')).toEqual([]);
    expect(classesFor('theme=dark%22%3E%3Cscript%3E')).toEqual([]);
    expect(classesFor('theme=darkest')).toEqual([]);
  });

  it('the script survives a document whose cookie cannot be read', () => {
    const document = {
      get cookie(): string {
        throw new Error('SecurityError');
      },
      documentElement: { classList: { add: () => undefined } },
    };
    expect(() => new Function('document', THEME_SCRIPT)(document)).not.toThrow();
  });

  it('knows the three themes and the class of each', () => {
    expect(['system', 'light', 'dark'].every(isTheme)).toBe(true);
    expect(isTheme('Dark')).toBe(false);
    expect(isTheme(undefined)).toBe(false);
    expect([themeClass('system'), themeClass('light'), themeClass('dark')]).toEqual([undefined, 'light', 'dark']);
  });
});
