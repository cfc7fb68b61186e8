import type { ReplayEvent, Sink, SinkStats } from "./types.ts";

/** Options of {@linkcode replay}. */
export interface ReplayOptions {
  /** Data time played per unit of wall time: 60 plays an hour of data in a minute. Ignored with `max`. @default 60 */
  speed?: number;
  /** Play as fast as the sinks take events, without pacing. @default false */
  max?: boolean;
  /** Data time the replay clock starts at (e.g. `--from`). @default the first event's time */
  startTs?: number;
  /** Stops the replay (SIGINT, SIGTERM, tests). @default none */
  signal?: AbortSignal;
  /** The wall clock in ms (tests pass a fake one). @default performance.now */
  now?: () => number;
  /** Waits `ms` or until `signal` aborts. @default a setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Events between two yields to the event loop, so servers keep answering at full speed. @default 1024 */
  yieldEvery?: number;
  /** Called with the count of events played, at most every `progressEvery` events. @default none */
  onProgress?: (events: number, lastTs: number) => void;
  /** Events between two progress calls. @default 10000 */
  progressEvery?: number;
  /** Called once the first event has been written to the sinks. @default none */
  onFirst?: () => void;
}

/** What a replay did. */
export interface ReplaySummary {
  /** Events written to the sinks. */
  events: number;
  /** Wall seconds from the first to the last event. */
  seconds: number;
  /** Data time of the first and last event, epoch ms (NaN without events). */
  firstTs: number;
  lastTs: number;
  /** True when stopped by the signal or because every sink was done before the end. */
  stopped: boolean;
  /** The largest delay behind schedule (ms) in paced mode: how well the sinks kept up. */
  maxLagMs: number;
  /** Counters of each sink, by name. */
  sinks: Record<string, SinkStats>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Plays events in order to every sink: paced so that data time advances `speed` times faster than wall time
 * (`--speed`), or as fast as the sinks accept them (`--max`). A sink's `write` that returns a promise holds the
 * replay until it settles (backpressure). Sinks are not closed here: the caller closes them (possibly after
 * serving a while longer).
 *
 * @param events the events in time order (e.g. from `mergeSources`)
 * @param sinks where they go
 * @param options speed or max, start time, abort signal, clock
 * @returns the summary
 * @throws {RangeError} when speed is not a positive number
 */
export async function replay(
  events: Iterable<ReplayEvent>,
  sinks: readonly Sink[],
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const {
    speed = 60,
    max = false,
    startTs,
    signal,
    now = () => performance.now(),
    sleep = defaultSleep,
    yieldEvery = 1024,
    onProgress,
    progressEvery = 10_000,
    onFirst,
  } = options;
  if (!max && !(speed > 0 && Number.isFinite(speed))) {
    throw new RangeError(`Cannot replay: speed must be a positive number, got ${speed}`);
  }
  let count = 0, firstTs = NaN, lastTs = NaN, maxLag = 0, stopped = false;
  let wall0 = NaN, data0 = NaN;
  const started = now();
  for (const e of events) {
    if (signal?.aborted || sinks.every((s) => s.done)) {
      stopped = true;
      break;
    }
    if (count === 0) {
      firstTs = e.ts;
      wall0 = now();
      data0 = startTs !== undefined && startTs <= e.ts ? startTs : e.ts;
    }
    if (!max) {
      const due = wall0 + (e.ts - data0) / speed;
      const wait = due - now();
      if (wait > 1) await sleep(wait, signal);
      else if (wait < 0) maxLag = Math.max(maxLag, -wait);
      if (signal?.aborted) {
        stopped = true;
        break;
      }
    }
    for (const sink of sinks) {
      if (sink.done) continue;
      const pending = sink.write(e);
      if (pending !== undefined) await pending;
    }
    count++;
    if (count === 1) onFirst?.();
    lastTs = e.ts;
    if (onProgress !== undefined && count % progressEvery === 0) onProgress(count, lastTs);
    if (count % yieldEvery === 0) await new Promise((r) => setTimeout(r, 0));
  }
  onProgress?.(count, lastTs);
  return {
    events: count,
    seconds: (now() - (Number.isNaN(wall0) ? started : wall0)) / 1000,
    firstTs,
    lastTs,
    stopped,
    maxLagMs: maxLag,
    sinks: Object.fromEntries(sinks.map((s) => [s.name, s.stats()])),
  };
}
