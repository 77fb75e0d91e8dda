import { describe, expect, it } from 'vitest';
import { enterWhenSettled, type PickerResult, pickerKey } from './symbol-picker';

const exact: PickerResult[] = [
  { market: 'CN', symbol: '600519.SH', match: 'code' },
  { market: 'CN', symbol: '600520.SH', match: 'code_prefix' },
];
const loose: PickerResult[] = [
  { market: 'CN', symbol: '600519.SH', match: 'prefix' },
  { market: 'HK', symbol: '0700.HK', match: 'contains' },
];

describe('pickerKey', () => {
  it('Enter on an exact code picks it without touching the arrows', () => {
    expect(pickerKey('Enter', -1, exact, true)).toEqual({ type: 'pick', index: 0 });
  });

  it('Enter without an exact code and without a highlight picks nothing', () => {
    expect(pickerKey('Enter', -1, loose, true)).toEqual({ type: 'none' });
    expect(pickerKey('Enter', -1, [], true)).toEqual({ type: 'none' });
  });

  it('Enter picks the highlighted option', () => {
    expect(pickerKey('Enter', 1, loose, true)).toEqual({ type: 'pick', index: 1 });
  });

  it('Enter before the results for the typed text arrived waits for them', () => {
    expect(pickerKey('Enter', -1, exact, false)).toEqual({ type: 'wait' });
    expect(enterWhenSettled(exact)).toBe(0);
    expect(enterWhenSettled(loose)).toBeNull();
    expect(enterWhenSettled(undefined)).toBeNull();
  });

  it('arrows move within the list and Escape closes', () => {
    expect(pickerKey('ArrowDown', -1, loose, true)).toEqual({ type: 'move', active: 0 });
    expect(pickerKey('ArrowDown', 1, loose, true)).toEqual({ type: 'move', active: 1 });
    expect(pickerKey('ArrowUp', 1, loose, true)).toEqual({ type: 'move', active: 0 });
    expect(pickerKey('ArrowUp', 0, loose, true)).toEqual({ type: 'move', active: 0 });
    expect(pickerKey('ArrowDown', -1, [], true)).toEqual({ type: 'none' });
    expect(pickerKey('Escape', 1, loose, true)).toEqual({ type: 'close' });
  });
});
