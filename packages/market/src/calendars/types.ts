/** One year of an exchange's non-trading weekdays and shortened sessions, as published by the exchange. */
export interface HolidayYear {
  year: number;
  /** Where the dates come from (exchange notice / circular / published calendar). */
  source: string;
  /** true when the exchange has not published this year yet and the dates follow the usual rules. */
  provisional?: boolean;
  /** `YYYY-MM-DD` → holiday name: weekdays on which the exchange is closed all day. */
  holidays: Readonly<Record<string, string>>;
  /** `YYYY-MM-DD` → name: half days, trading only in the market's `halfDaySessions`. */
  halfDays?: Readonly<Record<string, string>>;
}

export interface ExchangeHolidayTable {
  exchanges: string;
  years: readonly HolidayYear[];
}
