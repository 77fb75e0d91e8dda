import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { settingsDict } from '../../lib/i18n/settings';
import { checkKey, collectErrors, emptyValue, type JsonSchema } from './schema-validate';

const e = settingsDict.en.editor;
const js = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any' }) as JsonSchema;

describe('inline validation of a setting draft', () => {
  const schema = js(
    z.object({
      horizon: z.number().int().min(1).max(60),
      width: z.number().gt(0).max(5),
      levels: z.array(z.number().gt(0).lt(1)).min(1).max(3),
      chain: z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/)).max(8),
      url: z.string().url(),
      urls: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/), z.string().max(10)),
    }),
  );
  const good = {
    horizon: 10,
    width: 2,
    levels: [0.8, 0.95],
    chain: ['finnhub', 'demo'],
    url: 'http://127.0.0.1:8001',
    urls: { finnhub: 'http://x' },
  };

  it('a valid draft has no errors', () => {
    expect([...collectErrors(schema, good, e)]).toEqual([]);
  });

  it('names each bad field by its path, with the message the user sees', () => {
    const bad = {
      horizon: 1.5,
      width: 0,
      levels: [],
      chain: ['finnhub', 'Bad Name'],
      url: 'not a url',
      urls: { finnhub: 'http://very-long' },
    };
    expect(Object.fromEntries(collectErrors(schema, bad, e))).toEqual({
      horizon: 'Enter a whole number.',
      width: 'Must be greater than 0.',
      levels: 'At least 1 entry.',
      'chain.1': e.pattern,
      url: e.url,
      'urls.finnhub': 'At most 10 characters.',
    });
  });

  it('an emptied number input is required, not zero', () => {
    expect(collectErrors(schema, { ...good, horizon: '' }, e).get('horizon')).toBe('Required.');
    expect(collectErrors(schema, { ...good, horizon: 61 }, e).get('horizon')).toBe('At most 60.');
    expect(collectErrors(schema, { ...good, levels: [0.5, 0.8, 0.9, 0.95] }, e).get('levels')).toBe(
      'At most 3 entries.',
    );
    expect(collectErrors(schema, { ...good, levels: [0.8, 1] }, e).get('levels.1')).toBe('At most 1.');
  });

  it('checks a new map key before it is added', () => {
    const rec = js(z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/), z.string()));
    expect(checkKey(rec, '', [''], e)).toBe(e.emptyKey);
    expect(checkKey(rec, 'finnhub', ['finnhub', 'finnhub'], e)).toBe(e.duplicateKey);
    expect(checkKey(rec, 'Fin Hub', ['Fin Hub'], e)).toBe(e.pattern);
    expect(checkKey(rec, 'tencent', ['finnhub', 'tencent'], e)).toBeNull();
  });

  it('a new entry starts from the schema: a budget gets both numbers', () => {
    const budget = js(z.object({ perMinute: z.number().int().min(0), perDay: z.number().int().min(0) }));
    expect(emptyValue(budget)).toEqual({ perMinute: 0, perDay: 0 });
    expect(emptyValue(js(z.string()))).toBe('');
  });
});
