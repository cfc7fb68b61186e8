import pl from "nodejs-polars";
import { join } from "node:path";
import { readManifest, readTable } from "@lib/lake/mod.ts";
import { sampleAcf } from "@lib/stats/acf.ts";
import { type Dist, dist, median, round } from "./_stats.ts";
import { type FidelityRoles, resolveRoles, roleTraits } from "./roles.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Points in the trailing baseline of the rolling z-score. */
export const Z_WINDOW = 60;
/** |z| above which a point counts as extreme. */
export const Z_EXTREME = 6;
/** Largest share of normal points flagged by the difficulty detector. */
export const FALSE_ALARM_RATE = 0.001;

/** Where a profile's numbers come from. */
export interface ProfileSource {
  /** Dataset or trace name. */
  name: string;
  /** The dataset kind. */
  kind: string;
  /** The dataset folder, when profiled from one. */
  path?: string;
  /** Provenance of real data: repository, commit, citation, licence. */
  repository?: string;
  commit?: string;
  citation?: string;
  url?: string;
  /** Anything else a reader should know. */
  note?: string;
}

/** The statistics of one metric. */
export interface MetricProfile {
  /** The column profiled. */
  column: string;
  /** Physical bounds of the role. */
  bounds: [number | null, number | null];
  /** A count series (step / level measured). */
  count: boolean;
  /** Pooled over every entity. */
  pooled: {
    /** All values. */
    values: Dist;
    /** Share of values exactly at the lower / upper bound (null without one). */
    at_lower: number | null;
    at_upper: number | null;
    /** Share of values above the upper bound. */
    above_upper: number | null;
    /** Share of normal points with |z| > 6 against the trailing 60-point baseline (zero-spread baselines left out). */
    z6_share: number | null;
  };
  /** Per-entity statistics, each as its distribution over entities (see {@linkcode ENTITY_STATS}). */
  entity: Record<string, Dist>;
}

/** The per-entity statistics a metric profile holds, with what each means. */
export const ENTITY_STATS: Readonly<Record<string, string>> = {
  mean: "mean level",
  sd: "standard deviation",
  cv: "coefficient of variation (sd / mean)",
  p05: "5th percentile",
  p50: "median",
  p95: "95th percentile",
  acf_1: "autocorrelation at lag 1 point",
  acf_24h: "autocorrelation at 24 h",
  acf_168h: "autocorrelation at 168 h",
  resid_acf_1: "lag-1 autocorrelation after removing hour-of-week means (day-of-week for daily data)",
  daily_share: "share of variance explained by hour-of-day means (daily-cycle share)",
  day_persistence: "correlation of consecutive daily means (day-to-day persistence)",
  weekend_ratio: "weekend mean / weekday mean",
  at_bounds: "share of values exactly at a bound",
  daily_p95_ratio: "median over days of (P95 of the day's hourly values / their mean)",
  kurt_diff: "excess kurtosis of first differences",
  z6_share: "share of normal points with |z| > 6 against the trailing 60-point baseline",
  step_level: "median |step| / median level (count series)",
};

/** How hard labelled anomalies are: the share a 60-point rolling z-score catches at <= 0.1 % false alarms. */
export interface DifficultyProfile {
  /** Labelled events (runs of labelled points per entity). */
  events: number;
  /** Events with a point at or above the threshold. */
  caught: number;
  /** caught / events. */
  caught_share: number | null;
  /** The threshold on max over metrics of |z|: the 99.9th percentile over normal points. */
  threshold: number | null;
  /** Normal points scored. */
  normal_points: number;
  /** Share of normal points at or above the threshold. */
  false_alarm_share: number | null;
}

/** A fidelity profile: statistics of a time-series dataset, small enough to commit. */
export interface FidelityProfile {
  format: "opslab-fidelity-profile";
  version: 1;
  source: ProfileSource;
  /** The roles profiled. */
  roles: FidelityRoles;
  /** The median spacing of points within an entity, in seconds. */
  cadence_s: number;
  /** `hourly`, `daily` or `<cadence>s`. */
  granularity: string;
  entities: number;
  rows: number;
  /** Per metric role. */
  metrics: Record<string, MetricProfile>;
  /** Per-entity Pearson correlation of metric pairs, `<role>~<role>`. */
  cross: Record<string, Dist>;
  /** Autocorrelation curve of the first metric: lags in hours, median and quartiles over entities. */
  acf_curve: { role: string; lags_h: number[]; median: number[]; p25: number[]; p75: number[] } | null;
  /** For labelled data. */
  difficulty: DifficultyProfile | null;
  /** Statistics left out, with the reason. */
  not_applicable: Record<string, string>;
}

/** Options of {@linkcode profileFrame}. */
export interface ProfileFrameOptions {
  /** The column roles (required: entity, time, metrics). */
  roles: FidelityRoles;
  /** Where the data come from. @default { name: "frame", kind: "unknown" } */
  source?: ProfileSource;
  /** Called as each phase starts (`statistics`, `autocorrelation <metric>`, ...), for a progress display. */
  onStep?: (step: string) => void;
}

function num(v: unknown): number {
  return v === null || v === undefined ? NaN : Number(v);
}

/** A column as a Float64Array, null as NaN. */
function floats(df: pl.DataFrame, e: pl.Expr): Float64Array {
  return df.select(e.cast(pl.Float64).fillNull(pl.lit(NaN)).alias("v")).getColumn("v").toTypedArray() as Float64Array;
}

/** A column's finite values, sorted, as a Float64Array (sorted by Polars). */
function sortedFloats(df: pl.DataFrame, column: string): Float64Array {
  const c = pl.col(column).cast(pl.Float64);
  return df.select(c.filter(c.isNotNull().and(c.isNotNan())).sort().alias("v")).getColumn("v")
    .toTypedArray() as Float64Array;
}

function share(a: number, b: number): number | null {
  return b > 0 ? round(a / b) : null;
}

function curveLags(cadenceMs: number, longest: number): number[] {
  if (cadenceMs === HOUR_MS) {
    const out = Array.from({ length: 48 }, (_, i) => i + 1);
    for (let h = 54; h <= 168; h += 6) out.push(h);
    return out.filter((k) => k < longest);
  }
  if (cadenceMs === DAY_MS) return Array.from({ length: 30 }, (_, i) => i + 1).filter((k) => k < longest);
  const n = Math.min(120, Math.floor(longest / 3));
  return Array.from({ length: n }, (_, i) => i + 1);
}

/**
 * Computes the fidelity profile of a table: per-entity statistics with Polars expressions grouped by entity,
 * autocorrelations on dense per-entity typed arrays (gaps stay gaps, so lags are time distances), pooled
 * quantiles and bound shares, cross-metric correlations, tail statistics against a trailing 60-point baseline,
 * and, with a label role, the anomaly difficulty.
 *
 * Statistics need the cadence they are defined on: `acf_24h` / `acf_168h` need a cadence dividing 24 h and
 * series long enough; `daily_share` and `daily_p95_ratio` need sub-daily data (`daily_p95_ratio`: hourly);
 * missing ones are listed in `not_applicable`.
 *
 * @param df the table
 * @param options roles and source
 * @returns the profile
 * @throws {RangeError} when a role's column is missing or the time column is not a date/time
 * @example
 * ```ts ignore
 * const p = profileFrame(df, { roles: { entity: "server_id", time: "timestamp", metrics: { cpu: "cpu_p95" } } });
 * p.metrics.cpu.entity.mean.median;
 * ```
 */
export function profileFrame(df: pl.DataFrame, options: ProfileFrameOptions): FidelityProfile {
  const { roles, source = { name: "frame", kind: "unknown" }, onStep } = options;
  onStep?.("statistics");
  const schema = df.schema as Record<string, pl.DataType>;
  const cols = [roles.entity, roles.time, ...Object.values(roles.metrics), ...(roles.label ? [roles.label] : [])];
  for (const c of cols) {
    if (!(c in schema)) {
      throw new RangeError(
        `Cannot profile "${source.name}": column "${c}" is missing (columns: ${df.columns.join(", ")})`,
      );
    }
  }
  const tType = schema[roles.time] as unknown as { variant?: string };
  let t: pl.Expr;
  if (tType.variant === "Date") t = pl.col(roles.time).cast(pl.Int32).cast(pl.Int64).mul(DAY_MS);
  else if (tType.variant === "Datetime") {
    t = pl.col(roles.time).cast(pl.Datetime("ms", (tType as { timeZone?: string }).timeZone || undefined))
      .cast(pl.Int64);
  } else throw new RangeError(`Cannot profile "${source.name}": time column "${roles.time}" is not a date/time`);
  const offset = Math.round((roles.utcOffsetHours ?? 0) * HOUR_MS);
  const roleNames = Object.keys(roles.metrics);
  const E = "__e", T = "__t";
  let base = df.select(
    pl.col(roles.entity).cast(pl.Utf8).alias(E),
    t.alias(T),
    ...roleNames.map((r) => pl.col(roles.metrics[r]).cast(pl.Float64).alias(r)),
    ...(roles.label ? [pl.col(roles.label).cast(pl.Bool).fillNull(false).alias("__label")] : []),
  ).filter(pl.col(E).isNotNull().and(pl.col(T).isNotNull()));
  // Generators and ingesters write tables sorted by entity and time: sort only when this one is not.
  const unsorted = pl.col(E).lt(pl.col(E).shift(1))
    .or(pl.col(E).eq(pl.col(E).shift(1)).and(pl.col(T).lt(pl.col(T).shift(1))));
  if (base.select(unsorted.fillNull(false).any()).row(0)[0]) base = base.sort([E, T]);
  // Integer entity codes (the table is sorted by entity): grouping and windows on integers are far cheaper.
  base = base.withColumns(pl.col(E).neq(pl.col(E).shift(1)).fillNull(true).cast(pl.Int32).cumSum().alias(E));
  // Calendar in the data's local time: day number, hour, Monday-based weekday, hour of week.
  const local = pl.col(T).add(offset);
  base = base.withColumns(
    local.div(DAY_MS).floor().cast(pl.Int64).alias("__day"),
    local.modulo(DAY_MS).div(HOUR_MS).floor().cast(pl.Int64).alias("__hour"),
  ).withColumns(pl.col("__day").add(3).modulo(7).alias("__dow")).withColumns(
    pl.col("__dow").gtEq(5).alias("__wkend"),
    pl.col("__dow").mul(24).add(pl.col("__hour")).alias("__how"),
  );
  const rows = base.height;
  const cadenceMs = num(
    base.select(pl.col(T).diff(1, "ignore").over(E).alias("d")).filter(pl.col("d").gt(0)).select(
      pl.col("d").median(),
    ).row(0)[0],
  );
  const cadence = Number.isFinite(cadenceMs) ? cadenceMs : DAY_MS;
  const granularity = cadence === HOUR_MS ? "hourly" : cadence === DAY_MS ? "daily" : `${cadence / 1000}s`;
  const notApplicable: Record<string, string> = {};
  const subDaily = cadence < DAY_MS;
  const seasonKey = subDaily ? "__how" : "__dow";
  const label = roles.label ? pl.col("__label") : pl.lit(false);

  // Rolling baseline and residual columns per metric, all windows within the entity. The windows roll over the
  // column as it is (no nulls introduced first, so Polars takes its fast kernel) and are shifted afterwards; as
  // the table is sorted by entity, a trailing window lies within the entity when the row Z_WINDOW back has it too.
  base = base.withColumns(
    pl.col(E).eq(pl.col(E).shift(Z_WINDOW)).fillNull(false).alias("__in"),
    ...roleNames.flatMap((r) => [
      pl.col(r).rollingMean({ windowSize: Z_WINDOW, minPeriods: Z_WINDOW }).shift(1).alias(`__mu_${r}`),
      pl.col(r).rollingStd({ windowSize: Z_WINDOW, minPeriods: Z_WINDOW }).shift(1).alias(`__sd_${r}`),
    ]),
  );
  base = base.withColumns(
    ...roleNames.map((r) => {
      const x = pl.col(r), sd = pl.col(`__sd_${r}`);
      return pl.when(pl.col("__in").and(sd.gt(0))).then(x.sub(pl.col(`__mu_${r}`)).div(sd)).otherwise(pl.lit(null))
        .alias(`__z_${r}`);
    }),
  );
  // Per-entity statistics with Polars.
  const aggs: pl.Expr[] = [pl.len().alias("__n")];
  for (const r of roleNames) {
    const x = pl.col(r);
    const [lo, hi] = roleTraits(r).bounds;
    const onBound = (lo === null ? pl.lit(false) : x.eq(lo)).or(hi === null ? pl.lit(false) : x.eq(hi));
    const z = pl.col(`__z_${r}`);
    const normalZ = z.filter(label.not().and(z.isNotNull()).and(z.isNotNan()));
    aggs.push(
      x.mean().alias(`${r}.mean`),
      x.std().alias(`${r}.sd`),
      x.std().div(x.mean()).alias(`${r}.cv`),
      x.quantile(0.05).alias(`${r}.p05`),
      x.quantile(0.5).alias(`${r}.p50`),
      x.quantile(0.95).alias(`${r}.p95`),
      x.filter(pl.col("__wkend")).mean().div(x.filter(pl.col("__wkend").not()).mean()).alias(`${r}.weekend_ratio`),
      onBound.cast(pl.Float64).filter(x.isNotNull()).mean().alias(`${r}.at_bounds`),
      x.diff(1, "ignore").kurtosis().alias(`${r}.kurt_diff`),
      normalZ.abs().gt(Z_EXTREME).cast(pl.Float64).mean().alias(`${r}.z6_share`),
      x.var().mul(x.count().sub(1)).alias(`${r}.ss`),
    );
    if (roleTraits(r).count) aggs.push(x.diff(1, "ignore").abs().median().div(x.median()).alias(`${r}.step_level`));
  }
  for (let i = 0; i < roleNames.length; i++) {
    for (let j = i + 1; j < roleNames.length; j++) {
      aggs.push(pl.pearsonCorr(roleNames[i], roleNames[j]).alias(`${roleNames[i]}~${roleNames[j]}`));
    }
  }
  const per = base.groupBy(E).agg(...aggs).sort(E);
  const entities = per.height;
  const col = (name: string) => per.getColumn(name).toArray() as (number | null)[];

  // Daily means (persistence) and, for hourly data, daily P95 / mean.
  const daily = base.groupBy([E, "__day"]).agg(
    pl.len().alias("__n"),
    ...roleNames.flatMap((r) => [
      pl.col(r).mean().alias(`${r}.dm`),
      pl.col(r).quantile(0.95).div(pl.col(r).mean()).alias(`${r}.dr`),
    ]),
  ).sort([E, "__day"]);
  const perDay = daily.groupBy(E).agg(
    ...roleNames.flatMap((r) => [
      pl.pearsonCorr(pl.col(`${r}.dm`), pl.col(`${r}.dm`).shift(1)).alias(`${r}.day_persistence`),
      pl.col(`${r}.dr`).filter(pl.col("__n").gtEq(20)).median().alias(`${r}.daily_p95_ratio`),
    ]),
  ).sort(E);
  const dayCol = (name: string) => perDay.getColumn(name).toArray() as (number | null)[];

  // Daily-cycle share: between-hour sum of squares (hour-of-day means around the entity mean) / total.
  const byHour = base.groupBy([E, "__hour"]).agg(
    pl.len().alias("__n"),
    ...roleNames.map((r) => pl.col(r).mean().alias(r)),
    ...roleNames.map((r) => pl.col(r).count().alias(`${r}.c`)),
  );
  const between = byHour.withColumns(
    ...roleNames.map((r) =>
      pl.col(r).sub(pl.col(r).mul(pl.col(`${r}.c`)).sum().over(E).div(pl.col(`${r}.c`).sum().over(E))).pow(2)
        .mul(pl.col(`${r}.c`)).alias(`${r}.b`)
    ),
  ).groupBy(E).agg(...roleNames.map((r) => pl.col(`${r}.b`).sum().alias(`${r}.b`))).sort(E);
  const dailyShare = (r: string) => {
    const b = between.getColumn(`${r}.b`).toArray() as (number | null)[];
    const ss = col(`${r}.ss`);
    return b.map((v, i) => v === null || ss[i] === null || !(ss[i]! > 0) ? NaN : v / ss[i]!);
  };

  // Autocorrelations on dense per-entity arrays.
  const counts = col("__n").map(Number);
  const times = base.getColumn(T).cast(pl.Float64).toTypedArray() as Float64Array;
  const lagPoints = (hours: number) => {
    const k = (hours * HOUR_MS) / cadence;
    return Number.isInteger(k) && k >= 1 ? k : NaN;
  };
  const lags = { acf_1: 1, acf_24h: lagPoints(24), acf_168h: lagPoints(168) };
  const longest = Math.max(0, ...counts);
  const curve = curveLags(cadence, longest);
  const acfStats: Record<string, Record<string, number[]>> = {};
  let curveRows: number[][] = [];
  for (const [ri, r] of roleNames.entries()) {
    onStep?.(`autocorrelation of ${r}`);
    const x = floats(base, pl.col(r));
    const season = floats(base, pl.col(seasonKey));
    const out: Record<string, number[]> = { acf_1: [], acf_24h: [], acf_168h: [], resid_acf_1: [] };
    let start = 0;
    for (const n of counts) {
      const t0 = times[start];
      const span = Math.round((times[start + n - 1] - t0) / cadence) + 1;
      const dense = new Float64Array(Math.max(span, 1)).fill(NaN);
      const denseR = new Float64Array(Math.max(span, 1)).fill(NaN);
      // Residuals from the entity's own hour-of-week (day-of-week for daily data) means.
      const sum = new Float64Array(168), cnt = new Float64Array(168);
      for (let i = start; i < start + n; i++) {
        if (Number.isNaN(x[i])) continue;
        sum[season[i]] += x[i];
        cnt[season[i]]++;
      }
      for (let i = start; i < start + n; i++) {
        const k = Math.round((times[i] - t0) / cadence);
        if (k >= 0 && k < span) {
          dense[k] = x[i];
          denseR[k] = x[i] - sum[season[i]] / cnt[season[i]];
        }
      }
      const want = [lags.acf_1, lags.acf_24h, lags.acf_168h].map((k) => Number.isNaN(k) ? 0 : k);
      const a = sampleAcf(dense, want.map((k) => k || 1));
      out.acf_1.push(a[0]);
      out.acf_24h.push(want[1] ? a[1] : NaN);
      out.acf_168h.push(want[2] ? a[2] : NaN);
      out.resid_acf_1.push(sampleAcf(denseR, [1])[0]);
      if (ri === 0) curveRows.push(sampleAcf(dense, curve));
      start += n;
    }
    acfStats[r] = out;
  }
  if (Number.isNaN(lags.acf_24h)) notApplicable.acf_24h = `cadence ${granularity} does not divide 24 h`;
  if (Number.isNaN(lags.acf_168h)) notApplicable.acf_168h = `cadence ${granularity} does not divide 168 h`;
  if (!subDaily) notApplicable.daily_share = "daily data has no hour of day";
  if (cadence !== HOUR_MS) notApplicable.daily_p95_ratio = `defined on hourly P95 data, this is ${granularity}`;

  const metrics: Record<string, MetricProfile> = {};
  for (const r of roleNames) {
    const traits = roleTraits(r);
    const entity: Record<string, Dist> = {};
    for (const s of ["mean", "sd", "cv", "p05", "p50", "p95", "weekend_ratio", "at_bounds", "kurt_diff", "z6_share"]) {
      entity[s] = dist(col(`${r}.${s}`));
    }
    if (traits.count) entity.step_level = dist(col(`${r}.step_level`));
    for (const s of ["acf_1", "acf_24h", "acf_168h", "resid_acf_1"]) {
      if (!(s in notApplicable)) entity[s] = dist(acfStats[r][s]);
    }
    if (subDaily) entity.daily_share = dist(dailyShare(r));
    entity.day_persistence = dist(dayCol(`${r}.day_persistence`));
    if (cadence === HOUR_MS) entity.daily_p95_ratio = dist(dayCol(`${r}.daily_p95_ratio`));
    const [lo, hi] = traits.bounds;
    const x = pl.col(r);
    const z = pl.col(`__z_${r}`);
    const pooled = base.select(
      x.isNotNull().sum().alias("n"),
      (lo === null ? pl.lit(0) : x.eq(lo).sum()).alias("lo"),
      (hi === null ? pl.lit(0) : x.eq(hi).sum()).alias("hi"),
      (hi === null ? pl.lit(0) : x.gt(hi).sum()).alias("above"),
      z.filter(label.not().and(z.isNotNull()).and(z.isNotNan())).count().alias("zn"),
      z.filter(label.not().and(z.isNotNull()).and(z.isNotNan())).abs().gt(Z_EXTREME).sum().alias("z6"),
    ).row(0).map(Number);
    const values = sortedFloats(base, r);
    metrics[r] = {
      column: roles.metrics[r],
      bounds: traits.bounds,
      count: traits.count,
      pooled: {
        values: dist(values),
        at_lower: lo === null ? null : share(pooled[1], pooled[0]),
        at_upper: hi === null ? null : share(pooled[2], pooled[0]),
        above_upper: hi === null ? null : share(pooled[3], pooled[0]),
        z6_share: share(pooled[5], pooled[4]),
      },
      entity,
    };
  }
  onStep?.("cross-metric correlations");
  const cross: Record<string, Dist> = {};
  for (let i = 0; i < roleNames.length; i++) {
    for (let j = i + 1; j < roleNames.length; j++) {
      const key = `${roleNames[i]}~${roleNames[j]}`;
      cross[key] = dist(col(key));
    }
  }
  let acfCurve: FidelityProfile["acf_curve"] = null;
  if (roleNames.length > 0 && curve.length > 0) {
    const cols = curve.map((_, li) => dist(curveRows.map((row) => row[li])));
    acfCurve = {
      role: roleNames[0],
      lags_h: curve.map((k) => round((k * cadence) / HOUR_MS)),
      median: cols.map((d) => d.median ?? NaN).map((v) => round(v, 4)),
      p25: cols.map((d) => d.q[25] ?? NaN).map((v) => round(v, 4)),
      p75: cols.map((d) => d.q[75] ?? NaN).map((v) => round(v, 4)),
    };
  }
  curveRows = [];
  const difficulty = roles.label ? measureDifficulty(base, roleNames) : null;
  if (!roles.label) notApplicable.difficulty = "no label role";
  return {
    format: "opslab-fidelity-profile",
    version: 1,
    source,
    roles,
    cadence_s: cadence / 1000,
    granularity,
    entities,
    rows,
    metrics,
    cross,
    acf_curve: acfCurve,
    difficulty,
    not_applicable: notApplicable,
  };
}

/**
 * The anomaly difficulty: each point's score is the largest |z| over the metrics against the trailing 60-point
 * baseline; the threshold is the 99.9th percentile of normal points' scores (so <= 0.1 % false alarms); an event
 * (a run of labelled points within an entity) is caught when one of its points reaches the threshold.
 */
function measureDifficulty(base: pl.DataFrame, roleNames: string[]): DifficultyProfile {
  const zs = roleNames.map((r) => pl.col(`__z_${r}`).abs().fillNan(null));
  const scored = base.select(
    pl.col("__e"),
    pl.col("__label"),
    (zs.length === 1 ? zs[0] : pl.maxHorizontal(zs)).alias("__score"),
  ).withColumns(
    pl.col("__label").cast(pl.Int32).diff(1, "ignore").fillNull(pl.col("__label").cast(pl.Int32)).over("__e")
      .neq(0).cast(pl.Int32).cumSum().alias("__run"),
  );
  const normal = scored.filter(pl.col("__label").not().and(pl.col("__score").isNotNull()));
  const thr = num(normal.select(pl.col("__score").quantile(1 - FALSE_ALARM_RATE, "higher")).row(0)[0]);
  const fa = Number.isFinite(thr)
    ? num(normal.select(pl.col("__score").gtEq(thr).cast(pl.Float64).mean()).row(0)[0])
    : NaN;
  const events = scored.filter(pl.col("__label")).groupBy(["__e", "__run"]).agg(pl.col("__score").max().alias("m"));
  const caught = Number.isFinite(thr) ? events.filter(pl.col("m").gtEq(thr)).height : 0;
  return {
    events: events.height,
    caught,
    caught_share: share(caught, events.height),
    threshold: Number.isFinite(thr) ? round(thr) : null,
    normal_points: normal.height,
    false_alarm_share: Number.isFinite(fa) ? round(fa) : null,
  };
}

/** Options of {@linkcode profileDataset}. */
export interface ProfileDatasetOptions {
  /** Role overrides on top of the kind's defaults. @default the kind's defaults */
  roles?: Partial<FidelityRoles>;
  /** The table to profile. @default the manifest's primary table */
  table?: string;
  /** Provenance to record instead of the manifest's. */
  source?: Partial<ProfileSource>;
  /** Called as each phase starts (`reading`, then {@linkcode profileFrame}'s), for a progress display. */
  onStep?: (step: string) => void;
}

/**
 * Profiles a lake dataset (a folder with `manifest.json`): reads its primary table (all part files), maps the
 * columns by role (the kind's defaults, then the overrides; a manifest config key `utc_offset_hours` sets the
 * local time) and calls {@linkcode profileFrame}.
 * @param dir the dataset folder
 * @param options roles, table, source
 * @returns the profile
 * @throws {Error} when the folder has no readable manifest; {@linkcode profileFrame}'s errors
 * @example
 * ```ts ignore
 * const p = await profileDataset("data/synthetic/capacity", { roles: { metrics: { cpu: "cpu_p95" } } });
 * ```
 */
export async function profileDataset(dir: string, options: ProfileDatasetOptions = {}): Promise<FidelityProfile> {
  const manifest = await readManifest(dir);
  const table = options.table ?? manifest.primary_table;
  const t = manifest.tables[table];
  if (!t) {
    throw new RangeError(
      `Cannot profile "${dir}": table "${table}" is not in the dataset (tables: ${
        Object.keys(manifest.tables).join(", ")
      })`,
    );
  }
  if (t.files.length === 0) throw new RangeError(`Cannot profile "${dir}": table "${table}" has no files`);
  options.onStep?.(`reading ${table}`);
  const frames = t.files.map((f) => readTable(join(dir, f)));
  const df = frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
  const cfg = (manifest.config ?? {}) as Record<string, unknown>;
  const roles = resolveRoles(manifest.kind, {
    ...(typeof cfg.utc_offset_hours === "number" ? { utcOffsetHours: cfg.utc_offset_hours } : {}),
    ...options.roles,
  });
  const src = manifest.source as { name?: string; url?: string; license?: string } | undefined;
  return profileFrame(df, {
    roles,
    ...(options.onStep ? { onStep: options.onStep } : {}),
    source: {
      name: manifest.name,
      kind: manifest.kind,
      path: dir,
      ...(src?.url ? { url: src.url } : {}),
      ...options.source,
    },
  });
}

/**
 * The median of a per-entity statistic, or of a pooled figure, for tables and tests.
 * @param d a distribution
 * @returns its median, or NaN
 */
export function medianOf(d: Dist | undefined): number {
  return d?.median ?? median([]);
}
