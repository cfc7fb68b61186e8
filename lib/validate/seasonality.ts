import pl from "nodejs-polars";
import {
  collectParts,
  engineFor,
  partsOf,
  ScannedTable,
  stackParts,
  STREAMING,
  type TableFrame,
} from "@lib/lake/mod.ts";
import { DAY_MS, daysToQuarterEnd, quarterIndex } from "@lib/calendar/days.ts";
import { check, levelNote, notMeasured, skipped, statistical } from "./result.ts";
import { coverageMultiplier, hashText } from "./_stats.ts";
import { epochMs } from "./time.ts";
import { lagCorrelation } from "@lib/stats/acf.ts";
import type { CheckResult } from "./types.ts";

const HOUR_MS = 3_600_000;

/** Sampled values a group's median series is measured on at once; more are measured in spans of days. */
const MEDIAN_VALUES = 3_000_000;

/** Entities a group's median series needs before its calendar figures are judged against the config. */
const MIN_ENTITIES = 3;

/** The calendar effects a group is configured with: the figures the measurements are compared with. */
export interface SeasonalTargets {
  /** Peak of the hour-of-day profile (1: no daily cycle). */
  businessHoursMultiplier?: number;
  /** Level on weekends relative to weekdays. */
  weekendMultiplier?: number;
  /** End-of-quarter ramp: the last `days` days rise linearly to `1 + uplift` on the quarter's last day. */
  eoq?: { days: number; uplift: number };
  /** Holiday level reduction, drawn uniformly in [min, max]. */
  holidayReduction?: [number, number];
}

/** Options of {@linkcode checkSeasonality}. */
export interface CheckSeasonalityOptions {
  /** The metric measured; it must follow the calendar multiplicatively with weight 1. */
  metric: string;
  /** The entity column. */
  entity: string;
  /** The timestamp column. @default "timestamp" */
  timestamp?: string;
  /** The group column (one measurement per group). @default none: one group `all` */
  group?: string;
  /** The cadence, ms; the 24-hour autocorrelation is measured below one day. */
  cadenceMs: number;
  /** Holiday days (days since 1970-01-01), left out of the plain days and measured for the dip. @default [] */
  holidays?: readonly number[];
  /** Targets per group value (`all` without a group). @default {} */
  targets?: Record<string, SeasonalTargets>;
  /** Autocorrelation that counts as a detected cycle. @default 0.1 */
  minAcf?: number;
  /** Smallest tolerance of the measured factors; 3 standard errors are used when wider. @default 0.05 */
  tolerance?: number;
  /**
   * Entities of a group the median series is taken over: a larger group is sampled, the same entities whatever
   * the order or files of the rows (by a hash of the entity). The median of a few hundred entities hardly moves
   * with more, and the sample bounds the memory of the per-instant medians on large datasets. @default 128
   */
  maxEntities?: number;
  /**
   * Sampled values a group's median series is measured on at once: more are measured in slices of days, one after
   * another (each re-reads the table), so memory follows the slice. @default 3,000,000
   */
  medianValues?: number;
}

/** A measured factor with its standard error, the units it is measured on and the error's degrees of freedom. */
export interface Estimate {
  /** The measured factor. */
  value: number;
  /** Its standard error. */
  se: number;
  /** The units it is measured on (weeks, window days, holidays). */
  n: number;
  /** Degrees of freedom of the standard error. */
  df: number;
}

/** The seasonal figures measured for one group. */
export interface SeasonalMeasures {
  /** The group value (`all` without a group). */
  group: string;
  /** Autocorrelation of the group's median series at 24 h (hourly data only). */
  acf24h?: number;
  /** Autocorrelation at 7 days. */
  acf7d?: number;
  /** Autocorrelation at one quarter, aligned on quarter ends, near them. */
  acfQuarter?: number;
  /** Strength of the weekly (and daily) seasonal component, 0-1 (Hyndman's F_S). */
  strength?: number;
  /** Weekend level over weekday level, on plain days. */
  weekendRatio?: Estimate;
  /** The weekend ratio's error from the spread of the entities' own ratios (n = entities). */
  weekendRatioEntities?: Estimate;
  /** The uplift's error from the spread of the entities' own uplifts (n = entities). */
  eoqUpliftEntities?: Estimate;
  /** Uplift on the quarter's last day, fitted to the end-of-quarter ramp. */
  eoqUplift?: Estimate;
  /** Share of the level lost on weekday holidays. */
  holidayDip?: Estimate;
  /** Entities the median series is taken over. */
  entities?: number;
  /** Mean of the median series: the level the configured factors scale. */
  level?: number;
  /** Variance of the median series left after week means and the (day of week, hour) profile: its noise. */
  noise?: number;
  /** Pairs the 24-hour autocorrelation is measured on. */
  pairs24h?: number;
  /** Pairs the 7-day autocorrelation is measured on. */
  pairs7d?: number;
  /** Pairs the quarter autocorrelation is measured on. */
  pairsQuarter?: number;
  /** Variance of the quarter-end series on the days just before the window (no ramp): its noise. */
  noiseQuarter?: number;
}

function num(v: unknown): number | undefined {
  const x = Number(v);
  return v === null || v === undefined || !Number.isFinite(x) ? undefined : x;
}

/**
 * The calendar facts of every day in a range, as a small frame (one row per day, not per data row).
 * @param first first day number
 * @param last last day number
 * @param holidays holiday day numbers
 * @param windowDays end-of-quarter window length
 */
function dayTable(first: number, last: number, holidays: readonly number[], windowDays: number): pl.DataFrame {
  const n = last - first + 1;
  const day = new Float64Array(n), dow = new Int32Array(n), toqe = new Int32Array(n), q = new Int32Array(n);
  const hol = new Uint8Array(n);
  const holidaySet = new Set(holidays);
  for (let i = 0; i < n; i++) {
    const d = first + i;
    day[i] = d;
    dow[i] = (d + 3) % 7; // 1970-01-01 was a Thursday; Monday = 0
    toqe[i] = daysToQuarterEnd(d);
    q[i] = quarterIndex(d);
    hol[i] = holidaySet.has(d) ? 1 : 0;
  }
  return pl.DataFrame([
    pl.Series("day", day).cast(pl.Int64),
    pl.Series("dow", dow),
    pl.Series("toqe", toqe),
    pl.Series("q", q),
    pl.Series("holiday", hol).cast(pl.Bool),
  ]).withColumns(
    pl.col("dow").gtEq(5).alias("weekend"),
    pl.col("toqe").lt(windowDays).alias("eoq"),
    pl.col("day").add(3).div(7).floor().cast(pl.Int64).alias("week"),
  );
}

/** Options of {@linkcode groupMedianSeries}. */
export interface GroupMedianOptions {
  /** The metric column. */
  metric: string;
  /** The entity column (servers, series). */
  entity: string;
  /** The time column. @default "timestamp" */
  timestamp?: string;
  /** The group column (archetype); one group "all" without. */
  group?: string;
  /** Entities a group's median is taken over (a larger group is sampled by a hash of the entity). @default 128 */
  maxEntities?: number;
}

/** The entities of each group and the sampled rows of one group, as the median series and the validator read them. */
interface GroupSample {
  names: string[];
  byGroup: Map<string, string[]>;
  sampledCount: (name: string) => number;
  /** The rows of one group's sampled entities with a valid metric. */
  rows: (part: pl.LazyDataFrame, name: string) => pl.LazyDataFrame;
  /** The rows of every group's sampled entities with a valid metric. */
  sampledRows: (part: pl.LazyDataFrame) => pl.LazyDataFrame;
  /** The time in epoch ms. */
  t: pl.Expr;
  /** The group of a row (`all` without a group column). */
  groupOf: pl.Expr;
  text: (c: string) => pl.Expr;
  /**
   * The group's median series: one row per instant, `g`, `t` (epoch ms), `x`; from the parts (files) given, when
   * only they hold the group's sampled rows.
   */
  medians: (name: string, slices?: number, only?: readonly number[]) => pl.DataFrame;
}

function groupSample(df: TableFrame, options: GroupMedianOptions): GroupSample | undefined {
  const { metric, entity, timestamp = "timestamp", group, maxEntities = 128 } = options;
  const schema = df.schema as Record<string, pl.DataType>;
  const dtype = schema[timestamp];
  const t = dtype === undefined ? undefined : epochMs(timestamp, dtype);
  if (t === undefined) return undefined;
  // A String column as it is: a cast, even a no-op one, keeps Parquet statistics from skipping row groups.
  const text = (c: string) => String(schema[c]) === String(pl.String) ? pl.col(c) : pl.col(c).cast(pl.String);
  // One group at a time: grouping by (group, instant) at once hashes a string per row and holds the whole
  // table's group indices, several hundred megabytes on the hourly capacity dataset; a filter then a group-by on
  // the instant alone costs a few.
  // The entities of each group: a set, so one streaming query over a scanned table's glob (a third of the time of
  // a query per file on 100 M rows), else file by file.
  const groupOf = group ? text(group) : pl.lit("all");
  const pairs = (lf: pl.LazyDataFrame) =>
    lf.groupBy([groupOf.alias("g"), text(entity).alias("e")]).agg(pl.len().alias("n")).select("g", "e");
  const members =
    (df instanceof ScannedTable && df.glob !== undefined
      ? pairs(df.lazy()).collectSync(STREAMING)
      : collectParts(df, pairs))
      .unique().filter(pl.col("g").isNotNull().and(pl.col("e").isNotNull())).sort(["g", "e"]);
  const byGroup = new Map<string, string[]>();
  for (const r of members.toRecords()) {
    const list = byGroup.get(String(r.g)) ?? [];
    list.push(String(r.e));
    byGroup.set(String(r.g), list);
  }
  const names = [...byGroup.keys()].sort();
  const sampledCount = (name: string) => Math.min(byGroup.get(name)!.length, maxEntities);
  const sampled = (name: string): pl.Expr => {
    const all = byGroup.get(name)!;
    if (all.length <= maxEntities) return pl.lit(true);
    const kept = all.map((e) => ({ e, h: hashText(e) })).sort((a, b) => a.h - b.h || (a.e < b.e ? -1 : 1))
      .slice(0, maxEntities).map((x) => x.e);
    return text(entity).isIn(kept);
  };
  const valid = pl.col(metric).isNotNull().and(pl.col(metric).isNotNan());
  const member = (name: string) => (group ? text(group).eq(pl.lit(name)).and(valid) : valid).and(sampled(name));
  const rows = (part: pl.LazyDataFrame, name: string) => part.filter(member(name));
  // The sampled rows of every group at once.
  let any: pl.Expr = pl.lit(false);
  for (const name of names) any = any.or(member(name));
  const sampledRows = (part: pl.LazyDataFrame) => part.filter(any);
  // One streaming query per group over the sampled entities: memory follows the sample, not the table, and no
  // large frame is ever held in JS (its native memory would outlive the call).
  // `slices` > 1 splits the instants by their day (day number modulo `slices`) into slices measured one after
  // another, so only one slice's values are held.
  const medians = (name: string, slices = 1, only?: readonly number[]) => {
    const all = partsOf(df);
    const some = only && only.length > 0 && only.length < all.length ? only.map((i) => all[i]) : undefined;
    const frames = Array.from({ length: slices }, (_, i) => {
      const slice = slices > 1 ? t.div(DAY_MS).floor().modulo(slices).eq(i) : pl.lit(true);
      const query = (part: pl.LazyDataFrame) =>
        rows(part, name).filter(slice).select(t.alias("t"), pl.col(metric).alias("x"));
      const pairs = some
        ? pl.concat(some.map((p) => query(p.lazy())), { how: "vertical", parallel: false })
        : stackParts(df, query);
      const q = pairs.groupBy("t").agg(pl.col("x").median().alias("x"))
        .select(pl.lit(name).alias("g"), pl.col("t"), pl.col("x"));
      return partsOf(df).length === 1 ? q.collectSync(engineFor(df)) : q.collectSync();
    });
    return frames.length === 1 ? frames[0] : pl.concat(frames);
  };
  return { names, byGroup, sampledCount, rows, sampledRows, t, groupOf, text, medians };
}

/**
 * Each sampled entity's daily means of the metric: `g`, `e`, `day` (days since 1970-01-01), `x`, and the rows of
 * each mean `n`, sorted by group, entity and day. File by file, every group in one pass, when no (group, entity,
 * day) spans two files: each mean then sees all its rows, in their order, as a mean over the whole table does, and
 * only the means are held (on 100 M hourly capacity rows, stacking the sampled rows first held 4.5 M of them per
 * group: 800 MB); `files` then tells which files hold each group's sampled rows. Else (and for a table of one part)
 * over the stacked rows, a group at a time.
 */
function dailyMeans(
  df: TableFrame,
  sample: GroupSample,
  o: { entity: string; metric: string },
): { means: pl.DataFrame; files?: Map<string, number[]> } {
  const { names, rows, sampledRows, text, t, groupOf } = sample;
  const columns = [
    text(o.entity).alias("e"),
    t.div(DAY_MS).floor().cast(pl.Int64).alias("day"),
    pl.col(o.metric).alias("x"),
  ];
  const mean = (lf: pl.LazyDataFrame, keys: string[]) =>
    lf.groupBy(keys).agg(pl.col("x").mean().alias("x"), pl.len().cast(pl.Int64).alias("n"));
  const order = ["g", "e", "day"];
  const one = partsOf(df).length === 1;
  const perGroup = () =>
    pl.concat(names.map((name) => {
      const daily = mean(stackParts(df, (part) => rows(part, name).select(...columns)), ["e", "day"])
        .select(pl.lit(name).alias("g"), "e", "day", "x", "n");
      return one ? daily.collectSync(engineFor(df)) : daily.collectSync();
    })).sort(order);
  // One part (a frame in memory): a group at a time, as every group at once would hold all their rows together.
  if (one) return { means: perGroup() };
  // Grouped by the group's and entity's categories (cast back to text per file): a key of two strings and a day
  // took about 10 % more CPU (10 M hourly capacity rows); the means are the same to the last bit.
  const byPart = collectParts(df, (part, i) =>
    mean(
      sampledRows(part).select(
        groupOf.cast(pl.Categorical).alias("g"),
        text(o.entity).cast(pl.Categorical).alias("e"),
        ...columns.slice(1),
      ),
      order,
    ).select(
      pl.col("g").cast(pl.String),
      pl.col("e").cast(pl.String),
      "day",
      "x",
      "n",
      pl.lit(i).cast(pl.Int32).alias("part"),
    ));
  if (byPart.select(...order).unique().height !== byPart.height) return { means: perGroup() };
  // The files holding each group's sampled rows: the median series reads only those.
  const files = new Map<string, number[]>();
  for (const r of byPart.select("g", "part").unique().sort(["g", "part"]).toRecords()) {
    files.set(String(r.g), [...(files.get(String(r.g)) ?? []), Number(r.part)]);
  }
  return { means: byPart.drop("part").sort(order), files };
}

/**
 * The median series of each group, the series the calendar checks measure (autocorrelation, weekly strength,
 * weekend, quarter-end and holiday effects): the median of the metric across the group's (sampled) entities at
 * each instant. The report draws its autocorrelation from the same series, so chart and check agree.
 * @param df the dataset
 * @param options metric, entity, time and group columns
 * @returns `g` (group), `t` (epoch ms), `x` (the median), sorted by group and time; empty without a time column
 */
export function groupMedianSeries(df: TableFrame, options: GroupMedianOptions): pl.DataFrame {
  const sample = groupSample(df, options);
  const empty = pl.DataFrame({ g: [] as string[], t: [] as number[], x: [] as number[] });
  if (sample === undefined || sample.names.length === 0) return empty;
  return pl.concat(sample.names.map((n) => sample.medians(n))).sort(["g", "t"]);
}

/**
 * Measures the calendar effects of one metric per group, on the group's median series: each value is divided by
 * its entity's yearly mean (removing level and growth), and the median across the group's entities at each
 * instant keeps the calendar shared by the group while averaging away the entities' own noise and spikes.
 *
 * From that series: autocorrelation at 24 h (hourly data), 7 days and one quarter (aligned on quarter ends, after
 * removing weekly levels); the strength of the weekly seasonal component; the weekend/weekday level ratio on plain
 * days; the end-of-quarter uplift fitted to the ramp against the four weeks before the window; and the holiday dip
 * against plain weekdays within two weeks. Standard errors come from week-to-week, ramp and holiday-to-holiday
 * spread.
 *
 * @param df the dataset
 * @param options metric, columns, cadence, holidays and end-of-quarter window
 * @returns the measures per group
 */
export function seasonalMeasures(df: TableFrame, options: CheckSeasonalityOptions): SeasonalMeasures[] {
  const { metric, entity, timestamp = "timestamp", group, cadenceMs, holidays = [], targets = {} } = options;
  const { maxEntities = 128, medianValues = MEDIAN_VALUES } = options;
  const windowDays = Math.max(0, ...Object.values(targets).map((x) => x.eoq?.days ?? 0));
  const sample = groupSample(df, { metric, entity, timestamp, ...(group ? { group } : {}), maxEntities });
  if (sample === undefined) return [];
  const { names, byGroup, sampledCount } = sample;
  // Each sampled entity's own daily means: entities differ in their calendar factors, so the group's figures
  // err by their spread too, which the spread over time of one median series does not see.
  const { means: entityDays, files } = dailyMeans(df, sample, { entity, metric });
  // A group's median series holds every sampled value at once (on 100 M hourly capacity rows, 4.5 M: ~400 MB):
  // above `medianValues`, it is measured in slices of its instants, one after another, re-reading the files.
  const slicesOf = (name: string): number => {
    const values = Number(entityDays.filter(pl.col("g").eq(pl.lit(name))).getColumn("n").sum() ?? 0);
    return Math.max(1, Math.ceil(values / medianValues));
  };
  const parts = names.map((name) => sample.medians(name, slicesOf(name), files?.get(name)));
  if (parts.length === 0) return [];
  const series = pl.concat(parts).withColumns(
    pl.col("t").div(DAY_MS).floor().cast(pl.Int64).alias("day"),
    pl.col("t").modulo(DAY_MS).div(HOUR_MS).floor().cast(pl.Int32).alias("hour"),
  );
  if (series.height === 0) return [];
  const first = Number(series.getColumn("day").min()), last = Number(series.getColumn("day").max());
  const days = dayTable(first, last, holidays, windowDays);
  const G = series.join(days, { on: "day", how: "left" });
  const plain = pl.col("holiday").not().and(pl.col("eoq").not());
  // Daily means of the median series: the unit of the weekend, quarter-end and holiday measures.
  const D = G.lazy().groupBy(["g", "day"]).agg(pl.col("x").mean().alias("x")).join(days.lazy(), { on: "day" })
    .sort(["g", "day"]).collectSync();
  const groups = series.getColumn("g").unique().sort().toArray() as string[];
  // Per entity: the weekend ratio on plain days and the end-of-quarter uplift, the same estimators as below.
  const E = entityDays.lazy().join(days.lazy(), { on: "day" });
  const between = (frame: pl.LazyDataFrame, col: string) =>
    frame.groupBy("g").agg(pl.col(col).std().alias("sd"), pl.col(col).count().alias("k")).collectSync().toRecords();
  const spreadOf = (rows: Record<string, unknown>[]) =>
    new Map(rows.map((r) => [String(r.g), { sd: num(r.sd), k: num(r.k) ?? 0 }]));
  const weekendSpread = spreadOf(between(
    E.filter(pl.col("holiday").not().and(pl.col("eoq").not())).groupBy(["g", "e"]).agg(
      pl.col("x").filter(pl.col("weekend")).mean().div(pl.col("x").filter(pl.col("weekend").not()).mean()).alias("r"),
    ),
    "r",
  ));
  let eoqSpread = new Map<string, { sd: number | undefined; k: number }>();
  if (windowDays > 0) {
    const wd = E.filter(pl.col("weekend").not().and(pl.col("holiday").not()));
    const base = wd.filter(pl.col("eoq").not().and(pl.col("toqe").lt(windowDays + 28)))
      .groupBy(["g", "e", "q"]).agg(pl.col("x").mean().alias("b"));
    eoqSpread = spreadOf(between(
      wd.filter(pl.col("eoq")).join(base, { on: ["g", "e", "q"] }).select(
        pl.col("g"),
        pl.col("e"),
        pl.col("x").div(pl.col("b")).sub(1).alias("r"),
        pl.lit(windowDays).sub(pl.col("toqe")).div(windowDays).alias("s"),
      ).groupBy(["g", "e"]).agg(pl.col("r").mul(pl.col("s")).sum().div(pl.col("s").pow(2).sum()).alias("u")),
      "u",
    ));
  }
  const betweenEstimate = (spread: Map<string, { sd: number | undefined; k: number }>, g: string, value: number) => {
    const e = spread.get(g);
    if (!e) return undefined;
    return e.k >= 2 && e.sd !== undefined && Number.isFinite(e.sd)
      ? { value, se: e.sd / Math.sqrt(e.k), n: e.k, df: e.k - 1 }
      : { value, se: NaN, n: e.k, df: 0 };
  };
  const out = new Map<string, SeasonalMeasures>(
    groups.map((x) => [x, { group: x, entities: byGroup.has(x) ? sampledCount(x) : 0 }]),
  );
  const put = (rows: Record<string, unknown>[], f: (m: SeasonalMeasures, r: Record<string, unknown>) => void) => {
    for (const r of rows) {
      const m = out.get(String(r.g));
      if (m) f(m, r);
    }
  };

  // Autocorrelation of the median series at a lag in time: lib/stats' estimator, the one the report draws.
  const acf = (frame: pl.DataFrame, lagMs: number) => lagCorrelation(frame, [lagMs]);
  if (cadenceMs < DAY_MS) {
    put(acf(G, DAY_MS), (m, r) => {
      m.acf24h = num(r.r);
      m.pairs24h = num(r.n);
    });
  }
  put(acf(G, 7 * DAY_MS), (m, r) => {
    m.acf7d = num(r.r);
    m.pairs7d = num(r.n);
  });
  // One quarter back, aligned on the quarter's end, after removing the weekly level of each quarter.
  // Only the quarter's last weeks take part (with a window, two window lengths), so the end-of-quarter rise
  // is not drowned by the quarter's quiet middle.
  const near = windowDays > 0 ? pl.col("toqe").lt(2 * windowDays) : pl.lit(true);
  const dq = D.lazy().filter(pl.col("holiday").not())
    .withColumns(pl.col("x").sub(pl.col("x").mean().over("g", "q", "weekend")).alias("x"))
    .filter(near);
  // The same estimator on quarter numbers, pairs matched on the day's distance to the quarter end as well.
  put(
    lagCorrelation(dq.collectSync(), [1], { key: "q", on: ["toqe"], centre: false }),
    (m, r) => {
      m.acfQuarter = num(r.r);
      m.pairsQuarter = num(r.n);
    },
  );
  // The noise of the quarter-end series: its variance on the days just before the window, where no ramp is.
  if (windowDays > 0) {
    put(
      dq.filter(pl.col("toqe").gtEq(windowDays)).groupBy("g").agg(pl.col("x").var().alias("v")).collectSync()
        .toRecords(),
      (m, r) => m.noiseQuarter = num(r.v),
    );
  }
  // Seasonal strength: 1 - Var(remainder) / Var(detrended), phase = day of week (and hour).
  put(
    G.lazy()
      .withColumns(pl.col("x").sub(pl.col("x").mean().over("g", "week")).alias("d"))
      .withColumns(pl.col("d").sub(pl.col("d").mean().over("g", "dow", "hour")).alias("r"))
      .groupBy("g").agg(
        pl.lit(1).sub(pl.col("r").var().div(pl.col("d").var())).alias("s"),
        pl.col("r").var().alias("v"),
        pl.col("x").mean().alias("level"),
      )
      .collectSync().toRecords(),
    (m, r) => {
      m.strength = Math.max(0, num(r.s) ?? 0);
      m.noise = num(r.v);
      m.level = num(r.level);
    },
  );
  // Weekend ratio on plain days, with its standard error from the spread of week-by-week ratios.
  const plainDays = D.lazy().filter(plain);
  const weekly = plainDays.groupBy(["g", "week"]).agg(
    pl.col("x").filter(pl.col("weekend")).mean().alias("we"),
    pl.col("x").filter(pl.col("weekend").not()).mean().alias("wd"),
  ).filter(pl.col("we").isNotNull().and(pl.col("wd").isNotNull()))
    .groupBy("g").agg(pl.col("we").div(pl.col("wd")).std().alias("sd"), pl.len().alias("n"));
  put(
    plainDays.groupBy("g").agg(
      pl.col("x").filter(pl.col("weekend")).mean().div(pl.col("x").filter(pl.col("weekend").not()).mean()).alias("r"),
    ).join(weekly, { on: "g", how: "left" }).collectSync().toRecords(),
    (m, r) => {
      const value = num(r.r), n = num(r.n) ?? 0;
      if (value !== undefined && n >= 2) {
        m.weekendRatio = { value, se: (num(r.sd) ?? 0) / Math.sqrt(n), n, df: n - 1 };
        m.weekendRatioEntities = betweenEstimate(weekendSpread, String(r.g), value);
      }
    },
  );
  const weekdays = D.lazy().filter(pl.col("weekend").not().and(pl.col("holiday").not()));
  // End-of-quarter uplift: window weekdays against plain weekdays of the four weeks before the window, fitted as
  // r = uplift * s with s = position in the window / window length (1 on the quarter's last day).
  if (windowDays > 0) {
    const base = weekdays.filter(pl.col("eoq").not().and(pl.col("toqe").lt(windowDays + 28)))
      .groupBy(["g", "q"]).agg(pl.col("x").mean().alias("b"));
    const ramp = weekdays.filter(pl.col("eoq")).join(base, { on: ["g", "q"] })
      .select(
        pl.col("g"),
        pl.col("q"),
        pl.col("x").div(pl.col("b")).sub(1).alias("r"),
        pl.lit(windowDays).sub(pl.col("toqe")).div(windowDays).alias("s"),
      );
    const fit = ramp.groupBy("g").agg(
      pl.col("r").mul(pl.col("s")).sum().div(pl.col("s").pow(2).sum()).alias("u"),
      pl.col("s").pow(2).sum().alias("ss"),
      pl.len().alias("n"),
      pl.col("q").nUnique().alias("quarters"),
    );
    // Standard error clustered by quarter: a quarter's window days share one baseline, so they err together.
    const clustered = ramp.join(fit, { on: "g" })
      .groupBy(["g", "q"]).agg(pl.col("s").mul(pl.col("r").sub(pl.col("u").mul(pl.col("s")))).sum().alias("a"))
      .groupBy("g").agg(pl.col("a").pow(2).sum().alias("aa"));
    put(fit.join(clustered, { on: "g" }).collectSync().toRecords(), (m, r) => {
      const u = num(r.u), n = num(r.n) ?? 0, ss = num(r.ss) ?? 0, quarters = num(r.quarters) ?? 0;
      if (u !== undefined && quarters >= 2 && ss > 0) {
        m.eoqUplift = {
          value: u,
          se: Math.sqrt((num(r.aa) ?? 0) * quarters / (quarters - 1)) / ss,
          n,
          df: quarters - 1,
        };
        m.eoqUpliftEntities = betweenEstimate(eoqSpread, String(r.g), u);
      }
    });
  }
  // Holiday dip: weekday holidays outside the window, each against plain weekdays within 14 days.
  if (holidays.length > 0) {
    const hol = D.lazy().filter(pl.col("holiday").and(pl.col("weekend").not()).and(pl.col("eoq").not()))
      .select(pl.col("g"), pl.col("day").alias("h"), pl.col("x").alias("xh"));
    const near = hol.join(weekdays.filter(pl.col("eoq").not()).select("g", "day", "x"), { on: "g" })
      .filter(pl.col("day").sub(pl.col("h")).abs().ltEq(14))
      .groupBy(["g", "h"]).agg(pl.col("xh").first().alias("xh"), pl.col("x").mean().alias("b"))
      .select(pl.col("g"), pl.lit(1).sub(pl.col("xh").div(pl.col("b"))).alias("dip"));
    put(
      near.groupBy("g").agg(pl.col("dip").mean().alias("m"), pl.col("dip").std().alias("sd"), pl.len().alias("n"))
        .collectSync().toRecords(),
      (m, r) => {
        const value = num(r.m), n = num(r.n) ?? 0;
        if (value !== undefined && n >= 2) m.holidayDip = { value, se: (num(r.sd) ?? 0) / Math.sqrt(n), n, df: n - 1 };
      },
    );
  }
  return groups.map((x) => out.get(x)!);
}

/**
 * The variance of the end-of-quarter ramp over the days the quarter check uses (the window, rising linearly to 1,
 * and as many days before it, at 0), per unit of uplift squared.
 */
function rampVariance(days: number): number {
  if (days <= 0) return 0;
  const v = Array.from({ length: 2 * days }, (_, i) => (i < days ? (days - i) / days : 0));
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
}

/**
 * Seasonality checks, measured and not assumed ({@linkcode seasonalMeasures}): autocorrelation at 24 h (hourly),
 * 7 days and one quarter must show each configured cycle (warnings); the seasonal strength is reported (info);
 * the weekend ratio, end-of-quarter uplift and holiday dip must match the configured factors within
 * `max(tolerance, k standard errors)` (errors), k the dataset's family-wise multiplier (3 for one check, about
 * 4.1 among 130: see `familyWise`); with few clusters the multiplier is Student's t at the same coverage, so a
 * one-year dataset with four quarter ends gets the wide allowance it deserves.
 *
 * @param df the dataset
 * @param options metric, columns, cadence, holidays and targets
 * @returns `seasonality.*:<group>` results
 */
export function checkSeasonality(df: TableFrame, options: CheckSeasonalityOptions): CheckResult[] {
  const { metric, entity, group, targets = {}, minAcf = 0.1, tolerance = 0.05, cadenceMs } = options;
  const lacking = [metric, entity, options.timestamp ?? "timestamp", ...(group ? [group] : [])]
    .filter((c) => !df.columns.includes(c));
  if (lacking.length > 0) return [notMeasured("seasonality.measures", `column "${lacking[0]}" is missing`)];
  const measures = seasonalMeasures(df, options);
  if (measures.length === 0) return [notMeasured("seasonality.measures", "no usable timestamps or values")];
  const out: CheckResult[] = [];
  const groups = Object.keys(targets).length > 0 ? Object.keys(targets) : measures.map((m) => m.group);
  for (const name of groups) {
    const m = measures.find((x) => x.group === name);
    const target = targets[name] ?? {};
    if (m === undefined) {
      out.push(notMeasured(`seasonality.measures:${name}`, `no rows in group "${name}"`));
      continue;
    }
    const cycle = (
      id: string,
      label: string,
      value: number | undefined,
      expected: boolean,
      power?: { signal: number; noise: number | undefined; pairs: number | undefined },
    ): void => {
      if (value === undefined) {
        out.push(notMeasured(`${id}:${name}`, `too little data for the ${label} lag`));
        return;
      }
      // Whether the sample can decide: the autocorrelation the configured effect would give against the measured
      // noise (signal / (signal + noise), a lower bound) must clear the threshold by 3 null standard errors
      // (1 / sqrt(pairs)); a median over more entities has less noise (variance ~ 1 / entities).
      // Entities differ in their calendars (the realistic model draws each server's own factors around the
      // archetype's), so below 3 entities the group's median series says little about the configured figure.
      if (expected && (m.entities ?? 0) < MIN_ENTITIES && value < minAcf) {
        out.push(
          skipped(`${id}:${name}`, {
            n: `${m.entities ?? 0} entities`,
            need: `${MIN_ENTITIES} entities`,
            measured: Number(value.toFixed(4)),
          }),
        );
        return;
      }
      // A detected cycle must also stand out from no cycle: 3 null standard errors (1 / sqrt(pairs)) when wider.
      const se0 = power?.pairs ? 1 / Math.sqrt(power.pairs) : 0;
      const threshold = Math.max(minAcf, 3 * se0);
      if (expected && power && power.noise !== undefined && power.pairs !== undefined && power.pairs > 0) {
        const need = threshold + 3 * se0;
        // Halved: entities carry their own calendars around the configured one (the realistic model), which the
        // lower bound does not see; measured on the false-failure sweep.
        const reach = 0.5 * power.signal / (power.signal + power.noise);
        if (reach < need && value < threshold) {
          const k = m.entities ?? 1;
          // The noise that would let the halved bound reach `need`: 0.5 s / (s + n) >= need.
          const wanted = need < 0.5 ? power.signal * (0.5 / need - 1) : 0;
          const more = wanted > 0 ? Math.ceil(k * power.noise / wanted) : Infinity;
          out.push(
            skipped(`${id}:${name}`, {
              n: `${k} entities (expected autocorrelation ${reach.toFixed(3)})`,
              need: Number.isFinite(more) ? `${more} entities` : `${Math.ceil((3 / (0.5 - minAcf)) ** 2)} lag pairs`,
              measured: Number(value.toFixed(4)),
            }),
          );
          return;
        }
      }
      out.push(check({
        id: `${id}:${name}`,
        severity: expected ? "warning" : "info",
        passed: !expected || value >= threshold,
        measured: Number(value.toFixed(4)),
        threshold: expected ? `>= ${Number(threshold.toFixed(3))}` : "-",
        message: `${name}: autocorrelation of the median ${metric} series at ${label} is ${value.toFixed(3)}${
          expected
            ? (value >= threshold ? ", the configured cycle is detected" : ", the configured cycle is not detected")
            : ""
        }`,
      }));
    };
    const off = (x: number | undefined, neutral: number) => x !== undefined && Math.abs(x - neutral) >= 0.05;
    // The daily cycle as a business-hours block (about 9 of 24 hours) at the configured multiplier.
    const b = target.businessHoursMultiplier ?? 1, bp = 9 / 24, bmean = 1 + bp * (b - 1);
    if (cadenceMs < DAY_MS) {
      cycle("seasonality.acf_24h", "24 h", m.acf24h, off(target.businessHoursMultiplier, 1), {
        signal: bp * (1 - bp) * (b - 1) ** 2 * ((m.level ?? 0) / bmean) ** 2,
        noise: m.noise,
        pairs: m.pairs24h,
      });
    }
    const level = m.level ?? 0;
    const w = target.weekendMultiplier ?? 1, mean = (5 + 2 * w) / 7;
    cycle("seasonality.acf_7d", "7 days", m.acf7d, off(target.weekendMultiplier, 1), {
      signal: (10 / 49) * (1 - w) ** 2 * (level / mean) ** 2,
      noise: m.noise,
      pairs: m.pairs7d,
    });
    cycle("seasonality.acf_quarter", "one quarter", m.acfQuarter, (target.eoq?.uplift ?? 0) >= 0.1, {
      signal: (target.eoq?.uplift ?? 0) ** 2 * level ** 2 * rampVariance(target.eoq?.days ?? 0),
      noise: m.noiseQuarter,
      pairs: m.pairsQuarter,
    });
    if (m.strength !== undefined) {
      out.push(check({
        id: `seasonality.strength:${name}`,
        severity: "info",
        passed: true,
        measured: Number(m.strength.toFixed(4)),
        threshold: "0-1",
        message: `${name}: seasonal strength of the median ${metric} series (weekly${
          cadenceMs < DAY_MS ? " and daily" : ""
        } phase) is ${m.strength.toFixed(3)}`,
      }));
    }
    const factor = (
      id: string,
      label: string,
      value: Estimate | undefined,
      expected: number | readonly [number, number] | undefined,
      unit: string,
      between?: Estimate,
    ): void => {
      if (expected === undefined) return;
      // A configured range (holiday reductions drawn per server and day from [min, max]) accepts its whole span:
      // the clipping of low values at 0 pulls a noisy group's measured dip toward the range's low end.
      const [lo, hi] = typeof expected === "number" ? [expected, expected] : expected;
      const shown = lo === hi ? `${Number(lo.toFixed(4))}` : `${Number(lo.toFixed(4))}-${Number(hi.toFixed(4))}`;
      if (value === undefined) {
        out.push(notMeasured(`${id}:${name}`, `no ${unit} to measure the ${label} on`));
        return;
      }
      const k = between?.n ?? m.entities ?? 0;
      if (k < MIN_ENTITIES) {
        out.push(
          skipped(`${id}:${name}`, {
            n: `${k} entities`,
            need: `${MIN_ENTITIES} entities`,
            measured: Number(value.value.toFixed(4)),
          }),
        );
        return;
      }
      out.push(statistical((level) => {
        const kv = coverageMultiplier(value.df, level.coverage);
        const kb = between ? coverageMultiplier(between.df, level.coverage) : 0;
        const allowed = Math.max(tolerance, kv * value.se, between ? kb * between.se : 0);
        const ok = value.value >= lo - allowed && value.value <= hi + allowed;
        const k = between && kb * between.se > kv * value.se ? kb : kv;
        return check({
          id: `${id}:${name}`,
          severity: "error",
          passed: ok,
          measured: Number(value.value.toFixed(4)),
          threshold: `${shown} ± ${Number(allowed.toFixed(3))}`,
          message: `${name}: ${label} ${value.value.toFixed(3)} (±${value.se.toFixed(3)} s.e., ${value.n} ${unit}), ` +
            `configured ${shown}; ` +
            (allowed > tolerance ? levelNote(level, k) : `tolerance ${tolerance} (wider than ${levelNote(level, k)})`),
        });
      }));
    };
    factor(
      "seasonality.weekend_ratio",
      "weekend/weekday level",
      m.weekendRatio,
      target.weekendMultiplier,
      "weeks",
      m.weekendRatioEntities,
    );
    factor(
      "seasonality.eoq_uplift",
      "end-of-quarter uplift",
      m.eoqUplift,
      target.eoq?.uplift,
      "window days",
      m.eoqUpliftEntities,
    );
    const r = target.holidayReduction;
    factor("seasonality.holiday_dip", "holiday dip", m.holidayDip, r, "holidays");
  }
  return out;
}
