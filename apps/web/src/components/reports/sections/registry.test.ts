import { REPORT_MODULES } from '@investiq/api/reports';
import { describe, expect, it } from 'vitest';
import { reportsDict } from '~/lib/i18n/reports';
import { SECTIONS } from './registry';

// Walks the module list: a report module without its section component (or its names in both languages)
// fails here. The backend half (descriptor, facts, Markdown) is checked by packages/api modules.test.ts.
describe('report section registry', () => {
  it('has exactly one entry per report module', () => {
    expect(Object.keys(SECTIONS).sort()).toEqual([...REPORT_MODULES].sort());
  });

  it.each([...REPORT_MODULES])('%s has a section component and its titles in en and zh-CN', (m) => {
    const entry = SECTIONS[m];
    expect(typeof entry.Body).toBe('function');
    for (const d of Object.values(reportsDict)) {
      expect(entry.title(d).trim()).not.toBe('');
      expect(d.module[m]?.trim()).toBeTruthy();
    }
  });
});
