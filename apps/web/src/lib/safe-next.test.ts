import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

// Where the browser would go after `location.assign(safeNext(next))` from https://app.example/login.
const landing = (next: string | null) => new URL(safeNext(next), 'https://app.example/login');

describe('safeNext: the post-sign-in redirect stays on this origin', () => {
  it.each([
    ['/', '/'],
    ['/symbol/US/AAPL', '/symbol/US/AAPL'],
    ['/reports?status=done#top', '/reports?status=done#top'],
    ['/admin/prompts', '/admin/prompts'],
    ['/symbol/CN/600519.SH?x=%2F%2Fevil', '/symbol/CN/600519.SH?x=%2F%2Fevil'],
    ['/a/../admin', '/admin'],
  ])('keeps the same-origin path %j → %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['absolute URL', 'https://evil.example/'],
    ['scheme-relative', '//evil.example'],
    ['backslash after slash', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['slash backslash slash', '/\\/evil.example'],
    ['TAB between slashes', '/\t/evil.example'],
    ['LF between slashes', '/\n/evil.example'],
    ['CR between slashes', '/\r/evil.example'],
    ['NUL', '/\u0000/evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['leading space', ' //evil.example'],
    ['relative', 'evil.example'],
    ['data:', 'data:text/html,x'],
    ['triple slash', '///evil.example'],
    ['slash TAB backslash', '/\t\\evil.example'],
    ['overlong', `/${'a'.repeat(5000)}`],
  ])('refuses %s', (_name, next) => {
    expect(safeNext(next)).toBe('/');
    expect(landing(next).origin).toBe('https://app.example');
  });

  it('never leaves the origin for any single control character or backslash after the first slash', () => {
    for (let c = 0; c <= 0x7f; c++) {
      const ch = String.fromCharCode(c);
      for (const next of [`/${ch}/evil.example`, `/${ch}evil.example`, `${ch}//evil.example`]) {
        expect(landing(next).origin, JSON.stringify(next)).toBe('https://app.example');
      }
    }
  });
});
