import type { EventSource } from "./source.ts";
import { type Channel, ReplayEvent } from "./types.ts";

interface Cursor {
  order: number;
  source: EventSource;
  chunk: ReplayEvent[];
  pos: number;
}

function before(a: Cursor, b: Cursor): boolean {
  const ta = a.chunk[a.pos].ts, tb = b.chunk[b.pos].ts;
  return ta < tb || (ta === tb && a.order < b.order);
}

/**
 * Merges event sources, each in time order, into one stream in time order. Ties go to the source listed first,
 * then to the order within a source, so the merged order is deterministic (a ticket's `created` event comes
 * before its `assigned` event at the same second).
 *
 * @param sources the sources
 * @returns the events, lazily, a chunk of each source in memory at a time
 * @example
 * ```ts ignore
 * for (const e of mergeSources(dataset.sources)) console.log(e.ts, e.event);
 * ```
 */
export function* mergeSources(sources: readonly EventSource[]): Generator<ReplayEvent> {
  const heap: Cursor[] = [];
  const push = (c: Cursor) => {
    heap.push(c);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const siftDown = () => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  sources.forEach((source, order) => {
    const chunk = source.next();
    if (chunk !== null && chunk.length > 0) push({ order, source, chunk, pos: 0 });
  });
  while (heap.length > 0) {
    const top = heap[0];
    yield top.chunk[top.pos++];
    if (top.pos >= top.chunk.length) {
      const chunk = top.source.next();
      if (chunk !== null && chunk.length > 0) {
        top.chunk = chunk;
        top.pos = 0;
      } else {
        const last = heap.pop()!;
        if (heap.length === 0) break;
        heap[0] = last;
      }
    }
    siftDown();
  }
}

/** Options of {@linkcode deriveHealth}. */
export interface DeriveHealthOptions {
  /** A utilisation (percent) at or above which a server is in warning. @default 80 */
  warning?: number;
  /** A utilisation (percent) at or above which a server is critical. @default 90 */
  critical?: number;
}

const HEALTH_FIELDS = ["cpu_p95", "mem_p95", "disk_p95"] as const;
const LEVEL = ["ok", "warning", "critical"] as const;

/**
 * Passes events through and adds `system_health` events: each `metrics` event carrying `cpu_p95`, `mem_p95` or
 * `disk_p95` sets its entity's health (critical at 90 % or more on any, warning at 80 %, else ok); a
 * `health.changed` event follows the metrics event whenever an entity's health changes, and on its first reading.
 *
 * @param events the events in time order
 * @param options the thresholds
 * @returns the events with health events interleaved
 */
export function* deriveHealth(
  events: Iterable<ReplayEvent>,
  options: DeriveHealthOptions = {},
): Generator<ReplayEvent> {
  const { warning = 80, critical = 90 } = options;
  const state = new Map<string, number>();
  for (const e of events) {
    yield e;
    if (e.channel !== "metrics") continue;
    const values = HEALTH_FIELDS.map((f) => e.number(f));
    let level = 0;
    const reasons: string[] = [];
    let seen = false;
    for (const [k, f] of HEALTH_FIELDS.entries()) {
      const v = values[k];
      if (v === undefined) continue;
      seen = true;
      if (v >= critical) {
        level = 2;
        reasons.push(`${f} >= ${critical}`);
      } else if (v >= warning) {
        level = Math.max(level, 1);
        reasons.push(`${f} >= ${warning}`);
      }
    }
    if (!seen) continue;
    const id = `${e.dataset}\u0000${e.key}`;
    const previous = state.get(id);
    if (previous === level) continue;
    state.set(id, level);
    const channel: Channel = "system_health";
    yield new ReplayEvent(
      { ts: e.ts, channel, event: "health.changed", key: e.key, keyName: e.keyName, dataset: e.dataset },
      {
        [e.keyName]: e.key,
        status: LEVEL[level],
        previous: previous === undefined ? null : LEVEL[previous],
        reasons,
        cpu_p95: values[0] ?? null,
        mem_p95: values[1] ?? null,
        disk_p95: values[2] ?? null,
      },
    );
  }
}
