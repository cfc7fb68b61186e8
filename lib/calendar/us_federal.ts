const DAY_MS = 86_400_000;

function utc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day);
}

/** The n-th (1-based) weekday `dow` (0 = Sunday) of a month; n = -1 gives the last. */
function nthWeekday(year: number, month: number, dow: number, n: number): number {
  if (n > 0) {
    const first = utc(year, month, 1);
    const offset = (dow - new Date(first).getUTCDay() + 7) % 7;
    return first + (offset + 7 * (n - 1)) * DAY_MS;
  }
  const last = utc(year, month + 1, 1) - DAY_MS;
  const back = (new Date(last).getUTCDay() - dow + 7) % 7;
  return last - back * DAY_MS;
}

/** A fixed-date holiday moves to Friday when it falls on Saturday and to Monday on Sunday. */
function observed(ms: number): number {
  const dow = new Date(ms).getUTCDay();
  if (dow === 6) return ms - DAY_MS;
  if (dow === 0) return ms + DAY_MS;
  return ms;
}

/** One holiday: its observed date (`YYYY-MM-DD`) and name. */
export interface Holiday {
  date: string;
  name: string;
}

/**
 * US federal holidays (5 U.S.C. 6103) as observed: fixed-date ones moved off weekends, the moveable ones
 * (Martin Luther King Jr. Day, Presidents' Day, Memorial Day, Labor Day, Columbus Day, Thanksgiving) computed.
 * Juneteenth counts from 2021.
 *
 * @param year the year
 * @returns the holidays of that year, by date
 * @example
 * ```ts
 * import { usFederalHolidays } from "@lib/calendar/mod.ts";
 * usFederalHolidays(2024).find((h) => h.name === "Thanksgiving Day")?.date; // "2024-11-28"
 * ```
 */
export function usFederalHolidays(year: number): Holiday[] {
  const list: [number, string][] = [
    [observed(utc(year, 1, 1)), "New Year's Day"],
    [nthWeekday(year, 1, 1, 3), "Martin Luther King Jr. Day"],
    [nthWeekday(year, 2, 1, 3), "Washington's Birthday"],
    [nthWeekday(year, 5, 1, -1), "Memorial Day"],
    [observed(utc(year, 7, 4)), "Independence Day"],
    [nthWeekday(year, 9, 1, 1), "Labor Day"],
    [nthWeekday(year, 10, 1, 2), "Columbus Day"],
    [observed(utc(year, 11, 11)), "Veterans Day"],
    [nthWeekday(year, 11, 4, 4), "Thanksgiving Day"],
    [observed(utc(year, 12, 25)), "Christmas Day"],
  ];
  if (year >= 2021) list.push([observed(utc(year, 6, 19)), "Juneteenth National Independence Day"]);
  return list
    .sort((a, b) => a[0] - b[0])
    .map(([ms, name]) => ({ date: new Date(ms).toISOString().slice(0, 10), name }));
}
