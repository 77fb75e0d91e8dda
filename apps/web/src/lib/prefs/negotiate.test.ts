import { describe, expect, it } from 'vitest';
import { initialPrefs, negotiateLang, prefCookie } from './negotiate';

describe('Accept-Language negotiation', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW,zh;q=0.9', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['en-GB', 'en'],
    ['de-DE,de;q=0.9,zh;q=0.5,en;q=0.3', 'zh-CN'],
    ['fr-FR,de;q=0.8', null],
    ['', null],
    ['*;q=0', null],
  ])('%s → %s', (header, want) => {
    expect(negotiateLang(header)).toBe(want);
  });

  it('a remembered choice beats the browser, the browser beats the admin default', () => {
    expect(initialPrefs({ lang: 'en', acceptLanguage: 'zh-CN' })).toEqual({
      lang: 'en',
      langSource: 'user',
      colorMode: null,
    });
    expect(initialPrefs({ acceptLanguage: 'zh-CN,zh;q=0.9' })).toMatchObject({
      lang: 'zh-CN',
      langSource: 'browser',
    });
    expect(initialPrefs({ acceptLanguage: 'fr' })).toMatchObject({ lang: 'en', langSource: 'default' });
  });

  it('ignores cookie values it does not know', () => {
    expect(initialPrefs({ lang: 'xx', colors: 'purple', acceptLanguage: 'zh' })).toEqual({
      lang: 'zh-CN',
      langSource: 'browser',
      colorMode: null,
    });
    expect(initialPrefs({ colors: 'red-up' }).colorMode).toBe('red-up');
  });

  it('writes a year-long, site-wide, lax cookie', () => {
    expect(prefCookie('investiq.lang', 'zh-CN')).toBe(
      'investiq.lang=zh-CN; Path=/; Max-Age=31536000; SameSite=Lax',
    );
  });
});
