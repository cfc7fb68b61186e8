/**
 * Helpers of the background thread kinds: when in the day mail is sent, the dates and windows it names.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { DAY, HOUR } from "./_thread.ts";

/** Relative e-mail volume by UTC hour. */
const BG_HOURS = [
  0.05,
  0.05,
  0.05,
  0.05,
  0.05,
  0.1,
  0.3,
  0.8,
  1.5,
  1.8,
  1.6,
  1.3,
  1,
  1.3,
  1.5,
  1.4,
  1.1,
  0.8,
  0.4,
  0.2,
  0.15,
  0.1,
  0.08,
  0.05,
];

/**
 * A send time on the day, following office hours.
 * @param rng the stream
 * @param day midnight UTC
 * @returns epoch ms
 */
export function sendTime(rng: Rng, day: number): number {
  return day + rng.weightedIndex(BG_HOURS) * HOUR + rng.int(0, 3599) * 1000;
}

/** A maintenance window a few days ahead: date, start and end hour. */
export function window(rng: Rng, day: number): { when: string; from: string; to: string } {
  return {
    when: new Date(day + rng.int(2, 10) * DAY).toISOString().slice(0, 10),
    from: `${String(rng.int(18, 23)).padStart(2, "0")}:00`,
    to: `${String(rng.int(0, 5)).padStart(2, "0")}:${rng.pick(["00", "30"])}`,
  };
}

/** A change number. */
export function changeId(rng: Rng): string {
  return `CHG${rng.int(100000, 999999)}`;
}
