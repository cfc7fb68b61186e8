/**
 * When requests arrive within an hour.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";

const HOUR = 3_600_000;

/** An hour's background arrivals: times (sorted, epoch ms) and, per request, the client index it comes from. */
export interface Arrivals {
  times: Float64Array;
  /** Client index per request, or -1 for a client drawn per request. */
  clients: Int32Array;
}

/**
 * The background arrivals of one hour: a Poisson number of requests at uniform times.
 * @param rng the hour's stream
 * @param hour the hour's start, epoch ms
 * @param expected requests expected in the hour
 * @returns the arrivals
 */
export function hourArrivals(rng: Rng, hour: number, expected: number): Arrivals {
  const n = rng.poisson(expected);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = hour + Math.floor(rng.next() * HOUR);
  times.sort();
  return { times, clients: new Int32Array(n).fill(-1) };
}
