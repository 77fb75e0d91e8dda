import { describe, expect, it } from 'vitest';
import { renderHtml } from '../notifications/channels/email-html';
import { renderText, ZNotificationPayload } from '../notifications/channels/types';
import { summaryPayload } from './summary';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const run = {
  slot_date: '2026-12-04',
  total: 3,
  market: 'CN' as const,
  watchlist_name: 'A <shares>',
  error: null,
  finished_at: '2026-12-04T07:41:00Z',
  items: [
    { market: 'CN' as const, symbol: '600519.SH', reportId: id(1), status: 'complete' as const },
    {
      market: 'CN' as const,
      symbol: '000001.SZ',
      reportId: id(2),
      status: 'failed' as const,
      error: 'provider timeout',
    },
    {
      market: 'CN' as const,
      symbol: '000858.SZ',
      reportId: null,
      status: 'failed' as const,
      error: 'no bars',
    },
  ],
};

describe('scheduled report summary', () => {
  it('names every failure and links every report', () => {
    const p = summaryPayload(run, 'https://invest.example.lan/');
    expect(ZNotificationPayload.parse(p)).toEqual(p);
    expect(p.title).toBe('Scheduled reports: A <shares> (CN) 2026-12-04');
    expect(p.text).toBe(
      [
        '1 of 3 reports complete, 2 failed.',
        '000001.SZ: failed — provider timeout',
        '000858.SZ: failed — no bars',
      ].join('\n'),
    );
    expect(p.links).toEqual([
      { label: '600519.SH (complete)', url: `https://invest.example.lan/reports/${id(1)}` },
      { label: '000001.SZ (failed)', url: `https://invest.example.lan/reports/${id(2)}` },
    ]);
    expect(p.link).toBe('https://invest.example.lan/alerts');
  });

  it('messengers get the links as short lines, capped; e-mail HTML escapes and links all', () => {
    const many = {
      ...run,
      total: 50,
      items: Array.from({ length: 50 }, (_, i) => ({
        market: 'CN' as const,
        symbol: `6000${String(i).padStart(2, '0')}.SH`,
        reportId: id(i + 1),
        status: 'complete' as const,
      })),
    };
    const msg = {
      ...summaryPayload(many, 'https://invest.example.lan'),
      event: 'report.scheduled',
      time: '2026-12-04T07:41:00.000Z',
      idempotencyKey: 'schedule-run:x',
    };
    const { body } = renderText(msg);
    expect(body.length).toBeLessThan(2000);
    expect(body).toContain(`600000.SH (complete): https://invest.example.lan/reports/${id(1)}`);
    expect(body).toMatch(/\(\+\d+ more\)/);
    const html = renderHtml({ ...msg, title: 'A <b>' });
    expect(html).toContain('<h2>A &lt;b&gt;</h2>');
    expect(html.match(/<a href="https:\/\/invest\.example\.lan\/reports\//g)).toHaveLength(50);
  });
});
