import { describe, expect, it } from 'vitest';
import { dueSlot, latestSlot, nextSlot, slotInstant } from './slot';

describe('schedule slots on trading days in the market time zone', () => {
  it('15:30 Asia/Shanghai is 07:30Z (no DST)', () => {
    expect(slotInstant('CN', '2026-12-04', '15:30').toISOString()).toBe('2026-12-04T07:30:00.000Z');
  });

  it("today's slot once its time has passed, else the previous trading day's", () => {
    // Fri 2026-12-04: 15:29 CST is before the slot, 15:31 after
    expect(latestSlot('CN', '15:30', new Date('2026-12-04T07:29:00Z')).date).toBe('2026-12-03');
    expect(latestSlot('CN', '15:30', new Date('2026-12-04T07:31:00Z'))).toEqual({
      date: '2026-12-04',
      at: new Date('2026-12-04T07:30:00Z'),
    });
  });

  it('skips the weekend', () => {
    // Mon 2026-12-07 09:00 CST: Sat/Sun have no slot, so the newest is Fri 12-04
    expect(latestSlot('CN', '15:30', new Date('2026-12-07T01:00:00Z')).date).toBe('2026-12-04');
    expect(nextSlot('CN', '15:30', new Date('2026-12-04T08:00:00Z')).date).toBe('2026-12-07');
  });

  it('skips exchange holidays (SSE National Day 2025-10-01..08)', () => {
    // Thu 2025-10-09 10:00 CST: the last trading day before it was Tue 09-30
    expect(latestSlot('CN', '15:30', new Date('2025-10-09T02:00:00Z')).date).toBe('2025-09-30');
    expect(nextSlot('CN', '15:30', new Date('2025-09-30T08:00:00Z')).date).toBe('2025-10-09');
    // NYSE Good Friday 2026-04-03: Monday morning's newest slot is Thursday's
    expect(latestSlot('US', '16:30', new Date('2026-04-06T12:00:00Z')).date).toBe('2026-04-02');
  });

  it('keeps the wall-clock time across the US DST change (2026-03-08)', () => {
    // 16:30 EST (UTC-5) on Fri 03-06 = 21:30Z; 16:30 EDT (UTC-4) on Mon 03-09 = 20:30Z
    expect(slotInstant('US', '2026-03-06', '16:30').toISOString()).toBe('2026-03-06T21:30:00.000Z');
    expect(latestSlot('US', '16:30', new Date('2026-03-09T20:45:00Z'))).toEqual({
      date: '2026-03-09',
      at: new Date('2026-03-09T20:30:00Z'),
    });
    // 20:15Z is 16:15 EDT: Monday's slot is still ahead (it would have passed under EST arithmetic: 15:15)
    expect(latestSlot('US', '16:30', new Date('2026-03-09T20:15:00Z')).date).toBe('2026-03-06');
    expect(nextSlot('US', '16:30', new Date('2026-03-09T20:15:00Z')).at.toISOString()).toBe(
      '2026-03-09T20:30:00.000Z',
    );
  });

  it('a missed slot is due once: only the newest, never again once claimed', () => {
    const fri = new Date('2026-12-04T08:00:00Z');
    // down since Monday's run: Tue..Thu are not repeated, Friday's slot runs once
    expect(dueSlot('CN', '15:30', '2026-11-30', fri)?.date).toBe('2026-12-04');
    expect(dueSlot('CN', '15:30', '2026-12-04', fri)).toBeNull();
    // over the weekend nothing new is due
    expect(dueSlot('CN', '15:30', '2026-12-04', new Date('2026-12-06T12:00:00Z'))).toBeNull();
    expect(dueSlot('CN', '15:30', null, fri)?.date).toBe('2026-12-04');
  });

  it('rejects a malformed time', () => {
    expect(() => slotInstant('CN', '2026-12-04', '24:00')).toThrow(/HH:MM/);
  });
});
