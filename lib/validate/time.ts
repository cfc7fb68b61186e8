import pl from "nodejs-polars";
import { engineFor, partsOf, stackParts, type TableFrame } from "@lib/lake/mod.ts";
import { MAX_FAILING_ROWS, rowsOf } from "./_rows.ts";
import { check, notMeasured } from "./result.ts";
import { subject } from "./schema.ts";
import type { CheckResult, FailingRows } from "./types.ts";

/** Where the time axis of a table is and what it should look like. */
export interface TimeSpec {
  /** The timestamp column. */
  column: string;
  /** The entity column (server, series): order, cadence and coverage are per entity. @default one series */
  entity?: string;
  /** The expected step between consecutive timestamps of an entity, ms. @default the most common step */
  cadenceMs?: number;
  /** The declared first and last timestamps, epoch ms, inclusive. @default none: coverage is not checked */
  range?: [number, number];
  /** Whether rows are stored in time order per entity; disorder is then an error, else a warning. @default false */
  sorted?: boolean;
}

/** The timestamps of a table grouped by entity in time order, with the step from each row to the previous one. */
export interface TimeIndex {
  /**
   * Columns `e` (entity, or 0), `t` (epoch ms, Int64), `step` (ms since the previous row of the entity, or null),
   * rows grouped by entity in time order: the stored order when it already is so, else sorted. One frame per part
   * of the table (a scanned table's files, when no entity spans two of them), else one; aggregate per entity
   * with {@linkcode perEntity}.
   */
  parts: pl.LazyDataFrame[];
  /** Distinct steps and how often each occurs (nulls excluded). */
  steps: { step: number; n: number }[];
  /** The most common positive step, ms. */
  modalStepMs: number | null;
  /** Rows left out for a null entity or timestamp. */
  nullRows: number;
  /** Distinct entities. */
  entities: number;
  /** Steps, in stored order within an entity, that do not move forward in time. */
  backwards: number;
  /** Whether the stored order is grouped by entity and strictly increasing in time (no sort was needed). */
  storedInOrder: boolean;
  /** How queries over one part are collected: on the streaming engine for a scanned table, else in memory. */
  engine?: { engine: "streaming" };
}

const UTC_NAMES = new Set(["UTC", "Etc/UTC", "+00:00", "Z", "Etc/GMT", "GMT"]);

interface DatetimeInfo {
  timeUnit?: string;
  timeZone?: string | null;
  variant?: string;
}

/**
 * An expression giving epoch milliseconds (Int64) of a Datetime or Date column.
 * @param column the column name
 * @param dtype its dtype
 * @returns the expression, or undefined for other dtypes
 */
export function epochMs(column: string, dtype: pl.DataType): pl.Expr | undefined {
  const d = dtype as unknown as DatetimeInfo;
  if (d.variant === "Date") return pl.col(column).cast(pl.Int32).cast(pl.Int64).mul(86_400_000);
  if (d.variant !== "Datetime") return undefined;
  if (d.timeUnit === "ms") return pl.col(column).cast(pl.Int64);
  // Polars truncates the finer units with integer arithmetic
  return pl.col(column).cast(pl.Datetime("ms", d.timeZone || undefined)).cast(pl.Int64);
}

/**
 * Indexes a table's time axis once for the checks that need order (key uniqueness, gaps, cadence, coverage,
 * monotonic order). One pass tells whether the stored order is already grouped by entity and increasing in time
 * (as generators write it): then nothing is sorted. Otherwise only the two columns are sorted, never the table.
 * A scanned table is indexed file by file when no entity spans two files (as partitioned datasets are written),
 * so memory follows one file; otherwise as a whole.
 *
 * @param df the table
 * @param spec the time axis
 * @returns the index, or undefined when the timestamp column is missing or not a date/time type
 */
export function timeIndex(df: TableFrame, spec: TimeSpec): TimeIndex | undefined {
  const schema = df.schema as Record<string, pl.DataType>;
  const dtype = schema[spec.column];
  if (dtype === undefined || (spec.entity !== undefined && schema[spec.entity] === undefined)) return undefined;
  const t = epochMs(spec.column, dtype);
  if (t === undefined) return undefined;
  const e = spec.entity ? pl.col(spec.entity) : pl.lit(0);
  const present = (lf: pl.LazyDataFrame) =>
    lf.select(e.alias("e"), t.alias("t")).filter(pl.col("e").isNotNull().and(pl.col("t").isNotNull()));
  const parts = partsOf(df);
  if (parts.length > 1) {
    // File by file only when no entity spans two files; else the table as a whole. Files whose entities lie in
    // ranges apart (as partitioned datasets are written) share none: their facts, read anyway, tell without a read
    // of every file's entities for the purpose.
    const sources = parts.map((p) => p.lazy());
    const facts = factsOf(sources, present);
    if (apart(facts)) return indexOf(sources, present, df.height, { facts });
    const counts = stackParts(df, (lf) => present(lf).groupBy("e").agg(pl.len().alias("__n"))).select(
      pl.len().alias("n"),
      pl.col("e").nUnique().alias("d"),
    ).collectSync().toRecords()[0];
    if (Number(counts.n) === Number(counts.d)) return indexOf(sources, present, df.height, { facts });
  }
  return indexOf([df.lazy()], present, df.height, { engine: engineFor(df) });
}

/** Per source: rows, runs of one entity, steps back, distinct entities, and the smallest and largest entity. */
function factsOf(
  sources: pl.LazyDataFrame[],
  present: (lf: pl.LazyDataFrame) => pl.LazyDataFrame,
  engine?: { engine: "streaming" },
): Record<string, unknown>[] {
  return stacked(sources, (lf) =>
    withStep(present(lf)).select(
      pl.len().cast(pl.Int64).alias("rows"),
      pl.col("step").isNull().sum().cast(pl.Int64).alias("runs"),
      pl.col("step").ltEq(0).sum().cast(pl.Int64).alias("back"),
      pl.col("e").nUnique().cast(pl.Int64).alias("entities"),
      pl.col("e").min().alias("lo"),
      pl.col("e").max().alias("hi"),
    ), engine).collect().toRecords();
}

/**
 * Whether the parts' entity ranges lie apart (each part's smallest entity above the largest of the part before it,
 * in order of their smallest): then no entity is in two parts. Numbers, or ASCII text (whose order is the same in
 * JavaScript as Polars' byte order); false for anything else (unknown).
 */
function apart(facts: Record<string, unknown>[]): boolean {
  const ranges = facts.filter((f) => Number(f.rows) > 0).map((f) => [f.lo, f.hi] as const);
  const comparable = (v: unknown) =>
    typeof v === "number" || typeof v === "bigint" || (typeof v === "string" && /^[\x20-\x7e]*$/.test(v));
  if (!ranges.every(([lo, hi]) => comparable(lo) && typeof lo === typeof hi)) return false;
  const sorted = (ranges as unknown as [string, string][]).sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return sorted.every(([lo], i) => i === 0 || sorted[i - 1][1] < lo);
}

function withStep(lf: pl.LazyDataFrame): pl.LazyDataFrame {
  return lf.withColumns(
    pl.when(pl.col("e").eq(pl.col("e").shift(1))).then(pl.col("t").sub(pl.col("t").shift(1))).otherwise(pl.lit(null))
      .cast(pl.Int64).alias("step"),
  );
}

/** Stacks a query over parts: one query (see `stackParts`); one part runs on the engine given. */
function stacked(
  sources: pl.LazyDataFrame[],
  query: (lf: pl.LazyDataFrame) => pl.LazyDataFrame,
  engine?: { engine: "streaming" },
) {
  const frames = sources.map(query);
  const lf = frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical", parallel: false });
  return { collect: () => (frames.length === 1 ? lf.collectSync(engine) : lf.collectSync()), lf };
}

function indexOf(
  sources: pl.LazyDataFrame[],
  present: (lf: pl.LazyDataFrame) => pl.LazyDataFrame,
  height: number,
  o: { engine?: { engine: "streaming" }; facts?: Record<string, unknown>[] } = {},
): TimeIndex {
  const { engine } = o;
  const facts = o.facts ?? factsOf(sources, present, engine);
  const inOrder = facts.map((f) => Number(f.runs) === Number(f.entities) && Number(f.back) === 0);
  const unsorted = sources.filter((_, i) => !inOrder[i]);
  // Steps back within an entity as stored, wherever its rows lie.
  const backwards = unsorted.length === 0 ? 0 : Number(
    stacked(
      unsorted,
      (lf) => present(lf).select(pl.col("t").diff(1, "ignore").over("e").ltEq(0).sum().cast(pl.Int64).alias("n")),
    )
      .lf.select(pl.col("n").sum()).collectSync().getColumn("n").get(0) ?? 0,
  );
  const frames = sources.map((lf, i) => {
    if (inOrder[i]) return withStep(present(lf));
    const sorted = withStep(present(lf).sort(["e", "t"]));
    // One table: sorted once here rather than by every later query; a part is sorted again per query instead,
    // so only one file is ever held.
    return sources.length === 1 ? sorted.collectSync(engine).lazy() : sorted;
  });
  const steps = stacked(frames, (lf) => lf.filter(pl.col("step").isNotNull()).groupBy("step").agg(pl.len().alias("n")))
    .lf.groupBy("step").agg(pl.col("n").sum().alias("n")).sort("step").collectSync().toRecords()
    .map((r) => ({ step: Number(r.step), n: Number(r.n) }));
  let modal: { step: number; n: number } | undefined;
  for (const s of steps) if (s.step > 0 && (modal === undefined || s.n > modal.n)) modal = s;
  const rows = facts.reduce((n, f) => n + Number(f.rows), 0);
  return {
    parts: frames,
    steps,
    modalStepMs: modal?.step ?? null,
    nullRows: height - rows,
    entities: facts.reduce((n, f) => n + Number(f.entities), 0),
    backwards,
    storedInOrder: inOrder.every(Boolean),
    engine,
  };
}

/**
 * Aggregates an index per entity, part by part, and stacks the results: exact, as no entity spans two parts.
 * @param index the time index
 * @param aggregate a query over one part's `e`, `t`, `step` giving rows per entity
 * @returns the stacked rows
 */
export function perEntity(index: TimeIndex, aggregate: (part: pl.LazyDataFrame) => pl.LazyDataFrame): pl.DataFrame {
  return stacked(index.parts, aggregate, index.engine).collect();
}

/**
 * A duration in words: `1 h`, `1 d`, `15 min`, `250 ms`.
 * @param ms milliseconds
 * @returns the text
 */
export function formatDuration(ms: number): string {
  const units: [number, string][] = [[86_400_000, "d"], [3_600_000, "h"], [60_000, "min"], [1000, "s"]];
  for (const [size, name] of units) if (Math.abs(ms) >= size && ms % size === 0) return `${ms / size} ${name}`;
  for (const [size, name] of units) if (Math.abs(ms) >= size) return `${(ms / size).toFixed(2)} ${name}`;
  return `${ms} ms`;
}

/**
 * The first steps off the cadence as failing rows: keyed by entity and timestamp, with the previous timestamp and
 * the step (a gap, a repeat or a jitter), from the index (never the whole table).
 * @param index the time index
 * @param o the cadence, the total count, the time and entity columns, and `gapsOnly` for steps longer than the
 *   cadence (missing timestamps)
 * @returns the failing rows
 */
export function irregularSteps(
  index: TimeIndex,
  o: { cadence: number; total: number; column: string; entity?: string; gapsOnly?: boolean },
): FailingRows {
  const off = o.gapsOnly ? pl.col("step").gt(pl.lit(o.cadence)) : pl.col("step").neq(pl.lit(o.cadence));
  const head = perEntity(
    index,
    (part) => part.filter(pl.col("step").isNotNull().and(off)).select("e", "t", "step").limit(MAX_FAILING_ROWS),
  );
  const e = head.getColumn("e").toArray() as unknown[];
  const t = head.getColumn("t").toArray() as (number | bigint)[];
  const step = head.getColumn("step").toArray() as (number | bigint)[];
  const key = [...(o.entity !== undefined ? [o.entity] : []), o.column];
  const frame = pl.DataFrame({
    ...(o.entity !== undefined ? { [o.entity]: e.map((v) => v === null ? null : String(v)) } : {}),
    [o.column]: t.map((v) => iso(Number(v))),
    [`previous_${o.column}`]: t.map((v, i) => iso(Number(v) - Number(step[i]))),
    step: step.map((v) => formatDuration(Number(v))),
  });
  return rowsOf(frame, { key, columns: [...key, `previous_${o.column}`, "step"], total: o.total });
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace(".000Z", "Z") : String(ms);
}

/**
 * Whether a column holds UTC instants: a Datetime with time zone UTC (a naive one cannot be told from local time).
 * @param df the table
 * @param column the column
 * @param table the table name, for the subject
 * @returns `time.utc:<column>`
 */
export function checkUtc(df: TableFrame, column: string, options: { table?: string } = {}): CheckResult {
  const { table } = options;
  const sub = subject(column, table);
  const dtype = (df.schema as Record<string, pl.DataType>)[column];
  if (dtype === undefined) return notMeasured(`time.utc:${sub}`, `column "${column}" is missing`);
  const d = dtype as unknown as DatetimeInfo;
  const tz = d.timeZone || null;
  const isUtc = d.variant === "Datetime" && tz !== null && UTC_NAMES.has(tz);
  return check({
    id: `time.utc:${sub}`,
    severity: "error",
    passed: isUtc,
    measured: d.variant === "Datetime" ? (tz ?? "naive") : String(dtype).replace(/^DataType\((.*)\)$/, "$1"),
    threshold: "UTC",
    message: isUtc
      ? `"${column}" holds UTC instants`
      : d.variant === "Datetime"
      ? tz === null
        ? `"${column}" has no time zone: local or UTC cannot be told apart`
        : `"${column}" is in time zone ${tz}, not UTC`
      : `"${column}" is not a timestamp column`,
  });
}

/**
 * The Datetime columns of a table: instants, which must be UTC (a Date is a calendar day and has no zone).
 * @param df the table
 * @returns their names
 */
export function temporalColumns(df: TableFrame): string[] {
  const schema = df.schema as Record<string, pl.DataType>;
  return df.columns.filter((c) => (schema[c] as unknown as DatetimeInfo).variant === "Datetime");
}

/** Options of {@linkcode checkTime}. */
export interface CheckTimeOptions extends TimeSpec {
  /** A prebuilt {@linkcode timeIndex} of the same table and spec. @default built here */
  index?: TimeIndex;
  /** The table name, for subjects. @default none */
  table?: string;
  /** Largest share of steps that may differ from the cadence. @default 0.01 */
  maxIrregularShare?: number;
  /** Smallest share of the declared range every entity must cover. @default 1 */
  minCoverage?: number;
  /** Severity of cadence and coverage failures. @default "error" */
  severity?: "error" | "warning";
}

/**
 * Time checks: timestamps are UTC instants, in increasing order per entity as stored, at a regular cadence
 * (the share of irregular steps is measured), and covering the declared range (first and last timestamp of every
 * entity, rows outside the range).
 *
 * @param df the table
 * @param options the time axis and thresholds
 * @returns `time.utc`, `time.monotonic`, `time.cadence`, and with a declared range `time.coverage`, `time.range`
 */
export function checkTime(df: TableFrame, options: CheckTimeOptions): CheckResult[] {
  const { column, entity, table, maxIrregularShare = 0.01, minCoverage = 1, severity = "error", sorted = false } =
    options;
  const sub = subject(column, table);
  if (!df.columns.includes(column)) return [notMeasured(`time.utc:${sub}`, `column "${column}" is missing`)];
  const out: CheckResult[] = [checkUtc(df, column, { table })];
  const index = options.index ?? timeIndex(df, options);
  if (index === undefined) {
    const reason = entity && !df.columns.includes(entity)
      ? `entity column "${entity}" is missing`
      : `"${column}" is not a timestamp`;
    return [...out, notMeasured(`time.monotonic:${sub}`, reason), notMeasured(`time.cadence:${sub}`, reason)];
  }
  const backwards = index.backwards;
  const pairs = Math.max(1, index.steps.reduce((a, x) => a + x.n, 0));
  out.push(check({
    id: `time.monotonic:${sub}`,
    severity: sorted ? "error" : "warning",
    passed: backwards === 0,
    measured: backwards,
    threshold: "= 0 steps back",
    message: backwards === 0
      ? `Timestamps increase strictly within every ${entity ?? "series"} as stored`
      : `${backwards.toLocaleString("en-US")} of ${pairs.toLocaleString("en-US")} stored steps go back or repeat (${
        pct(backwards / pairs)
      })`,
  }));
  const cadence = options.cadenceMs ?? index.modalStepMs;
  if (cadence === null || cadence === undefined) {
    out.push(notMeasured(`time.cadence:${sub}`, "fewer than two timestamps per entity"));
  } else {
    const total = index.steps.reduce((s, x) => s + x.n, 0);
    const irregular = index.steps.filter((s) => s.step !== cadence).reduce((s, x) => s + x.n, 0);
    const share = total > 0 ? irregular / total : 0;
    const declared = options.cadenceMs !== undefined ? "declared" : "most common";
    const rows = share > maxIrregularShare
      ? irregularSteps(index, { cadence, total: irregular, column, ...(entity !== undefined ? { entity } : {}) })
      : undefined;
    out.push(check({
      id: `time.cadence:${sub}`,
      severity,
      passed: share <= maxIrregularShare,
      measured: share,
      threshold: `<= ${maxIrregularShare} irregular`,
      message: `${pct(share)} of ${total.toLocaleString("en-US")} steps differ from the ${declared} cadence ${
        formatDuration(cadence)
      }${
        index.modalStepMs !== null && index.modalStepMs !== cadence
          ? `; most common step ${formatDuration(index.modalStepMs)}`
          : ""
      }`,
      ...(rows ? { failing_rows: rows } : {}),
    }));
  }
  if (options.range) out.push(...coverage(index, options.range, cadence ?? 0, { sub, entity, minCoverage, severity }));
  return out;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x > 0 && x < 0.001 ? 4 : 2)}%`;
}

function coverage(
  index: TimeIndex,
  [start, end]: [number, number],
  cadence: number,
  o: { sub: string; entity?: string; minCoverage: number; severity: "error" | "warning" },
): CheckResult[] {
  const span = end - start + cadence;
  const per = perEntity(index, (part) =>
    part.groupBy("e").agg(
      pl.col("t").min().alias("first"),
      pl.col("t").max().alias("last"),
      pl.col("t").lt(start).or(pl.col("t").gt(end)).sum().alias("outside"),
    )).lazy().withColumns(
      // Covered milliseconds, in integers: a ratio computed in floating point can miss 1 by an ulp.
      pl.minHorizontal([pl.col("last"), pl.lit(end).cast(pl.Int64)])
        .sub(pl.maxHorizontal([pl.col("first"), pl.lit(start).cast(pl.Int64)])).add(pl.lit(cadence).cast(pl.Int64))
        .clip(0, span).alias("cover"),
    ).sort(["cover", "e"]).collectSync();
  const outside = Number(per.getColumn("outside").sum());
  const worst = per.height > 0 ? per.row(0) : undefined;
  const minCover = worst ? Number(worst[per.columns.indexOf("cover")]) / span : 0;
  const first = Number(per.getColumn("first").min()), last = Number(per.getColumn("last").max());
  const who = o.entity ? `${o.entity} ${worst?.[per.columns.indexOf("e")]}` : "the series";
  return [
    check({
      id: `time.coverage:${o.sub}`,
      severity: o.severity,
      passed: per.height > 0 && minCover >= o.minCoverage,
      measured: Number(minCover.toFixed(6)),
      threshold: `>= ${o.minCoverage} of ${iso(start)} .. ${iso(end)}`,
      message: per.height === 0
        ? "No timestamps"
        : minCover >= o.minCoverage
        ? `Every ${o.entity ?? "series"} covers the declared range; data spans ${iso(first)} .. ${iso(last)}`
        : `${who} covers ${pct(minCover)} of the declared range ${iso(start)} .. ${iso(end)}; data spans ${
          iso(first)
        } .. ${iso(last)}`,
    }),
    check({
      id: `time.range:${o.sub}`,
      severity: o.severity,
      passed: outside === 0,
      measured: outside,
      threshold: "= 0 rows outside",
      message: outside === 0
        ? "No timestamp outside the declared range"
        : `${outside.toLocaleString("en-US")} rows lie outside ${iso(start)} .. ${iso(end)}`,
    }),
  ];
}

/**
 * Missing timestamps inside each entity's span: a step of k cadences means k - 1 missing points.
 * @param index the time index
 * @param cadenceMs the expected step
 * @returns missing points, expected points, and steps that are not a whole number of cadences
 */
export function countGaps(index: TimeIndex, cadenceMs: number): { missing: number; expected: number; ragged: number } {
  let missing = 0, ragged = 0, present = 0;
  for (const { step, n } of index.steps) {
    present += n;
    if (step <= cadenceMs) continue;
    const k = step / cadenceMs;
    if (Number.isInteger(k)) missing += (k - 1) * n;
    else {
      ragged += n;
      missing += Math.floor(k) * n - n;
    }
  }
  return { missing, expected: present + missing, ragged };
}
