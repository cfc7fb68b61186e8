import { usFederalHolidays } from "@lib/calendar/mod.ts";
import { type CapacityConfig, capacityEndDate } from "./config.ts";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The shared time axis of a capacity dataset: one entry per timestamp, the same for every server. */
export interface Timeline {
  /** Epoch milliseconds, UTC. */
  ms: Float64Array;
  /** Hour of day 0-23 (0 in daily mode). */
  hour: Uint8Array;
  /** 1 on Saturdays and Sundays. */
  weekend: Uint8Array;
  /** 1 inside the end-of-quarter window. */
  eoq: Uint8Array;
  /** End-of-quarter factor, 1 outside the window, rising to `1 + uplift` on the quarter's last day. */
  eoqFactor: Float64Array;
  /** Index into {@linkcode Timeline.holidayDates} of the day's holiday, or -1. */
  holiday: Int16Array;
  /** The holiday dates in the period, `YYYY-MM-DD`, sorted. */
  holidayDates: string[];
  /** Years since the start, for the growth trend. */
  years: Float64Array;
  /** Calendar columns of the output, one entry per timestamp. */
  year: Int32Array;
  month: Int8Array;
  quarter: Int8Array;
  /** Monday = 0 ... Sunday = 6, as pandas counts. */
  dayofweek: Int8Array;
  /** 1 on a holiday. */
  isHoliday: Uint8Array;
}

function quarterLastDay(ms: number): number {
  const d = new Date(ms);
  const qEndMonth = Math.floor(d.getUTCMonth() / 3) * 3 + 3; // first month after the quarter (0-based)
  return Date.UTC(d.getUTCFullYear(), qEndMonth, 1) - DAY_MS;
}

/**
 * Builds the time axis of a capacity config.
 * @param config the resolved config
 * @returns the timeline
 */
export function buildTimeline(config: CapacityConfig): Timeline {
  const start = Date.parse(`${config.start_date}T00:00:00Z`);
  const end = Date.parse(`${capacityEndDate(config)}T00:00:00Z`);
  const days = Math.round((end - start) / DAY_MS) + 1;
  const perDay = config.granularity === "hourly" ? 24 : 1;
  const n = days * perDay;
  const holidaySet = new Set(config.holidays.extra_dates);
  if (config.holidays.calendar === "us-federal") {
    const y0 = new Date(start).getUTCFullYear();
    const y1 = new Date(end).getUTCFullYear();
    // One year past the end: New Year's Day falling on a Saturday is observed on the Friday before it.
    for (let y = y0; y <= y1 + 1; y++) for (const h of usFederalHolidays(y)) holidaySet.add(h.date);
  }
  const holidayDates = [...holidaySet].filter((d) => {
    const ms = Date.parse(`${d}T00:00:00Z`);
    return ms >= start && ms <= end;
  }).sort();
  const holidayIndex = new Map(holidayDates.map((d, i) => [d, i]));
  const t: Timeline = {
    ms: new Float64Array(n),
    hour: new Uint8Array(n),
    weekend: new Uint8Array(n),
    eoq: new Uint8Array(n),
    eoqFactor: new Float64Array(n),
    holiday: new Int16Array(n),
    holidayDates,
    years: new Float64Array(n),
    year: new Int32Array(n),
    month: new Int8Array(n),
    quarter: new Int8Array(n),
    dayofweek: new Int8Array(n),
    isHoliday: new Uint8Array(n),
  };
  const { days: eoqDays, uplift } = config.eoq;
  for (let d = 0; d < days; d++) {
    const dayMs = start + d * DAY_MS;
    const date = new Date(dayMs);
    const dow = date.getUTCDay();
    const toQuarterEnd = Math.round((quarterLastDay(dayMs) - dayMs) / DAY_MS); // 0 on the last day
    const inEoq = toQuarterEnd < eoqDays;
    const eoqFactor = inEoq ? 1 + uplift * (eoqDays - toQuarterEnd) / eoqDays : 1;
    const hol = holidayIndex.get(date.toISOString().slice(0, 10)) ?? -1;
    for (let h = 0; h < perDay; h++) {
      const i = d * perDay + h;
      t.ms[i] = dayMs + h * HOUR_MS;
      t.hour[i] = h;
      t.weekend[i] = dow === 0 || dow === 6 ? 1 : 0;
      t.eoq[i] = inEoq ? 1 : 0;
      t.eoqFactor[i] = eoqFactor;
      t.holiday[i] = hol;
      t.years[i] = (t.ms[i] - start) / (365.25 * DAY_MS);
      t.year[i] = date.getUTCFullYear();
      t.month[i] = date.getUTCMonth() + 1;
      t.quarter[i] = Math.floor(date.getUTCMonth() / 3) + 1;
      t.dayofweek[i] = (dow + 6) % 7;
      t.isHoliday[i] = hol >= 0 ? 1 : 0;
    }
  }
  return t;
}

/**
 * The hour-of-day profile: 1 outside business hours, rising smoothly to `peak` in the middle of them.
 * @param peak the business-hours multiplier
 * @param hours `startHour`: first business hour; `endHour`: hour business ends
 * @returns 24 multipliers
 */
export function hourProfile(
  peak: number,
  { startHour, endHour }: { startHour: number; endHour: number },
): Float64Array {
  const out = new Float64Array(24).fill(1);
  const span = endHour - startHour;
  for (let h = startHour; h < endHour; h++) {
    const shape = 0.5 - 0.5 * Math.cos((2 * Math.PI * (h - startHour + 0.5)) / span);
    out[h] = 1 + (peak - 1) * shape;
  }
  return out;
}

/**
 * The 95th percentile of a day's hour-of-day profile: the level a daily P95 sees (linear interpolation, as
 * numpy's default).
 * @param profile 24 multipliers
 * @returns the daily P95 factor
 */
export function dailyP95(profile: Float64Array): number {
  const sorted = Float64Array.from(profile).sort();
  const pos = 0.95 * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
}
