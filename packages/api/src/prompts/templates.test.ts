import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Fact } from './fact';
import { renderPrompt } from './render';
import {
  createTemplateVersion,
  ensureDefaultTemplates,
  getActiveTemplate,
  listTemplateVersions,
  rollbackTemplate,
} from './templates';

let db: DatabaseHandle & { close(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('prompt templates', () => {
  it('seeds zh and en defaults once, version 1 active', async () => {
    await ensureDefaultTemplates(db);
    await ensureDefaultTemplates(db);
    const all = await listTemplateVersions(db);
    expect(all.map((t) => [t.language, t.version, t.active])).toEqual([
      ['en', 1, true],
      ['zh', 1, true],
    ]);
    expect((await getActiveTemplate(db, 'zh')).body).toContain('{{facts}}');
  });

  it('adds versions (the new one active), rolls back, keeps history', async () => {
    const v2 = await createTemplateVersion(db, {
      language: 'en',
      body: 'Summarise {{name}}:\n{{facts}}',
      note: 'shorter',
      createdBy: 'user:alice',
    });
    expect(v2).toMatchObject({ version: 2, active: true, createdBy: 'user:alice' });
    expect((await getActiveTemplate(db, 'en')).id).toBe(v2.id);
    const back = await rollbackTemplate(db, { language: 'en', version: 1 });
    expect(back).toMatchObject({ version: 1, active: true });
    const en = await listTemplateVersions(db, { language: 'en' });
    expect(en.map((t) => [t.version, t.active])).toEqual([
      [2, false],
      [1, true],
    ]);
    // zh untouched
    expect((await getActiveTemplate(db, 'zh')).version).toBe(1);
  });

  it('refuses bad templates with a message naming the problem', async () => {
    const bad = (body: string, language = 'en') =>
      createTemplateVersion(db, { language, body, createdBy: null });
    await expect(bad('no numbers here')).rejects.toThrow(
      new AppError(
        'BAD_REQUEST',
        'template body must contain the {{facts}} placeholder (the computed numbers)',
      ),
    );
    await expect(bad('{{facts}} {{price}}')).rejects.toThrow(/unknown placeholder\(s\): \{\{price\}\}/);
    await expect(bad('   ')).rejects.toThrow(/must not be empty/);
    await expect(bad('{{facts}}', 'fr')).rejects.toThrow(/language must be 'zh' or 'en'/);
    await expect(rollbackTemplate(db, { language: 'en', version: 99 })).rejects.toThrow(/has no version 99/);
  });
});

describe('renderPrompt', () => {
  it('fills placeholders with the facts as shown and the section states', () => {
    const facts: Fact[] = [
      { key: 'roe', label: 'ROE', value: 0.2534, unit: 'pct', scale: 100, decimals: 1 },
      { key: 'pe', label: 'P/E', value: 31.456, unit: 'plain', scale: 1, decimals: 2 },
    ];
    const out = renderPrompt(
      '{{name}} ({{symbol}}, {{market}}) {{asOf}}\n{{facts}}\n{{sections}}\n{{unknown}}',
      {
        name: 'Moutai',
        symbol: '600519.SH',
        market: 'CN',
        currency: 'CNY',
        asOf: '2026-11-20',
        facts,
        sections: [{ module: 'sentiment', status: 'unavailable', reason: 'down' }],
      },
    );
    expect(out).toBe(
      'Moutai (600519.SH, CN) 2026-11-20\n- ROE: 25.3%\n- P/E: 31.46\n- sentiment: unavailable (down)\n{{unknown}}',
    );
  });
});
