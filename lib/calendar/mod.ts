/**
 * Business calendars: holiday lists and the service-desk business hours that generators, validators and replay
 * share.
 *
 * @example
 * ```ts
 * import { usFederalHolidays } from "@lib/calendar/mod.ts";
 * usFederalHolidays(2025).length; // 11
 * ```
 * @module
 */
export { type Holiday, usFederalHolidays } from "./us_federal.ts";
export {
  BUSINESS_DAY_SECONDS,
  BUSINESS_WEEK_SECONDS,
  businessSeconds,
  businessSecondsExpr,
  CLOSE_HOUR,
  fromBusinessSeconds,
  fromBusinessSecondsExpr,
  isBusinessTime,
  OPEN_HOUR,
  outsideBusinessHoursExpr,
  weekdaysBetween,
  WORKDAY_HOURS,
} from "./business_hours.ts";
