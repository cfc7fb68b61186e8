import { join } from "node:path";
import pl from "nodejs-polars";
import { type Manifest, readManifest, readTable } from "@lib/lake/mod.ts";
import { businessSecondsExpr, fromBusinessSecondsExpr } from "@lib/generate/msp/calendar.ts";
import { type Channel, ReplayEvent } from "./types.ts";
import { decodeChunk, type EncodedFrame, encodeFrame } from "./_encode.ts";

const DAY_MS = 86_400_000;

/** Options of {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** Only events at or after this time, epoch ms. @default no bound */
  from?: number;
  /** Only events before this time, epoch ms. @default no bound */
  to?: number;
  /** Only these tables of the dataset. @default every table */
  tables?: readonly string[];
  /** Rows turned into events at a time (memory, never output). @default 8192 */
  chunkRows?: number;
}

/** A stream of events in time order, produced a chunk at a time. */
export interface EventSource {
  /** `<dataset>/<table>:<event>`, for summaries. */
  readonly name: string;
  /** Events in all. */
  readonly rows: number;
  /**
   * The next chunk of events, in time order.
   * @returns the chunk, or null at the end
   */
  next(): ReplayEvent[] | null;
}

/** A dataset ready to replay: its event sources and the tables that give no events. */
export interface LoadedDataset {
  name: string;
  kind: string;
  dir: string;
  sources: EventSource[];
  /** Tables with no events, and why (static tables such as `clients`, tables without a time column). */
  skipped: { table: string; reason: string }[];
}

/** How one kind of event is made from a dataset: a lazy frame with `_ts` (epoch ms), `_key` and payload columns. */
interface Spec {
  table: string;
  channel: Channel;
  event: string;
  keyName: string;
  build: () => pl.LazyDataFrame;
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

function scanTable(dir: string, files: readonly string[]): pl.LazyDataFrame {
  const frames = files.map((f) => {
    const path = join(dir, f);
    return f.endsWith(".parquet") ? pl.scanParquet(path) : readTable(path).lazy();
  });
  return frames.length === 1 ? frames[0] : pl.concat(frames);
}

class FrameSource implements EventSource {
  readonly name: string;
  readonly rows: number;
  readonly #encoded: EncodedFrame;
  readonly #spec: Spec;
  readonly #dataset: string;
  readonly #chunk: number;
  #offset = 0;

  constructor(name: string, encoded: EncodedFrame, spec: Spec, dataset: string, chunk: number) {
    this.name = name;
    this.#encoded = encoded;
    this.#spec = spec;
    this.#dataset = dataset;
    this.#chunk = chunk;
    this.rows = encoded.height;
  }

  next(): ReplayEvent[] | null {
    if (this.#offset >= this.rows) return null;
    const { ts, keys, json, numbers } = decodeChunk(this.#encoded, this.#offset, this.#chunk);
    this.#offset += json.length;
    const { channel, event, keyName } = this.#spec;
    const dataset = this.#dataset;
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
      build: () =>
        t.filter(pl.col(time).isNotNull()).select(
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
        build: () =>
          t.filter(pl.col(time).isNotNull().and(pl.col("technician_id").isNotNull())).select(
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
      build: () => {
        const at = joined().filter(
          pl.col("actual_minutes").isNull().or(pl.col("actual_minutes").gt(pl.col("target_minutes").mul(0.75))),
        ).select(deadline(0.75).alias("_ts"), pl.col("ticket_id").alias("_key"), ...payload(cols));
        return asOfMs === undefined ? at : at.filter(pl.col("_ts").lt(pl.lit(asOfMs)));
      },
    });
    specs.push({
      table: "sla_metrics",
      channel: "sla_alerts",
      event: "sla.breach",
      keyName: "ticket_id",
      build: () =>
        joined().filter(pl.col("status").eq(pl.lit("breached"))).select(
          deadline(1).alias("_ts"),
          pl.col("ticket_id").alias("_key"),
          ...payload([...cols, "actual_minutes"]),
        ),
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
      build: () =>
        tables.service_delivery_daily.select(
          msOf("date", s.date).add(DAY_MS).alias("_ts"),
          pl.lit("service_desk").alias("_key"),
          ...payload(Object.keys(s)),
        ),
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
      build: () => {
        const df = tables.technician_productivity.collectSync();
        const ends = Float64Array.from(df.getColumn("period").toArray() as string[], (p) => {
          const [y, m] = p.split("-").map(Number);
          return Date.UTC(y, m, 1); // month m (1-based) ends where month index m starts
        });
        return df.withColumns(pl.Series("_ts", ends).cast(pl.Int64)).select(
          pl.col("_ts"),
          pl.col("technician_id").alias("_key"),
          ...payload(Object.keys(s)),
        ).lazy();
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
  const cols = Object.keys(schema);
  return ["server_id", "series_id", "host", "service"].find((c) => cols.includes(c)) ??
    cols.find((c) => c.endsWith("_id")) ?? cols.find((c) => c === "id");
}

function channelOf(table: string): Channel {
  if (/ticket/.test(table)) return "tickets";
  if (/alert|incident|health|outage/.test(table)) return "system_health";
  return "metrics";
}

/**
 * Loads a dataset folder (with `manifest.json`) as event sources for a replay. Each table's files are read
 * through its manifest, filtered to [from, to) and sorted by time; events are then made a chunk at a time.
 *
 * An MSP dataset (a `tickets` table with lifecycle times) gives ticket lifecycle events (`tickets`), technician
 * activity and monthly productivity (`technician_activity`), SLA warnings at 75 % and breaches at 100 % of the
 * target (`sla_alerts`) and daily desk figures (`metrics`). Any other table with a Datetime or Date column (a
 * capacity dataset: `timestamp`, `server_id`, `cpu_p95`…) gives one event per row, keyed by its id column, on
 * `metrics` (or `tickets` / `system_health` by table name). Static tables (clients, technicians) give none.
 *
 * @param dir the dataset folder
 * @param options time bounds, tables and chunk size
 * @returns the sources and the skipped tables
 * @throws {Error} naming the folder when the manifest is missing or invalid, or a requested table is unknown
 */
export async function loadDataset(dir: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const { from, to, tables: only, chunkRows = 8192 } = options;
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
    lazy[name] = scanTable(dir, manifest.tables[name].files);
    schemas[name] = manifest.tables[name].schema;
  }
  const specs: Spec[] = [];
  const skipped: LoadedDataset["skipped"] = [];
  const ticketCols = schemas.tickets ?? {};
  const isMsp = ["ticket_id", "created_at", "assigned_at", "first_response_at", "resolved_at"].every((c) =>
    c in ticketCols
  );
  const config = manifest.config as { end?: unknown };
  const asOf = typeof config.end === "string" ? Date.parse(`${config.end}T00:00:00Z`) + DAY_MS : undefined;
  const mspTables = new Set(["tickets", "sla_metrics", "service_delivery_daily", "technician_productivity"]);
  if (isMsp) {
    specs.push(
      ...mspSpecs(lazy, schemas, Number.isFinite(asOf) ? asOf : undefined).filter((s) => wanted.includes(s.table)),
    );
  }
  for (const name of wanted) {
    if (isMsp && mspTables.has(name)) continue;
    if (isMsp && (name === "clients" || name === "technicians")) {
      skipped.push({ table: name, reason: "a static table of the MSP dataset" });
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
      build: () =>
        lazy[name].filter(pl.col(time).isNotNull()).select(
          msOf(time, schema[time]).alias("_ts"),
          (key === undefined ? pl.lit(name) : pl.col(key).cast(pl.String)).alias("_key"),
          ...payload(Object.keys(schema)),
        ),
    });
  }

  const sources: EventSource[] = [];
  for (const spec of specs) {
    let lf = spec.build();
    if (from !== undefined) lf = lf.filter(pl.col("_ts").gtEq(pl.lit(from)));
    if (to !== undefined) lf = lf.filter(pl.col("_ts").lt(pl.lit(to)));
    let encoded: EncodedFrame;
    try {
      encoded = encodeFrame(lf);
    } catch (cause) {
      const first = String((cause as Error).message).split("\n")[0];
      throw new Error(`Cannot read table "${spec.table}" of "${dir}": ${first}`, { cause });
    }
    sources.push(
      new FrameSource(`${manifest.name}/${spec.table}:${spec.event}`, encoded, spec, manifest.name, chunkRows),
    );
  }
  return { name: manifest.name, kind: manifest.kind, dir, sources, skipped };
}
