import pl from "nodejs-polars";
import { collectParts, type TableFrame } from "@lib/lake/mod.ts";
import { check, levelNote, notMeasured, skipped, statistical } from "./result.ts";
import type { CheckResult } from "./types.ts";
import { epochMs } from "./time.ts";
import { coverageMultiplier, mix32 } from "./_stats.ts";

/** Options of {@linkcode residualCorrelations}. */
export interface ResidualCorrelationOptions {
  /** Column whose groups get one matrix each (e.g. `server_type`). */
  group: string;
  /**
   * Calendar columns (or expressions) whose combinations, with the entity, define the seasonal level the
   * `calendar` method removes.
   */
  calendar: (string | pl.Expr)[];
  /** The entity column (e.g. `server_id`). @default "server_id" */
  entity?: string;
  /** The timestamp column, for the `cross-section` method. @default "timestamp" */
  timestamp?: string;
  /** Bounds of each metric, where values are clipped (censored); see `censorSigmas`. @default {} */
  bounds?: Record<string, [number, number]>;
  /** Rows whose residual lies this many robust standard deviations below the level are left out. @default 3.5 */
  outlierSigmas?: number;
  /**
   * Rows whose residual lies this many robust standard deviations above the level are left out: bursts lift
   * several metrics at once and would otherwise count as correlated noise. @default 2.5
   */
  spikeSigmas?: number;
  /**
   * How the seasonal level is removed. `cross-section`: each value less its entity's yearly level times the
   * group's median level at that instant (the calendar shared by the group, measured, not assumed); needs
   * `minEntities` per group. `calendar`: each value less the median of its (entity, calendar) cell. `auto` picks
   * `cross-section` when every group has enough entities. @default "auto"
   */
  method?: "auto" | "cross-section" | "calendar";
  /**
   * A pair leaves out rows where either metric's expected level lies within this many noise scales of one of
   * its bounds (where clipping would censor the noise). @default 2
   */
  censorSigmas?: number;
  /** The share of a pair's rows the censoring cut must keep to be used, else the pair uses every row. @default 0.3 */
  minClearShare?: number;
  /**
   * Divide each entity's residuals by its robust noise scale before pooling, so the figure is the typical
   * entity's noise correlation, not one weighted towards the entities with the largest values (with levels that
   * differ by orders of magnitude, unscaled pooling mixes entities whose metric scales differ and attenuates r).
   * @default false
   */
  standardize?: boolean;
  /** Entities a group needs for the `cross-section` method. @default 8 */
  minEntities?: number;
  /**
   * Rows the figures are estimated on: above this, whole timestamps are sampled by a stable hash (the standard
   * error of r on a group's share of half a million rows is about 0.003). @default 500_000
   */
  maxRows?: number;
}

/** Measured correlation of one pair of metrics in one group. */
export interface MeasuredCorrelation {
  /** The group value. */
  group: string;
  /** First metric column. */
  x: string;
  /** Second metric column. */
  y: string;
  /** Pearson r of their residuals. */
  r: number;
  /** Rows the figure is measured on. */
  n: number;
  /**
   * Standard error of `r`, from the spread of the correlations of its clusters (entity-months: residuals persist
   * for days and an entity's rows err together, so rows are not independent), or NaN below two clusters.
   */
  se: number;
  /** Clusters (entity x 31-day block) with at least 10 rows, the units the standard error is measured on. */
  clusters: number;
  /**
   * Standard error of `r` from the spread of the entities' own correlations (entities differ: level, clipping,
   * regimes), or NaN below two entities.
   */
  seEntity: number;
  /** Entities with at least 10 rows. */
  entities: number;
}

/**
 * Pearson correlations of de-seasonalised metrics, per group, so what is measured is the correlation of the noise,
 * not of shared seasonality or bursts. The seasonal level is removed by the cross-section of the group (see
 * `method`), clipped rows and spikes (beyond `outlierSigmas` robust standard deviations of the entity) are left
 * out.
 *
 * @param df the dataset
 * @param metrics the metric columns, at least two
 * @param options grouping, calendar and method
 * @returns one entry per group and metric pair
 * @example
 * ```ts ignore
 * residualCorrelations(df, ["cpu_p95", "mem_p95"], { group: "server_type", calendar: ["month", "is_weekend"] });
 * ```
 */
export function residualCorrelations(
  df: TableFrame,
  metrics: string[],
  options: ResidualCorrelationOptions,
): MeasuredCorrelation[] {
  const {
    group,
    calendar,
    entity = "server_id",
    timestamp = "timestamp",
    bounds = {},
    outlierSigmas = 3.5,
    spikeSigmas = 3.5,
    censorSigmas = 2,
    minClearShare = 0.3,
    method = "auto",
    standardize = false,
    minEntities = 8,
    maxRows = 500_000,
  } = options;
  if (metrics.length < 2) throw new RangeError(`Cannot correlate: need at least two metrics, got ${metrics.length}`);
  let present: pl.Expr = pl.lit(true);
  for (const c of metrics) present = present.and(pl.col(c).isNotNull()).and(pl.col(c).isNotNan());
  const t = df.columns.includes(timestamp)
    ? epochMs(timestamp, (df.schema as Record<string, pl.DataType>)[timestamp])
    : undefined;
  // File by file for a scanned table (rows are only filtered, so the result is the same): memory follows the files
  // being read.
  let keep: pl.Expr = present;
  const k = Math.ceil(df.height / maxRows);
  if (k > 1 && t !== undefined) {
    // Whole timestamps, so every entity of a sampled instant stays and the cross-section is complete; chosen by
    // a hash of the instant, so the sample never follows the daily or weekly cycle and does not depend on order.
    // (A group-by, not unique(): over stacked parts, unique() held 930 MB on 100 M rows, the group-by 224 MB.)
    const instants = collectParts(df, (part) => part.groupBy(t.alias("t")).agg(pl.len().alias("__n")))
      .getColumn("t").unique().sort().toArray() as unknown[];
    // The `calendar` method takes medians over each entity's calendar cells (a month at an hour): sampled instants
    // would leave a cell one or two values, whose medians leave residuals that are mostly zero, and the robust
    // noise scale with them; so it samples whole 31-day blocks, and the cells stay whole.
    const block = method === "calendar" ? 31 * 86_400_000 : 1;
    keep = keep.and(t.isIn(instants.map(Number).filter((x) => mix32(Math.floor(x / block)) % k === 0)));
  }
  // The few columns needed, once; then one group at a time, so windows never span the whole table.
  const sampled = collectParts(df, (part) =>
    part.filter(keep).select(
      pl.col(group).cast(pl.String).alias("__g"),
      pl.col(entity).alias("__e"),
      ...(t !== undefined ? [t.alias("__t")] : []),
      ...metrics.map((c) => pl.col(c)),
      ...calendar.map((x, i) => (typeof x === "string" ? pl.col(x) : x).alias(`__cal${i}`)),
    ));
  let use = method;
  if (use === "auto") {
    const fewest = Number(
      sampled.lazy().groupBy("__g").agg(pl.col("__e").nUnique().alias("k")).select(pl.col("k").min()).collectSync()
        .getColumn("k").get(0) ?? 0,
    );
    use = fewest >= minEntities && t !== undefined ? "cross-section" : "calendar";
  }
  const groups = (sampled.getColumn("__g").unique().toArray() as (string | null)[]).filter((x): x is string =>
    x !== null
  ).sort();
  return groups.flatMap((name) =>
    measureGroup(sampled.lazy().filter(pl.col("__g").eq(pl.lit(name))), name, metrics, {
      method: use as "cross-section" | "calendar",
      timed: t !== undefined,
      calendar: calendar.length,
      bounds,
      outlierSigmas,
      spikeSigmas,
      censorSigmas,
      minClearShare,
      standardize,
    })
  );
}

/** Length of the time blocks that, per entity, form the clusters of the standard error: 31 days. */
const CLUSTER_MS = 31 * 86_400_000;

interface GroupOptions {
  /** Whether rows carry `__t`. */
  timed: boolean;
  method: "cross-section" | "calendar";
  calendar: number;
  bounds: Record<string, [number, number]>;
  outlierSigmas: number;
  spikeSigmas: number;
  censorSigmas: number;
  minClearShare: number;
  standardize: boolean;
}

/** The residual correlations of one group's rows (columns `__e`, `__t`, the metrics and `__cal<i>`). */
function measureGroup(
  rows: pl.LazyDataFrame,
  name: string,
  metrics: string[],
  o: GroupOptions,
): MeasuredCorrelation[] {
  const { bounds, outlierSigmas, spikeSigmas, censorSigmas, minClearShare } = o;
  const exp = (c: string) => `${c}__exp`;
  let res: pl.LazyDataFrame;
  if (o.method === "cross-section") {
    const lvl = (c: string) => `${c}__lvl`;
    // Each entity's yearly level (a 365.2425-day year is close enough for a level), times the group's median
    // relative level at the instant: the calendar the group shares, measured.
    res = rows.withColumns(
      ...metrics.map((c) => pl.col(c).mean().over("__e", pl.col("__t").div(31_556_952_000).floor()).alias(lvl(c))),
    ).select(
      pl.col("__e"),
      pl.col("__t").div(CLUSTER_MS).floor().cast(pl.Int64).alias("__b"),
      ...metrics.map((c) => pl.col(c)),
      ...metrics.map((c) => pl.col(lvl(c)).mul(pl.col(c).div(pl.col(lvl(c))).median().over("__t")).alias(exp(c))),
    );
  } else {
    const keys = [pl.col("__e"), ...Array.from({ length: o.calendar }, (_, i) => pl.col(`__cal${i}`))];
    const [first, ...rest] = keys;
    res = rows.select(
      pl.col("__e"),
      (o.timed ? pl.col("__t").div(CLUSTER_MS).floor().cast(pl.Int64) : pl.lit(0)).alias("__b"),
      ...metrics.map((c) => pl.col(c)),
      ...metrics.map((c) => pl.col(c).median().over(first, ...rest).alias(exp(c))),
    );
  }
  // Residuals, and each entity's robust noise scale per metric.
  const sd = (c: string) => `${c}__sd`;
  res = res.withColumns(...metrics.map((c) => pl.col(c).sub(pl.col(exp(c))).alias(`${c}__res`)))
    .withColumns(...metrics.map((c) => pl.col(`${c}__res`).abs().median().over("__e").mul(1.4826).alias(sd(c))));
  // Clipping at a bound censors the noise. A pair leaves out the rows where either metric's expected level lies
  // within `censorSigmas` noise scales of a bound: choosing rows by their level, not their value, keeps the noise's
  // distribution whole. Where that leaves too few rows (a metric living near its bound), the pair keeps every row,
  // clipped values included: a censored value attenuates a correlation far less than dropping it (truncation)
  // would.
  const calmOf = (c: string): pl.Expr => {
    const within = pl.col(`${c}__res`).gtEq(pl.col(sd(c)).mul(-outlierSigmas))
      .and(pl.col(`${c}__res`).ltEq(pl.col(sd(c)).mul(spikeSigmas)));
    return o.standardize ? within.and(pl.col(sd(c)).gt(0)) : within;
  };
  const clearOf = (c: string): pl.Expr => {
    const b = bounds[c];
    if (!b) return pl.lit(true);
    const margin = pl.col(sd(c)).mul(censorSigmas);
    return pl.col(exp(c)).sub(margin).gt(b[0]).and(pl.col(exp(c)).add(margin).lt(b[1]));
  };
  res = res.select(
    pl.col("__e"),
    pl.col("__b"),
    ...metrics.map((c) => (o.standardize ? pl.col(`${c}__res`).div(pl.col(sd(c))) : pl.col(`${c}__res`)).alias(c)),
    ...metrics.map((c) => calmOf(c).alias(`${c}__calm`)),
    ...metrics.map((c) => clearOf(c).alias(`${c}__clear`)),
  );
  const pairs: [string, string][] = [];
  for (let i = 0; i < metrics.length; i++) {
    for (let j = i + 1; j < metrics.length; j++) pairs.push([metrics[i], metrics[j]]);
  }
  const calm = (x: string, y: string) => pl.col(`${x}__calm`).and(pl.col(`${y}__calm`));
  const clear = (x: string, y: string) => calm(x, y).and(pl.col(`${x}__clear`)).and(pl.col(`${y}__clear`));
  const corr = (x: string, y: string, keep: pl.Expr) => pl.pearsonCorr(pl.col(x).filter(keep), pl.col(y).filter(keep));
  const cached = res.collectSync().lazy();
  // Per cluster (entity x block), the same correlations: their spread gives the standard error.
  const perCluster = cached.groupBy(["__e", "__b"]).agg(
    ...pairs.flatMap(([x, y]) => [
      corr(x, y, calm(x, y)).alias(`${x}|${y}|calm`),
      calm(x, y).sum().alias(`${x}|${y}|calm_n`),
      corr(x, y, clear(x, y)).alias(`${x}|${y}|clear`),
      clear(x, y).sum().alias(`${x}|${y}|clear_n`),
    ]),
  ).collectSync();
  const perEntity = cached.groupBy("__e").agg(
    ...pairs.flatMap(([x, y]) => [
      corr(x, y, calm(x, y)).alias(`${x}|${y}|calm`),
      calm(x, y).sum().alias(`${x}|${y}|calm_n`),
      corr(x, y, clear(x, y)).alias(`${x}|${y}|clear`),
      clear(x, y).sum().alias(`${x}|${y}|clear_n`),
    ]),
  ).collectSync();
  const clusterSe = (x: string, y: string, which: string, frame = perCluster): [number, number] => {
    const r = frame.getColumn(`${x}|${y}|${which}`).toArray() as (number | null)[];
    const n = frame.getColumn(`${x}|${y}|${which}_n`).toArray() as number[];
    const used = r.filter((v, i) => v !== null && Number.isFinite(v) && Number(n[i]) >= 10) as number[];
    if (used.length < 2) return [NaN, used.length];
    const mean = used.reduce((a, b) => a + b, 0) / used.length;
    const sd = Math.sqrt(used.reduce((a, b) => a + (b - mean) ** 2, 0) / (used.length - 1));
    return [sd / Math.sqrt(used.length), used.length];
  };
  const out = cached.select(
    ...pairs.flatMap(([x, y]) => [
      corr(x, y, calm(x, y)).alias(`${x}|${y}|calm`),
      calm(x, y).sum().alias(`${x}|${y}|calm_n`),
      corr(x, y, clear(x, y)).alias(`${x}|${y}|clear`),
      clear(x, y).sum().alias(`${x}|${y}|clear_n`),
    ]),
  ).collectSync();
  return out.toRecords().flatMap((row) =>
    pairs.map(([x, y]) => {
      const nCalm = Number(row[`${x}|${y}|calm_n`]), nClear = Number(row[`${x}|${y}|clear_n`]);
      const useClear = nClear >= Math.max(30, minClearShare * nCalm);
      const [se, clusters] = clusterSe(x, y, useClear ? "clear" : "calm");
      const [seEntity, entities] = clusterSe(x, y, useClear ? "clear" : "calm", perEntity);
      return {
        group: name,
        x,
        y,
        r: Number(row[`${x}|${y}|${useClear ? "clear" : "calm"}`]),
        n: useClear ? nClear : nCalm,
        se,
        clusters,
        seEntity,
        entities,
      };
    })
  );
}

/** Options of {@linkcode checkCorrelation}. */
export interface CheckCorrelationOptions extends Omit<ResidualCorrelationOptions, "bounds"> {
  /** Short metric names (as the targets use them) to columns, e.g. `{ cpu: "cpu_p95" }`. */
  metrics: Record<string, string>;
  /** Bounds by short metric name. @default {} */
  bounds?: Record<string, [number, number]>;
  /** Target correlation per group and pair, the pair named `<x>_<y>` in either order, e.g. `cpu_mem`. */
  targets: Record<string, Record<string, number>>;
  /**
   * Smallest allowance of |measured - target|; the standard errors times the dataset's family-wise multiplier
   * (3 for one check, about 4.1 for 130; Student's t at the same coverage with few clusters) are allowed when
   * wider. @default 0.15
   */
  tolerance?: number;
  /** Clusters (entity-months) a pair needs to be judged; fewer give `skipped`. @default 6 */
  minClusters?: number;
  /** Entities a pair needs to be judged (their spread is part of the error); fewer give `skipped`. @default 3 */
  judgeEntities?: number;
  /** Rows a group needs to be measured. @default 100 */
  minRows?: number;
}

/**
 * Correlation checks: per group and metric pair, the residual Pearson correlation ({@linkcode residualCorrelations})
 * within `tolerance` of the target.
 *
 * @param df the dataset
 * @param options metrics, targets and tolerance
 * @returns `correlation.pearson:<group>:<x>_<y>` results
 */
export function checkCorrelation(df: TableFrame, options: CheckCorrelationOptions): CheckResult[] {
  const {
    metrics,
    targets,
    tolerance = 0.15,
    minRows = 100,
    minClusters = 6,
    judgeEntities = 3,
    bounds = {},
    ...rest
  } = options;
  const needEntities = judgeEntities;
  const names = Object.keys(metrics);
  const missing = [...Object.values(metrics), rest.group, rest.entity ?? "server_id"].filter((c) =>
    !df.columns.includes(c)
  );
  if (missing.length > 0) return [notMeasured("correlation.pearson", `column "${missing[0]}" is missing`)];
  const byColumn = Object.fromEntries(names.map((n) => [metrics[n], n]));
  const measured = residualCorrelations(df, Object.values(metrics), {
    ...rest,
    bounds: Object.fromEntries(Object.entries(bounds).map(([n, b]) => [metrics[n], b])),
  });
  const out: CheckResult[] = [];
  for (const [group, pairs] of Object.entries(targets)) {
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const [x, y] = [names[i], names[j]];
        const target = pairs[`${x}_${y}`] ?? pairs[`${y}_${x}`];
        if (target === undefined) continue;
        const id = `correlation.pearson:${group}:${x}_${y}`;
        const m = measured.find((r) => r.group === group && byColumn[r.x] === x && byColumn[r.y] === y);
        if (m === undefined || m.n < minRows || !Number.isFinite(m.r)) {
          out.push(notMeasured(id, `${m?.n ?? 0} usable rows in group "${group}" (need ${minRows})`));
          continue;
        }
        if (m.entities < needEntities || !Number.isFinite(m.seEntity)) {
          out.push(
            skipped(id, {
              n: `${m.entities} entities`,
              need: `${needEntities} entities`,
              measured: Number(m.r.toFixed(4)),
            }),
          );
          continue;
        }
        if (m.clusters < minClusters || !Number.isFinite(m.se)) {
          out.push(
            skipped(id, {
              n: `${m.clusters} entity-months`,
              need: `${minClusters} entity-months`,
              measured: Number(m.r.toFixed(4)),
            }),
          );
          continue;
        }
        out.push(statistical((level) => {
          const kc = coverageMultiplier(m.clusters - 1, level.coverage);
          const ke = coverageMultiplier(m.entities - 1, level.coverage);
          const allowed = Math.max(tolerance, kc * m.se, ke * m.seEntity);
          const ok = Math.abs(m.r - target) <= allowed;
          const k = kc * m.se >= ke * m.seEntity ? kc : ke;
          return check({
            id,
            severity: "error",
            passed: ok,
            measured: Number(m.r.toFixed(4)),
            threshold: `${target.toFixed(2)} ± ${Number(allowed.toFixed(3))}`,
            message: `${group}: ${x}-${y} residual correlation ${m.r.toFixed(3)} (±${m.se.toFixed(3)} s.e., ` +
              `${m.entities} entities, ${m.clusters} entity-months, ${m.n.toLocaleString("en-US")} rows), ` +
              `target ${target.toFixed(2)}${ok ? "" : ` (off by ${(m.r - target).toFixed(3)})`}; ` +
              (allowed > tolerance
                ? levelNote(level, k)
                : `tolerance ${tolerance} (wider than ${levelNote(level, k)})`),
          });
        }));
      }
    }
  }
  return out;
}
