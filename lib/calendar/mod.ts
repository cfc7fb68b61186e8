/**
 * Business calendars: holiday lists that generators and validators share.
 *
 * @example
 * ```ts
 * import { usFederalHolidays } from "@lib/calendar/mod.ts";
 * usFederalHolidays(2025).length; // 11
 * ```
 * @module
 */
export { type Holiday, usFederalHolidays } from "./us_federal.ts";
