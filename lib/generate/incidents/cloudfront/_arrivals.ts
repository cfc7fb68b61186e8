/**
 * When requests arrive: a self-exciting (Hawkes) process in its cluster form. Visits start at the daily cycle's
 * rate; each request leads to a Poisson number of follow-up requests (mean `branching` < 1) after exponential gaps,
 * and those to theirs, so requests come in bursts: a page view with its assets and the clicks after it, a retry
 * storm, an attack tool's volley. A request's visit keeps its client. Counts per minute are over-dispersed: their
 * Fano factor (variance / mean) tends to 1 / (1 - branching)^2 for windows much longer than the gaps, where a
 * Poisson process has 1 (issue 15 measured 2.7-47 in real logs).
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import type { AliasTable } from "../alias.ts";

const HOUR = 3_600_000;

/** How bursty arrivals are. */
export interface BurstOptions {
  /** Mean follow-ups of a request (the branching ratio), in [0, 1). */
  branching: number;
  /** Mean gap from a request to a follow-up, ms. */
  gapMs: number;
}

/** Background traffic: a visit averages 1 / (1 - 0.6) = 2.5 requests, follow-ups 20 s apart on average. */
export const BACKGROUND_BURSTS: BurstOptions = { branching: 0.6, gapMs: 20_000 };
/** Incident traffic (herds, retries, attack volleys): tighter bursts, 5 s apart. */
export const INCIDENT_BURSTS: BurstOptions = { branching: 0.6, gapMs: 5_000 };

/** Requests in time order with the visit (root request) each belongs to. */
export interface Arrivals {
  /** Times, epoch ms (integers), ascending. */
  times: Float64Array;
  /** Per request, the index of its visit's first request in `roots` order. */
  roots: Int32Array;
}

/**
 * Adds follow-ups to root requests and sorts the lot by time (ties by order of creation).
 * @param rng the stream
 * @param roots the visits' first requests, epoch ms
 * @param options branching ratio, mean gap, and the end (exclusive) past which follow-ups are dropped
 * @returns every request with its visit
 */
export function selfExciting(rng: Rng, roots: Float64Array, options: BurstOptions & { end: number }): Arrivals {
  const { branching, gapMs, end } = options;
  let times = new Float64Array(Math.max(16, Math.ceil(roots.length / (1 - branching) * 1.2)));
  let visit = new Int32Array(times.length);
  times.set(roots);
  for (let i = 0; i < roots.length; i++) visit[i] = i;
  let n = roots.length;
  // breadth first: every request is visited once, children appended behind
  for (let i = 0; i < n; i++) {
    const kids = rng.poisson(branching);
    for (let k = 0; k < kids; k++) {
      const t = Math.floor(times[i] + rng.exponential(1 / gapMs));
      if (t >= end) continue;
      if (n === times.length) {
        const grown = new Float64Array(n * 2);
        grown.set(times);
        times = grown;
        const v = new Int32Array(n * 2);
        v.set(visit);
        visit = v;
      }
      times[n] = t;
      visit[n] = visit[i];
      n++;
    }
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => times[a] - times[b] || a - b);
  const out: Arrivals = { times: new Float64Array(n), roots: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    out.times[i] = times[order[i]];
    out.roots[i] = visit[order[i]];
  }
  return out;
}

/** An hour's background requests: times (ascending, epoch ms) and the client of each. */
export interface HourArrivals {
  times: Float64Array;
  clients: Int32Array;
}

/**
 * The background requests of one hour: visits start at uniform times, a Poisson number of them so that visits and
 * their follow-ups average `expected` requests; each visit has one client from the pool.
 * @param rng the hour's stream
 * @param hour the hour's start, epoch ms
 * @param options requests expected in the hour, the client table, burst shape
 * @returns the requests
 */
export function hourArrivals(
  rng: Rng,
  hour: number,
  options: { expected: number; clients: AliasTable; bursts?: BurstOptions },
): HourArrivals {
  const { expected, clients, bursts = BACKGROUND_BURSTS } = options;
  const visits = rng.poisson(expected * (1 - bursts.branching));
  const roots = new Float64Array(visits);
  for (let i = 0; i < visits; i++) roots[i] = hour + Math.floor(rng.next() * HOUR);
  const visitClient = new Int32Array(visits);
  for (let i = 0; i < visits; i++) visitClient[i] = clients.draw(rng);
  const { times, roots: visit } = selfExciting(rng, roots, { ...bursts, end: hour + HOUR });
  const client = new Int32Array(times.length);
  for (let i = 0; i < times.length; i++) client[i] = visitClient[visit[i]];
  return { times, clients: client };
}
