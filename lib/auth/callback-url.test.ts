import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './callback-url';

const ORIGIN = 'http://localhost:3000';

describe('safeCallbackPath', () => {
  it('keeps a path, its query and fragment on this site', () => {
    expect(safeCallbackPath('/labs/week01-terraform-vpc?s=abc#diff', ORIGIN)).toBe('/labs/week01-terraform-vpc?s=abc#diff');
    expect(safeCallbackPath('/join/cohort/AbC_12-x', ORIGIN)).toBe('/join/cohort/AbC_12-x');
    expect(safeCallbackPath(`${ORIGIN}/groups`, ORIGIN)).toBe('/groups'); // next-auth passes absolute URLs of this site
    expect(safeCallbackPath('/%2F%2Fevil.example', ORIGIN)).toBe('/%2F%2Fevil.example'); // an encoded slash is a path character
  });

  it('refuses every way a browser would read as another host', () => {
    const hostile = [
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '\t//evil.example',
      ' //evil.example',
      '\u0000//evil.example',
      '/.//evil.example',
      '/..//evil.example',
      '/\\/evil.example',
      'https://evil.example/dashboard',
      'https:/\\evil.example',
      '//localhost:3001/x',
      'http://localhost:3000@evil.example/',
      'javascript:alert(document.domain)',
      'data:text/html,<script>alert(1)</script>',
      'HTTP://EVIL.EXAMPLE',
    ];
    for (const raw of hostile) expect(safeCallbackPath(raw, ORIGIN), JSON.stringify(raw)).toBe('/dashboard');
  });

  it('falls back on nothing, non-text and absurd lengths', () => {
    expect(safeCallbackPath(null, ORIGIN)).toBe('/dashboard');
    expect(safeCallbackPath('', ORIGIN, '/')).toBe('/');
    expect(safeCallbackPath(['/groups'], ORIGIN)).toBe('/dashboard');
    expect(safeCallbackPath('/' + 'a'.repeat(5000), ORIGIN)).toBe('/dashboard');
  });
});
