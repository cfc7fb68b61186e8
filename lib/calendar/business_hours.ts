import pl from "nodejs-polars";

/** Service-desk opening hour (UTC), inclusive. */
export const OPEN_HOUR = 8;
/** Service-desk closing hour (UTC), exclusive. */
export const CLOSE_HOUR = 18;
/** Business seconds in one working day (08:00-18:00). */
export const BUSINESS_DAY_SECONDS = (CLOSE_HOUR - OPEN_HOUR) * 3600;
/** Business seconds in one week (Monday to Friday). */
export const BUSINESS_WEEK_SECONDS = 5 * BUSINESS_DAY_SECONDS;
/** Hours of ticket work a full-time technician delivers in one business day. */
export const WORKDAY_HOURS = 8;

const DAY_MS = 86_400_000;
// 1970-01-05 was a Monday: epoch day 4 starts week 0.
const MONDAY_EPOCH_DAY = 4;
const OPEN_SECOND = OPEN_HOUR * 3600;

/**
 * Business seconds elapsed since the Monday 1970-01-05 08:00 UTC origin, counting only Monday to Friday,
 * 08:00-18:00 UTC. A time outside business hours maps to the next opening, so the difference of two values is the
 * business time between them (used for every SLA measured in business hours).
 *
 * Times are whole seconds in practice; the result is then an exact integer, equal to {@linkcode businessSecondsExpr}.
 *
 * @param ms a UTC time in epoch milliseconds
 * @returns business seconds since the origin
 * @example
 * ```ts
 * import { businessSeconds } from "@lib/calendar/business_hours.ts";
 * const fri = Date.UTC(2024, 0, 5, 17), mon = Date.UTC(2024, 0, 8, 9);
 * businessSeconds(mon) - businessSeconds(fri); // 7200: one hour on Friday, one on Monday
 * ```
 */
export function businessSeconds(ms: number): number {
  const days = Math.floor(ms / DAY_MS);
  const secOfDay = (ms - days * DAY_MS) / 1000;
  const rel = days - MONDAY_EPOCH_DAY;
  const week = Math.floor(rel / 7);
  const dow = rel - week * 7; // 0 = Monday
  if (dow >= 5) return (week + 1) * BUSINESS_WEEK_SECONDS;
  const inDay = Math.min(Math.max(secOfDay - OPEN_SECOND, 0), BUSINESS_DAY_SECONDS);
  return week * BUSINESS_WEEK_SECONDS + dow * BUSINESS_DAY_SECONDS + inDay;
}

/**
 * The inverse of {@linkcode businessSeconds}: the UTC time at a business-second count. A count at the end of a
 * business day maps to the next opening.
 *
 * @param seconds business seconds since the origin
 * @returns a UTC time in epoch milliseconds
 */
export function fromBusinessSeconds(seconds: number): number {
  const week = Math.floor(seconds / BUSINESS_WEEK_SECONDS);
  const inWeek = seconds - week * BUSINESS_WEEK_SECONDS;
  const dow = Math.floor(inWeek / BUSINESS_DAY_SECONDS);
  const inDay = inWeek - dow * BUSINESS_DAY_SECONDS;
  return (MONDAY_EPOCH_DAY + week * 7 + dow) * DAY_MS + (OPEN_SECOND + inDay) * 1000;
}

/**
 * Whether a UTC time falls inside business hours (Monday to Friday, 08:00-18:00).
 * @param ms a UTC time in epoch milliseconds
 * @returns true inside business hours
 */
export function isBusinessTime(ms: number): boolean {
  const days = Math.floor(ms / DAY_MS);
  const dow = ((days - MONDAY_EPOCH_DAY) % 7 + 7) % 7;
  const hour = Math.floor((ms - days * DAY_MS) / 3_600_000);
  return dow < 5 && hour >= OPEN_HOUR && hour < CLOSE_HOUR;
}

/**
 * Polars expression of {@linkcode businessSeconds} over a Datetime column (nulls stay null).
 * @param column a Datetime column name or expression
 * @returns a Float64 expression of business seconds since the origin
 */
export function businessSecondsExpr(column: string | pl.Expr): pl.Expr {
  // through Datetime(ms) first, so a column in µs or ns (e.g. read back from CSV) counts the same
  const ms = (typeof column === "string" ? pl.col(column) : column).cast(pl.Datetime("ms")).cast(pl.Int64).cast(
    pl.Float64,
  );
  const days = ms.div(DAY_MS).floor();
  const secOfDay = ms.sub(days.mul(DAY_MS)).div(1000);
  const rel = days.sub(MONDAY_EPOCH_DAY);
  const week = rel.div(7).floor();
  const dow = rel.sub(week.mul(7));
  const inDay = secOfDay.sub(OPEN_SECOND).clip(0, BUSINESS_DAY_SECONDS);
  return pl.when(dow.gtEq(5))
    .then(week.add(1).mul(BUSINESS_WEEK_SECONDS))
    .otherwise(week.mul(BUSINESS_WEEK_SECONDS).add(dow.mul(BUSINESS_DAY_SECONDS)).add(inDay));
}

/**
 * Polars expression of {@linkcode fromBusinessSeconds}: business seconds to a `Datetime(ms, UTC)` value.
 * @param seconds a numeric expression of business seconds
 * @returns a Datetime expression
 */
export function fromBusinessSecondsExpr(seconds: pl.Expr): pl.Expr {
  const s = seconds.cast(pl.Float64);
  const week = s.div(BUSINESS_WEEK_SECONDS).floor();
  const inWeek = s.sub(week.mul(BUSINESS_WEEK_SECONDS));
  const dow = inWeek.div(BUSINESS_DAY_SECONDS).floor();
  const inDay = inWeek.sub(dow.mul(BUSINESS_DAY_SECONDS));
  const ms = week.mul(7).add(dow).add(MONDAY_EPOCH_DAY).mul(DAY_MS).add(inDay.add(OPEN_SECOND).mul(1000));
  return ms.round(0).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
}

/**
 * Polars expression: whether a Datetime falls outside business hours (null stays null).
 * @param column a Datetime column name
 * @returns a Boolean expression
 */
export function outsideBusinessHoursExpr(column: string): pl.Expr {
  const c = pl.col(column);
  return c.dt.weekday().gtEq(6).or(c.dt.hour().lt(OPEN_HOUR)).or(c.dt.hour().gtEq(CLOSE_HOUR));
}

/**
 * Weekdays (Monday to Friday) in the UTC day range [fromDay, toDay) given as epoch days.
 * @param fromDay first epoch day, inclusive
 * @param toDay last epoch day, exclusive
 * @returns the count of weekdays
 */
export function weekdaysBetween(fromDay: number, toDay: number): number {
  let n = 0;
  for (let d = fromDay; d < toDay; d++) if (((d - MONDAY_EPOCH_DAY) % 7 + 7) % 7 < 5) n++;
  return n;
}
