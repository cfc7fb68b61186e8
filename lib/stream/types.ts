/** The channels a replay publishes on; WebSocket clients subscribe to them. */
export const CHANNELS = ["metrics", "tickets", "sla_alerts", "technician_activity", "system_health"] as const;
/** A replay channel. */
export type Channel = typeof CHANNELS[number];

/** The identity of an event: where and when, without the payload. */
export interface EventHead {
  /** Data time, epoch ms. */
  ts: number;
  /** The channel it is published on. */
  channel: Channel;
  /** What happened, e.g. `capacity`, `ticket.created`, `sla.breach`, `health.changed`. */
  event: string;
  /** The entity it is about (server, ticket, technician…): the Kafka key and a Prometheus label value. */
  key: string;
  /** The column that holds the key, e.g. `server_id` (the Prometheus label name). */
  keyName: string;
  /** The dataset name (from its manifest). */
  dataset: string;
}

/**
 * One replayed event: a row, or a moment in a row's life, at its data time. The payload travels as JSON text
 * (encoded by Polars for table rows) and is parsed only by sinks that need its fields.
 */
export class ReplayEvent implements EventHead {
  readonly ts: number;
  readonly channel: Channel;
  readonly event: string;
  readonly key: string;
  readonly keyName: string;
  readonly dataset: string;
  /** The payload as the JSON text of an object. */
  readonly json: string;
  #data: Record<string, unknown> | undefined;
  readonly #columns: NumericColumns | undefined;
  readonly #row: number;

  /**
   * @param head time, channel, event name, key and dataset
   * @param payload the payload: JSON text of an object, or the object
   * @param numeric the numeric payload fields as columns of the event's chunk, and the event's row in them (a fast
   *   path for sinks that read numbers; without it they parse the JSON)
   */
  constructor(
    head: EventHead,
    payload: string | Record<string, unknown>,
    numeric?: { columns: NumericColumns; row: number },
  ) {
    this.ts = head.ts;
    this.channel = head.channel;
    this.event = head.event;
    this.key = head.key;
    this.keyName = head.keyName;
    this.dataset = head.dataset;
    if (typeof payload === "string") this.json = payload;
    else {
      this.json = JSON.stringify(payload);
      this.#data = payload;
    }
    this.#columns = numeric?.columns;
    this.#row = numeric?.row ?? -1;
  }

  /** The payload object (parsed from {@linkcode ReplayEvent.json} on first use). */
  get data(): Record<string, unknown> {
    return this.#data ??= JSON.parse(this.json);
  }

  /**
   * A numeric payload field, without parsing the JSON when the event came from a table.
   * @param field the field name
   * @returns its value, or undefined when absent, null or not a finite number
   */
  number(field: string): number | undefined {
    if (this.#columns !== undefined) {
      const col = this.#columns[field];
      if (col === undefined) return undefined;
      const v = col[this.#row];
      return Number.isFinite(v) ? v : undefined;
    }
    const v = this.data[field];
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  }

  /**
   * Every numeric payload field with a finite value.
   * @returns [field, value] pairs
   */
  numbers(): [string, number][] {
    if (this.#columns !== undefined) {
      const out: [string, number][] = [];
      for (const [field, col] of Object.entries(this.#columns)) {
        const v = col[this.#row];
        if (Number.isFinite(v)) out.push([field, v]);
      }
      return out;
    }
    return Object.entries(this.data).filter((e): e is [string, number] =>
      typeof e[1] === "number" && Number.isFinite(e[1])
    );
  }

  /**
   * The wire form (NDJSON line, WebSocket message, Kafka value), without a trailing newline:
   * `{"channel","event","ts","dataset","key","data"}` with `ts` as ISO 8601.
   * @returns the JSON text
   */
  toJSONText(): string {
    return `${headText(this.channel, this.event)}${isoText(this.ts)}","dataset":${quoted(this.dataset)},"key":${
      JSON.stringify(this.key)
    },"data":${this.json}}`;
  }
}

/** Numeric payload fields as columns of a chunk (NaN for null). */
export type NumericColumns = Record<string, Float64Array>;

const heads = new Map<string, string>();
function headText(channel: string, event: string): string {
  const id = `${channel}\u0000${event}`;
  let text = heads.get(id);
  if (text === undefined) {
    text = `{"channel":"${channel}","event":${JSON.stringify(event)},"ts":"`;
    heads.set(id, text);
  }
  return text;
}

const quotes = new Map<string, string>();
function quoted(value: string): string {
  let text = quotes.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (quotes.size < 1000) quotes.set(value, text);
  }
  return text;
}

let lastTs = NaN, lastIso = "";
function isoText(ts: number): string {
  if (ts !== lastTs) {
    lastTs = ts;
    lastIso = new Date(ts).toISOString();
  }
  return lastIso;
}

/** Counters a sink reports for the replay summary. */
export interface SinkStats {
  /** Events delivered (to stdout, to at least one client, to the broker…). */
  sent: number;
  /** Events or messages dropped (slow clients, full buffers, series over the limit). */
  dropped: number;
  /** Other counters worth printing, e.g. `clients`, `series`, `failed`. */
  [counter: string]: number;
}

/** Where replayed events go. `write` may return a promise to slow the replay down (backpressure). */
export interface Sink {
  /** Short name for the summary, e.g. `ndjson`. */
  readonly name: string;
  /**
   * Takes one event.
   * @param event the event
   * @returns nothing, or a promise the replay awaits before the next event
   */
  write(event: ReplayEvent): void | Promise<void>;
  /** Delivers what is buffered and releases resources; safe to call twice. */
  close(): Promise<void>;
  /** Current counters. */
  stats(): SinkStats;
  /** True once the sink can take no more events (e.g. stdout closed); the replay stops when every sink is done. */
  readonly done?: boolean;
}
