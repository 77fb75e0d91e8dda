import { listSettingDefs } from '@investiq/api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JsonSchema } from '~/components/admin/schema-validate';
import { fieldText, settingsDict } from './settings';

/** Every path the settings form shows a label for: fixed object properties, recursively. */
function labelledPaths(s: JsonSchema, path: string[] = []): string[][] {
  if (s.type !== 'object' || !s.properties) return [];
  return Object.entries(s.properties).flatMap(([k, sub]) => [
    [...path, k],
    ...labelledPaths(sub, [...path, k]),
  ]);
}

function enumOf(s: JsonSchema, path: string[]): JsonSchema | undefined {
  let cur: JsonSchema | undefined = s;
  for (const k of path) cur = cur?.properties?.[k];
  return cur;
}

describe('admin settings have labels and help in both languages', () => {
  const defs = listSettingDefs();

  it('covers the registry (and nothing that is not registered)', () => {
    expect(defs.length).toBeGreaterThan(10);
    for (const lang of ['en', 'zh-CN'] as const) {
      expect(Object.keys(settingsDict[lang].settings).sort()).toEqual(defs.map((d) => d.key).sort());
    }
  });

  for (const def of listSettingDefs()) {
    it(def.key, () => {
      const schema = z.toJSONSchema(def.schema, { unrepresentable: 'any' }) as JsonSchema;
      for (const lang of ['en', 'zh-CN'] as const) {
        const d = settingsDict[lang];
        const text = d.settings[def.key];
        expect(text?.label, `${lang} label`).toBeTruthy();
        expect(text?.help, `${lang} help`).toBeTruthy();
        for (const path of labelledPaths(schema)) {
          const f = fieldText(d, def.key, path);
          expect(f?.label, `${lang} ${def.key} ${path.join('.')}`).toBeTruthy();
          // a select shows a label for every option
          const values = enumOf(schema, path)?.enum;
          if (values)
            for (const v of values) expect(f?.options?.[v as string], `${lang} option ${v}`).toBeTruthy();
        }
        for (const own of Object.keys(text?.fields ?? {})) {
          expect(
            labelledPaths(schema).some((p) => p.join('.') === own),
            `${lang} ${def.key}: label for a field that does not exist: ${own}`,
          ).toBe(true);
        }
      }
    });
  }

  it('the two languages label the same fields', () => {
    const en = settingsDict.en;
    const zh = settingsDict['zh-CN'];
    for (const key of Object.keys(en.settings)) {
      expect(Object.keys(zh.settings[key]?.fields ?? {}).sort(), key).toEqual(
        Object.keys(en.settings[key]?.fields ?? {}).sort(),
      );
    }
    expect(Object.keys(zh.common).sort()).toEqual(Object.keys(en.common).sort());
  });
});
