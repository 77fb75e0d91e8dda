import type { ExchangeHolidayTable } from './types';

/**
 * HKEX securities market non-trading weekdays and half days (morning session only, close 12:00, on the
 * eves of Lunar New Year, Christmas and New Year when they fall on a weekday).
 * Sources: HKEX "Trading Calendar and Holiday Schedule" (www.hkex.com.hk → Services → Trading → Trading
 * Calendar), which follows the HKSAR general holidays gazetted under the General Holidays Ordinance
 * (Cap. 149). Typhoon / black-rainstorm suspensions are decided on the day and are not in this table.
 */
export const HK_HOLIDAYS: ExchangeHolidayTable = {
  exchanges: 'HKEX',
  years: [
    {
      year: 2024,
      source: 'HKEX trading calendar 2024; HKSAR general holidays 2024 (G.N. 2023)',
      holidays: {
        '2024-01-01': 'The first day of January',
        '2024-02-12': 'The third day of Lunar New Year',
        '2024-02-13': 'The fourth day of Lunar New Year',
        '2024-03-29': 'Good Friday',
        '2024-04-01': 'Easter Monday',
        '2024-04-04': 'Ching Ming Festival',
        '2024-05-01': 'Labour Day',
        '2024-05-15': "The Buddha's Birthday",
        '2024-06-10': 'Tuen Ng Festival',
        '2024-07-01': 'HKSAR Establishment Day',
        '2024-09-18': 'The day following Mid-Autumn Festival',
        '2024-10-01': 'National Day',
        '2024-10-11': 'Chung Yeung Festival',
        '2024-12-25': 'Christmas Day',
        '2024-12-26': 'The first weekday after Christmas Day',
      },
      halfDays: {
        '2024-02-09': 'Lunar New Year’s Eve',
        '2024-12-24': 'Christmas Eve',
        '2024-12-31': 'New Year’s Eve',
      },
    },
    {
      year: 2025,
      source: 'HKEX trading calendar 2025; HKSAR general holidays 2025 (G.N. 2024)',
      holidays: {
        '2025-01-01': 'The first day of January',
        '2025-01-29': 'Lunar New Year’s Day',
        '2025-01-30': 'The second day of Lunar New Year',
        '2025-01-31': 'The third day of Lunar New Year',
        '2025-04-04': 'Ching Ming Festival',
        '2025-04-18': 'Good Friday',
        '2025-04-21': 'Easter Monday',
        '2025-05-01': 'Labour Day',
        '2025-05-05': "The Buddha's Birthday",
        '2025-07-01': 'HKSAR Establishment Day',
        '2025-10-01': 'National Day',
        '2025-10-07': 'The day following Chinese Mid-Autumn Festival',
        '2025-10-29': 'Chung Yeung Festival',
        '2025-12-25': 'Christmas Day',
        '2025-12-26': 'The first weekday after Christmas Day',
      },
      halfDays: {
        '2025-01-28': 'Lunar New Year’s Eve',
        '2025-12-24': 'Christmas Eve',
        '2025-12-31': 'New Year’s Eve',
      },
    },
    {
      year: 2026,
      source: 'HKEX trading calendar 2026; HKSAR general holidays 2026 (G.N. 2025)',
      holidays: {
        '2026-01-01': 'The first day of January',
        '2026-02-17': 'Lunar New Year’s Day',
        '2026-02-18': 'The second day of Lunar New Year',
        '2026-02-19': 'The third day of Lunar New Year',
        '2026-04-03': 'Good Friday',
        '2026-04-06': 'Easter Monday',
        '2026-04-07': 'The day following Ching Ming Festival',
        '2026-05-01': 'Labour Day',
        '2026-05-25': "The day following the Buddha's Birthday",
        '2026-06-19': 'Tuen Ng Festival',
        '2026-07-01': 'HKSAR Establishment Day',
        '2026-10-01': 'National Day',
        '2026-10-19': 'The day following Chung Yeung Festival',
        '2026-12-25': 'Christmas Day',
      },
      halfDays: {
        '2026-02-16': 'Lunar New Year’s Eve',
        '2026-12-24': 'Christmas Eve',
        '2026-12-31': 'New Year’s Eve',
      },
    },
    {
      year: 2027,
      source:
        'provisional: HKSAR general-holiday rules (Cap. 149) applied to 2027 dates; check against the HKEX 2027 trading calendar (docs/calendars.md)',
      provisional: true,
      holidays: {
        '2027-01-01': 'The first day of January',
        '2027-02-08': 'The third day of Lunar New Year',
        '2027-02-09': 'The fourth day of Lunar New Year',
        '2027-03-26': 'Good Friday',
        '2027-03-29': 'Easter Monday',
        '2027-04-05': 'Ching Ming Festival',
        '2027-05-13': "The Buddha's Birthday",
        '2027-06-09': 'Tuen Ng Festival',
        '2027-07-01': 'HKSAR Establishment Day',
        '2027-09-16': 'The day following Chinese Mid-Autumn Festival',
        '2027-10-01': 'National Day',
        '2027-10-08': 'Chung Yeung Festival',
        '2027-12-27': 'The first weekday after Christmas Day',
      },
      halfDays: {
        '2027-02-05': 'Lunar New Year’s Eve',
        '2027-12-24': 'Christmas Eve',
        '2027-12-31': 'New Year’s Eve',
      },
    },
  ],
};
