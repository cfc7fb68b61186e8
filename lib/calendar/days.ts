import { usFederalHolidays } from "./us_federal.ts";

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/**
 * Days from a day to the last day of its calendar quarter (0 on that day), computed from the date alone.
 * @param day days since 1970-01-01
 * @returns days to the quarter's end
 */
export function daysToQuarterEnd(day: number): number {
  const d = new Date(day * DAY_MS);
  const nextQuarter = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + 3, 1);
  return Math.round(nextQuarter / DAY_MS) - day - 1;
}

/**
 * Index of a day's quarter, counted from 1970 Q1 = 0.
 * @param day days since 1970-01-01
 * @returns the quarter index
 */
export function quarterIndex(day: number): number {
  const d = new Date(day * DAY_MS);
  return (d.getUTCFullYear() - 1970) * 4 + Math.floor(d.getUTCMonth() / 3);
}

/** A range of days, both ends included, as days since 1970. */
export interface DayRange {
  /** First day. */
  first: number;
  /** Last day. */
  last: number;
}

/** The holidays of {@linkcode holidayDays}. */
export interface HolidayOptions {
  /** `us-federal` or `none`. */
  calendar: string;
  /** More dates `YYYY-MM-DD`. @default [] */
  extra?: readonly string[];
}

/**
 * The holiday days (days since 1970) of a calendar within a day range: US federal holidays as observed (years on
 * both sides are included, since New Year's Day can be observed on December 31) plus extra dates.
 * @param range the days
 * @param options the calendar and extra dates
 * @returns sorted day numbers
 */
export function holidayDays({ first, last }: DayRange, options: HolidayOptions): number[] {
  const { calendar, extra = [] } = options;
  const days = new Set(extra.map(dayNumber));
  if (calendar === "us-federal") {
    const y0 = new Date(first * DAY_MS).getUTCFullYear(), y1 = new Date(last * DAY_MS).getUTCFullYear();
    for (let y = y0; y <= y1 + 1; y++) for (const h of usFederalHolidays(y)) days.add(dayNumber(h.date));
  }
  return [...days].filter((d) => d >= first && d <= last).sort((a, b) => a - b);
}

/**
 * The days of a range that lie in the end-of-quarter window: the last `windowDays` days of each quarter.
 * @param range the days
 * @param windowDays days in the window
 * @returns sorted day numbers
 */
export function eoqDays({ first, last }: DayRange, windowDays: number): number[] {
  const out: number[] = [];
  for (let d = first; d <= last; d++) if (daysToQuarterEnd(d) < windowDays) out.push(d);
  return out;
}
