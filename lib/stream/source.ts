import pl from "nodejs-polars";
import { type Manifest, readManifest, releaseNativeMemory, scanTable, STREAMING } from "@lib/lake/mod.ts";
import { kindDescriptor } from "@lib/kinds/registry.ts";
import { businessSecondsExpr, fromBusinessSecondsExpr } from "@lib/calendar/business_hours.ts";
import { type Channel, ReplayEvent } from "./types.ts";
import { decodeChunk, type EncodedFrame, encodeFrame } from "./_encode.ts";

const DAY_MS = 86_400_000;

/** Options of {@linkcode openReplay}. */
export interface OpenReplayOptions {
  /** Only events at or after this time, epoch ms. @default no bound */
  from?: number;
  /** Only events before this time, epoch ms. @default no bound */
  to?: number;
  /** Only these tables of the dataset. @default every table */
  tables?: readonly string[];
  /** Rows turned into events at a time (memory, never output). @default 8192 */
  chunkRows?: number;
  /**
   * Events of one source read from the files at a time: a longer table is read in consecutive time windows of at
   * most this many events (memory, never output). @default 250000
   */
  windowRows?: number;
}

/** A stream of events in time order, produced a chunk at a time. */
export interface EventSource {
  /** `<dataset>/<table>:<event>`, for summaries. */
  readonly name: string;
  /** Events in all. */
  readonly rows: number;
  /** Events in each time window the source is read in (one window: read whole). */
  readonly windows?: readonly number[];
  /** The most events held at once so far (the largest window read). */
  readonly largestWindow?: number;
  /**
   * The next chunk of events, in time order.
   * @returns the chunk, or null at the end
   */
  next(): ReplayEvent[] | null;
}

/** A dataset ready to replay: its event sources and the tables that give no events. */
export interface ReplayDataset {
  name: string;
  kind: string;
  dir: string;
  sources: EventSource[];
  /** Tables with no events, and why (static tables such as `clients`, tables without a time column). */
  skipped: { table: string; reason: string }[];
}

/** A condition on an event's time, given the expression of that time in epoch ms. */
type Where = (ms: pl.Expr) => pl.Expr;

/** How one kind of event is made from a dataset: a lazy frame with `_ts` (epoch ms), `_key` and payload columns. */
export interface Spec {
  table: string;
  channel: Channel;
  event: string;
  keyName: string;
  /**
   * The events whose time meets `where`. Where the time is a column's, the condition goes on that column before
   * anything else, so that a Parquet scan decodes the other columns of matching rows only (a condition on `_ts`
   * after the select read every column of every file: 11 s and 2 GB for a window of 10 M rows, against 0.4 s).
   */
  build: (where: Where) => pl.LazyDataFrame;
}

const TIME_NAMES = ["timestamp", "ts", "time", "datetime", "date", "created_at", "start", "window_start"];

/** Epoch-ms expression of a Datetime or Date column. */
function msOf(column: string, dtype: string): pl.Expr {
  if (dtype.startsWith("Datetime")) return pl.col(column).cast(pl.Datetime("ms")).cast(pl.Int64);
  return pl.col(column).cast(pl.Int32).cast(pl.Int64).mul(DAY_MS);
}

/** Payload expressions of columns (times stay times: the encoder writes them as ISO 8601). */
function payload(columns: readonly string[]): pl.Expr[] {
  return columns.map((c) => pl.col(c));
}

/** Events of one time window of a source: the condition on their time, and how many there are. */
interface Window {
  where: Where;
  rows: number;
}

/** Events at most in a source's first window, when it is read in several. */
const FIRST_WINDOW_ROWS = 20_000;

/** Resident memory above which a used window's native memory is collected before the next window is read. */
const COLLECT_ABOVE_BYTES = 448 * 2 ** 20;

/** Histogram bucket widths, ms: hours, then minutes, seconds and milliseconds within a bucket too full. */
const WIDTHS = [3_600_000, 60_000, 1000, 1];

/**
 * Cuts a source's events into time windows of at most `windowRows` events each (more only when that many share one
 * millisecond), from a histogram of their times by hour, made finer within an hour that holds too many. Runs on
 * Polars' streaming engine, reading only the time column: memory follows the buckets, not the rows.
 */
function planWindows(spec: Spec, bounds: Where, windowRows: number): { rows: number; windows: Window[] } {
  const histogram = (where: Where, width: number) => {
    // the bucket's start, in integers (a float division put 23:00 in the 22:00 bucket)
    const ts = pl.col("_ts").cast(pl.Int64), w = pl.lit(width).cast(pl.Int64);
    const df = spec.build(where)
      .select(ts.sub(ts.rem(w).add(w).rem(w)).cast(pl.Float64).alias("b"))
      .groupBy("b").agg(pl.len().cast(pl.Float64).alias("n"))
      .sort("b", false, true)
      .collectSync(STREAMING);
    return {
      b: df.getColumn("b").toArray() as (number | null)[],
      n: df.getColumn("n").toArray() as number[],
    };
  };
  const top = histogram(bounds, WIDTHS[0]);
  const rows = top.n.reduce((a, b) => a + b, 0);
  if (rows === 0) return { rows, windows: [] };
  if (rows <= windowRows) return { rows, windows: [{ where: bounds, rows }] };
  const windows: Window[] = [];
  const span = (lo: number, hi: number) => range(bounds, lo, hi);
  const cut = (h: { b: (number | null)[]; n: number[] }, level: number) => {
    const width = WIDTHS[level];
    let lo = 0, hi = 0, acc = 0;
    const flush = () => {
      if (acc > 0) windows.push({ where: span(lo, hi), rows: acc });
      acc = 0;
    };
    h.b.forEach((b, i) => {
      if (b === null) return;
      const n = h.n[i], start = b;
      if (n > windowRows && level + 1 < WIDTHS.length) {
        flush();
        cut(histogram(span(start, start + width), WIDTHS[level + 1]), level + 1);
        return;
      }
      if (acc > 0 && acc + n > windowRows) flush();
      if (acc === 0) lo = start;
      hi = start + width;
      acc += n;
    });
    flush();
  };
  cut(top, 0);
  return { rows, windows };
}

/** Where the events of a time range are: at and after `lo`, before `hi`. */
function range(bounds: Where, lo: number, hi?: number): Where {
  return (ms) => {
    const c = bounds(ms).and(ms.gtEq(pl.lit(lo)));
    return hi === undefined ? c : c.and(ms.lt(pl.lit(hi)));
  };
}

/**
 * The first windows of a source, found without the histogram of all its times, so the first event comes soon: its
 * count, null times and time range (one aggregate), then a first window of about {@linkcode FIRST_WINDOW_ROWS}
 * events, its span guessed from the mean density and narrowed while a count finds it too full. The events after it
 * (`rest`) are planned by {@linkcode planWindows} when the replay reaches them.
 */
function firstWindows(
  spec: Spec,
  bounds: Where,
  windowRows: number,
): { rows: number; windows: Window[]; rest?: number } {
  const ts = pl.col("_ts");
  const stats = spec.build(bounds).select(
    pl.len().cast(pl.Float64).alias("n"),
    ts.nullCount().cast(pl.Float64).alias("nulls"),
    ts.min().cast(pl.Float64).alias("lo"),
    ts.max().cast(pl.Float64).alias("hi"),
  ).collectSync(STREAMING).toRecords()[0] as { n: number; nulls: number; lo: number | null; hi: number | null };
  const { n, nulls, lo, hi } = stats;
  if (n === 0) return { rows: 0, windows: [] };
  // one window: the whole source at once, as it always was read
  if (n <= windowRows) return { rows: n, windows: [{ where: bounds, rows: n }] };
  const windows: Window[] = [];
  // events without a time sort first
  if (nulls > 0) windows.push({ where: (ms) => bounds(ms).and(ms.isNull()), rows: nulls });
  if (lo === null || hi === null) return { rows: n, windows };
  const count = (end: number) =>
    Number(spec.build(range(bounds, lo, end)).select(pl.len().alias("n")).collectSync(STREAMING).getColumn("n").get(0));
  const first = Math.min(windowRows, FIRST_WINDOW_ROWS);
  let span = Math.max(1, Math.ceil((hi - lo + 1) * first / (n - nulls)));
  let rows = count(lo + span);
  while (rows > Math.min(windowRows, 2 * first) && span > 1) {
    span = Math.max(1, Math.floor(span * first / rows));
    rows = count(lo + span);
  }
  windows.push({ where: range(bounds, lo, lo + span), rows });
  return { rows: n, windows, rest: lo + span > hi ? undefined : lo + span };
}

/** Options of a {@linkcode WindowedSource}. */
interface WindowedSourceOptions {
  dataset: string;
  dir: string;
  /** The replay's time bounds (`--from`, `--to`). */
  bounds: Where;
  chunkRows: number;
  windowRows: number;
}

/**
 * The events of one spec, read a time window at a time: each window is scanned from the files, sorted and encoded
 * when the one before is used up, so memory follows the window, not the table. Windows are consecutive time
 * ranges and a window keeps its rows' table order among equal times, so the events come out exactly as from one
 * sort of the whole table.
 */
class WindowedSource implements EventSource {
  readonly name: string;
  readonly rows: number;
  readonly #windows: number[];
  #largest = 0;
  readonly #spec: Spec;
  readonly #options: WindowedSourceOptions;
  readonly #plan: Window[];
  /** Where the events not yet planned start, epoch ms (undefined: all planned). */
  #rest: number | undefined;
  #next = 0;
  #encoded: EncodedFrame | undefined;
  #offset = 0;

  constructor(name: string, spec: Spec, options: WindowedSourceOptions) {
    this.name = name;
    this.#spec = spec;
    this.#options = options;
    const { rows, windows, rest } = this.#read(() => firstWindows(spec, options.bounds, options.windowRows));
    this.rows = rows;
    this.#plan = windows;
    this.#rest = rest;
    this.#windows = windows.map((w) => w.rows);
  }

  /** Events in each time window planned so far (all of them once the replay has passed the first window). */
  get windows(): readonly number[] {
    return this.#windows;
  }

  /** Plans the windows after the first ones. */
  #planRest(): void {
    if (this.#rest === undefined) return;
    const { bounds, windowRows } = this.#options;
    const rest = planWindows(this.#spec, range(bounds, this.#rest), windowRows).windows;
    this.#rest = undefined;
    this.#plan.push(...rest);
    this.#windows.push(...rest.map((w) => w.rows));
  }

  get largestWindow(): number {
    return this.#largest;
  }

  #read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      const first = String((cause as Error).message).split("\n")[0];
      throw new Error(`Cannot read table "${this.#spec.table}" of "${this.#options.dir}": ${first}`, { cause });
    }
  }

  next(): ReplayEvent[] | null {
    while (this.#encoded === undefined || this.#offset >= this.#encoded.height) {
      if (this.#next >= this.#plan.length) this.#read(() => this.#planRest());
      if (this.#next >= this.#plan.length) {
        this.#encoded = undefined;
        return null;
      }
      if (this.#encoded !== undefined) {
        this.#encoded = undefined;
        // the used window's native memory goes back before the next one is read, once memory is high: a collection
        // after every window cost 35 % more CPU (4.2 M rows: 34.6 s against 22.2 s without, peaking at 451 MB against
        // 616 MB; collecting above 448 MB: 27.0 s, 505 MB)
        if (Deno.memoryUsage().rss > COLLECT_ABOVE_BYTES) void releaseNativeMemory();
      }
      const { where } = this.#plan[this.#next++];
      this.#encoded = this.#read(() => encodeFrame(this.#spec.build(where).collectSync().lazy()));
      this.#offset = 0;
      this.#largest = Math.max(this.#largest, this.#encoded.height);
    }
    const { ts, keys, json, numbers } = decodeChunk(this.#encoded, {
      offset: this.#offset,
      length: this.#options.chunkRows,
    });
    this.#offset += json.length;
    const { channel, event, keyName } = this.#spec;
    const dataset = this.#options.dataset;
    const out = new Array<ReplayEvent>(json.length);
    for (let i = 0; i < json.length; i++) {
      out[i] = new ReplayEvent({ ts: ts[i], channel, event, key: keys[i], keyName, dataset }, json[i], {
        columns: numbers,
        row: i,
      });
    }
    return out;
  }
}

/**
 * How a kind's tables are replayed when they are more than one event per row (a kind's descriptor's `replay`
 * section, `lib/kinds/<kind>/mod.ts`); a kind without one gives one event per row of every timed table.
 */
export interface ReplaySpec {
  /** The tables the spec turns into events (instead of one event per row). */
  readonly tables: readonly string[];
  /** Tables of the kind that give no events, with why. */
  readonly static: readonly string[];
  /** Why the static tables give none (one line). */
  readonly staticReason: string;
  /** The event specs, given every table's lazy frame and dtypes and the manifest's config. */
  specs(
    tables: Record<string, pl.LazyDataFrame>,
    schemas: Record<string, Record<string, string>>,
    config: Record<string, unknown>,
  ): Spec[];
}

/**
 * The MSP dataset's replay: ticket lifecycle (`tickets`), technician activity and monthly productivity
 * (`technician_activity`), SLA warnings at 75 % and breaches at 100 % of the target (`sla_alerts`) and daily desk
 * figures (`metrics`); clients and technicians are static.
 */
export const MSP_REPLAY: ReplaySpec = {
  tables: ["tickets", "sla_metrics", "service_delivery_daily", "technician_productivity"],
  static: ["clients", "technicians"],
  staticReason: "a static table of the MSP dataset",
  specs: (tables, schemas, config) => {
    const asOf = typeof config.end === "string" ? Date.parse(`${config.end}T00:00:00Z`) + DAY_MS : undefined;
    return mspSpecs(tables, schemas, Number.isFinite(asOf) ? asOf : undefined);
  },
};

/** The specs of an MSP dataset: ticket lifecycle, technician activity, SLA alerts, daily and monthly metrics. */
function mspSpecs(
  tables: Record<string, pl.LazyDataFrame>,
  schemas: Record<string, Record<string, string>>,
  asOfMs: number | undefined,
): Spec[] {
  const specs: Spec[] = [];
  const t = tables.tickets;
  const ts = schemas.tickets;
  const lifecycle: [string, string, string[]][] = [
    ["created_at", "ticket.created", [
      "ticket_id",
      "title",
      "priority",
      "client_id",
      "service_type",
      "category",
      "subcategory",
      "due_at",
      "estimated_hours",
    ]],
    ["assigned_at", "ticket.assigned", ["ticket_id", "technician_id", "priority", "client_id", "due_at"]],
    ["first_response_at", "ticket.first_response", ["ticket_id", "technician_id", "priority", "client_id"]],
    ["resolved_at", "ticket.resolved", [
      "ticket_id",
      "technician_id",
      "priority",
      "client_id",
      "category",
      "actual_hours",
      "total_cost",
      "sla_status",
      "sla_breach_reason",
    ]],
  ];
  for (const [time, event, cols] of lifecycle) {
    const have = cols.filter((c) => c in ts);
    specs.push({
      table: "tickets",
      channel: "tickets",
      event,
      keyName: "ticket_id",
      build: (where) =>
        t.filter(pl.col(time).isNotNull().and(where(msOf(time, ts[time])))).select(
          msOf(time, ts[time]).alias("_ts"),
          pl.col("ticket_id").alias("_key"),
          ...payload(have),
        ),
    });
  }
  if ("technician_id" in ts) {
    const activity: [string, string][] = [
      ["assigned_at", "technician.assigned"],
      ["first_response_at", "technician.started"],
      ["resolved_at", "technician.resolved"],
    ];
    for (const [time, event] of activity) {
      const cols = ["technician_id", "ticket_id", "priority", "category", "client_id"].filter((c) => c in ts);
      specs.push({
        table: "tickets",
        channel: "technician_activity",
        event,
        keyName: "technician_id",
        build: (where) =>
          t.filter(
            pl.col(time).isNotNull().and(pl.col("technician_id").isNotNull()).and(where(msOf(time, ts[time]))),
          ).select(
            msOf(time, ts[time]).alias("_ts"),
            pl.col("technician_id").alias("_key"),
            ...payload(cols),
          ),
      });
    }
  }
  if (tables.sla_metrics !== undefined) {
    const joined = () =>
      tables.sla_metrics.join(
        t.select("ticket_id", "created_at", "priority", "client_id", "technician_id"),
        { on: "ticket_id", how: "inner" },
      );
    // the moment a share of the target has elapsed, on the SLA's own calendar
    const deadline = (share: number) =>
      pl.when(pl.col("calendar").eq(pl.lit("24x7")))
        .then(
          msOf("created_at", ts.created_at).add(pl.col("target_minutes").mul(60_000 * share)).round(0).cast(
            pl.Int64,
          ),
        )
        .otherwise(
          fromBusinessSecondsExpr(businessSecondsExpr("created_at").add(pl.col("target_minutes").mul(60 * share)))
            .cast(pl.Int64),
        );
    const cols = [
      "ticket_id",
      "sla_type",
      "calendar",
      "priority",
      "client_id",
      "technician_id",
      "target_minutes",
    ];
    specs.push({
      table: "sla_metrics",
      channel: "sla_alerts",
      event: "sla.warning",
      keyName: "ticket_id",
      build: (where) => {
        const at = joined().filter(
          pl.col("actual_minutes").isNull().or(pl.col("actual_minutes").gt(pl.col("target_minutes").mul(0.75))),
        ).select(deadline(0.75).alias("_ts"), pl.col("ticket_id").alias("_key"), ...payload(cols));
        return (asOfMs === undefined ? at : at.filter(pl.col("_ts").lt(pl.lit(asOfMs)))).filter(where(pl.col("_ts")));
      },
    });
    specs.push({
      table: "sla_metrics",
      channel: "sla_alerts",
      event: "sla.breach",
      keyName: "ticket_id",
      build: (where) =>
        joined().filter(pl.col("status").eq(pl.lit("breached"))).select(
          deadline(1).alias("_ts"),
          pl.col("ticket_id").alias("_key"),
          ...payload([...cols, "actual_minutes"]),
        ).filter(where(pl.col("_ts"))),
    });
  }
  if (tables.service_delivery_daily !== undefined) {
    const s = schemas.service_delivery_daily;
    specs.push({
      table: "service_delivery_daily",
      channel: "metrics",
      event: "msp.daily",
      keyName: "scope",
      // a day's figures are known when the day ends
      build: (where) =>
        tables.service_delivery_daily.select(
          msOf("date", s.date).add(DAY_MS).alias("_ts"),
          pl.lit("service_desk").alias("_key"),
          ...payload(Object.keys(s)),
        ).filter(where(pl.col("_ts"))),
    });
  }
  if (tables.technician_productivity !== undefined) {
    const s = schemas.technician_productivity;
    specs.push({
      table: "technician_productivity",
      channel: "technician_activity",
      event: "technician.monthly",
      keyName: "technician_id",
      // a month's figures are known when the month ends
      build: (where) => {
        const df = tables.technician_productivity.collectSync();
        const ends = Float64Array.from(df.getColumn("period").toArray() as string[], (p) => {
          const [y, m] = p.split("-").map(Number);
          return Date.UTC(y, m, 1); // month m (1-based) ends where month index m starts
        });
        return df.withColumns(pl.Series("_ts", ends).cast(pl.Int64)).select(
          pl.col("_ts"),
          pl.col("technician_id").alias("_key"),
          ...payload(Object.keys(s)),
        ).lazy().filter(where(pl.col("_ts")));
      },
    });
  }
  return specs;
}

/** The time column of a generic table, or undefined. */
function timeColumn(schema: Record<string, string>): string | undefined {
  const times = Object.keys(schema).filter((c) => schema[c].startsWith("Datetime") || schema[c] === "Date");
  return TIME_NAMES.find((n) => times.includes(n)) ?? times[0];
}

/** The key column of a generic table, or undefined. */
function keyColumn(schema: Record<string, string>): string | undefined {
  // a list or struct column is no key
  const cols = Object.keys(schema).filter((c) => !/^(List|Array|Struct)\b/.test(schema[c]));
  return ["server_id", "series_id", "host", "service"].find((c) => cols.includes(c)) ??
    cols.find((c) => c.endsWith("_id")) ?? cols.find((c) => c === "id");
}

function channelOf(table: string): Channel {
  if (/ticket/.test(table)) return "tickets";
  if (/alert|incident|health|outage/.test(table)) return "system_health";
  return "metrics";
}

/**
 * Opens a dataset folder (with `manifest.json`) as event sources for a replay. Each table is scanned through the
 * lake (`scanTable` over the files its manifest lists), filtered to [from, to), a time window of at most `windowRows` events at a time (so memory
 * follows the window, not the table), each window sorted by time; events are then made a chunk at a time. The
 * events come out exactly as from one stable sort of the whole table.
 *
 * A kind with a replay spec (its descriptor's `replay`, read by the manifest's kind) is replayed by it: an MSP
 * dataset gives ticket lifecycle events (`tickets`), technician activity and monthly productivity
 * (`technician_activity`), SLA warnings at 75 % and breaches at 100 % of the target (`sla_alerts`) and daily desk
 * figures (`metrics`). Any other table with a Datetime or Date column (a
 * capacity dataset: `timestamp`, `server_id`, `cpu_p95`…) gives one event per row, keyed by its id column, on
 * `metrics` (or `tickets` / `system_health` by table name). Static tables (clients, technicians) give none.
 *
 * @param dir the dataset folder
 * @param options time bounds, tables and chunk size
 * @returns the sources and the skipped tables
 * @throws {Error} naming the folder when the manifest is missing or invalid, or a requested table is unknown
 */
export async function openReplay(dir: string, options: OpenReplayOptions = {}): Promise<ReplayDataset> {
  const { from, to, tables: only, chunkRows = 8192, windowRows = 250_000 } = options;
  if (!(Number.isInteger(windowRows) && windowRows > 0)) {
    throw new RangeError(`Cannot replay "${dir}": windowRows must be a positive integer, got ${windowRows}`);
  }
  const manifest: Manifest = await readManifest(dir);
  const names = Object.keys(manifest.tables);
  for (const t of only ?? []) {
    if (!names.includes(t)) {
      throw new RangeError(`Cannot replay table "${t}" of "${dir}": the dataset has tables ${names.join(", ")}`);
    }
  }
  const wanted = names.filter((n) => only === undefined || only.includes(n));
  const lazy: Record<string, pl.LazyDataFrame> = {};
  const schemas: Record<string, Record<string, string>> = {};
  for (const name of names) {
    lazy[name] = scanTable(dir, manifest, { table: name });
    schemas[name] = manifest.tables[name].schema;
  }
  const specs: Spec[] = [];
  const skipped: ReplayDataset["skipped"] = [];
  // The manifest's kind says how its tables are replayed (no guessing from column names).
  const replay = kindDescriptor(manifest.kind)?.replay as ReplaySpec | undefined;
  if (replay) {
    const config = (manifest.config ?? {}) as Record<string, unknown>;
    specs.push(...replay.specs(lazy, schemas, config).filter((s) => wanted.includes(s.table)));
  }
  for (const name of wanted) {
    if (replay?.tables.includes(name)) continue;
    if (replay?.static.includes(name)) {
      skipped.push({ table: name, reason: replay.staticReason });
      continue;
    }
    const schema = schemas[name];
    const time = timeColumn(schema);
    if (time === undefined) {
      skipped.push({ table: name, reason: "no Datetime or Date column (a static table)" });
      continue;
    }
    const key = keyColumn(schema);
    specs.push({
      table: name,
      channel: channelOf(name),
      event: name,
      keyName: key ?? "table",
      build: (where) =>
        lazy[name].filter(pl.col(time).isNotNull().and(where(msOf(time, schema[time])))).select(
          msOf(time, schema[time]).alias("_ts"),
          (key === undefined ? pl.lit(name) : pl.col(key).cast(pl.String)).alias("_key"),
          ...payload(Object.keys(schema)),
        ),
    });
  }

  const bounds: Where = (ms) => {
    let c = pl.lit(true);
    if (from !== undefined) c = c.and(ms.gtEq(pl.lit(from)));
    if (to !== undefined) c = c.and(ms.lt(pl.lit(to)));
    return c;
  };
  const sources = specs.map((spec) =>
    new WindowedSource(`${manifest.name}/${spec.table}:${spec.event}`, spec, {
      dataset: manifest.name,
      dir,
      bounds,
      chunkRows,
      windowRows,
    })
  );
  return { name: manifest.name, kind: manifest.kind, dir, sources, skipped };
}
