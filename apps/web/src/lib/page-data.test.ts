import { WATCHLIST_COOKIE as API_COOKIE, PAGE_DATA_KEY as API_KEY } from '@investiq/api/http';
import { describe, expect, it } from 'vitest';
import { PAGE_DATA_KEY, WATCHLIST_COOKIE } from './page-data';

describe('the page-data bridge names', () => {
  it('are the ones @investiq/api/http publishes under and reads', () => {
    expect(PAGE_DATA_KEY).toBe(API_KEY);
    expect(WATCHLIST_COOKIE).toBe(API_COOKIE);
  });
});
