import pl from "nodejs-polars";
import { collectParts, lazyTable, partsOf, type TableFrame } from "@lib/lake/mod.ts";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { residualCorrelations } from "@lib/validate/correlation.ts";
import { numbers, strings, timeColumn } from "./_frame.ts";
import { metricColumns } from "./_series.ts";
import { type KindProfile, unitOf } from "./kinds.ts";
import type { CorrelationCell, CorrelationSummary, ScatterSample } from "./types.ts";
import type { DatasetValidation } from "@lib/validate/types.ts";

/**
 * The correlation figures of the validation results (`correlation.pearson:<group>:<x>_<y>` checks), so the report
 * shows exactly what the validator measured and judged.
 * @param validation the results
 * @param config the resolved config
 * @param profile the kind profile
 * @returns the section data, or null when the results hold no measured correlation
 */
export function correlationFromValidation(
  validation: DatasetValidation,
  input: { config: Record<string, unknown>; profile: KindProfile },
): CorrelationSummary | null {
  const { config, profile } = input;
  const spec = profile.correlation;
  if (spec === undefined) return null;
  const column = Object.fromEntries(Object.entries(spec.short).map(([col, short]) => [short, col]));
  const cells: CorrelationCell[] = [];
  for (const r of validation.results) {
    const m = /^correlation\.pearson:(.+):([A-Za-z0-9]+)_([A-Za-z0-9]+)$/.exec(r.id);
    if (m === null || typeof r.measured !== "number") continue;
    let [x, y] = [column[m[2]], column[m[3]]];
    if (x === undefined || y === undefined) continue;
    if (spec.metrics.indexOf(x) > spec.metrics.indexOf(y)) [x, y] = [y, x];
    const tol = /±\s*([0-9.]+)/.exec(r.threshold);
    const rows = /on ([0-9,]+) rows/.exec(r.message);
    const target = spec.target(config, m[1], x, y) ?? (Number.parseFloat(r.threshold) || null);
    cells.push({
      group: m[1],
      x,
      y,
      measured: r.measured,
      target,
      tolerance: tol ? Number(tol[1]) : spec.tolerance,
      passed: r.passed,
      n: rows ? Number(rows[1].replaceAll(",", "")) : null,
    });
  }
  if (cells.length === 0) return null;
  const order = (c: CorrelationCell) => spec.metrics.indexOf(c.x) * 100 + spec.metrics.indexOf(c.y);
  cells.sort((a, b) => a.group.localeCompare(b.group) || order(a) - order(b));
  return {
    metrics: spec.metrics,
    tolerance: Math.max(...cells.map((c) => c.tolerance)),
    source: "validation",
    method: "Pearson r of the de-seasonalised noise, as measured by the validator (deno task validate).",
    cells,
  };
}

/**
 * Measured noise correlations per group beside the configured targets, measured as the validator measures them
 * ({@linkcode residualCorrelations}); null when the kind declares no correlation targets or columns are missing.
 * @param df the primary table
 * @param config the resolved config from the manifest
 * @param profile the kind profile
 * @returns the section data, or null
 */
export function summarizeCorrelation(
  df: TableFrame,
  input: { config: Record<string, unknown>; profile: KindProfile },
): CorrelationSummary | null {
  const { config, profile } = input;
  const spec = profile.correlation;
  if (spec === undefined || profile.group === undefined || profile.entity === undefined) return null;
  const calendar = spec.calendar(config);
  const have = new Set(df.columns);
  let frame = df;
  if (calendar.includes("hour") && !have.has("hour")) {
    const time = timeColumn(df);
    if (time === null) return null;
    frame = lazyTable(
      df.lazy().select(
        ...[profile.group, profile.entity, time, ...spec.metrics, ...calendar.filter((c) => c !== "hour")].map((c) =>
          pl.col(c)
        ),
        pl.col(time).dt.hour().alias("hour"),
      ),
      df.height,
    );
    have.add("hour");
  }
  if (![profile.group, profile.entity, ...spec.metrics, ...calendar].every((c) => have.has(c))) return null;
  const measured = residualCorrelations(frame, spec.metrics, {
    group: profile.group,
    entity: profile.entity,
    calendar,
    bounds: spec.bounds,
    ...spec.measure?.(config),
  });
  return {
    metrics: spec.metrics,
    tolerance: spec.tolerance,
    source: "report",
    method: "Pearson r of the de-seasonalised noise (residualCorrelations of lib/validate, with the validator's " +
      "method for the kind), values at their bounds and spikes left out.",
    cells: measured.map((m) => {
      const target = spec.target(config, m.group, m.x, m.y);
      return {
        group: m.group,
        x: m.x,
        y: m.y,
        measured: m.r,
        target,
        tolerance: spec.tolerance,
        passed: target === null ? null : Math.abs(m.r - target) <= spec.tolerance,
        n: m.n,
      };
    }),
  };
}

/** `k` distinct sorted integers from `[0, n)` (Floyd's algorithm). */
function sampleIndices(rng: Rng, n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.int(0, j);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Rows sampled evenly per group for the scatter matrix. The rows are drawn from a seeded stream per group, so the
 * same data gives the same sample.
 * @param df the primary table
 * @param metrics the metric columns
 * @param profile the kind profile (group column, units)
 * @param options total points and seed
 * @returns the sample, or null when fewer than two metrics are present
 */
export function sampleScatter(
  df: TableFrame,
  metrics: string[],
  options: { profile: KindProfile; points: number; seed: number | string },
): ScatterSample | null {
  const { profile } = options;
  const present = metrics.filter((m) => df.columns.includes(m));
  if (present.length < 2 || df.height === 0) return null;
  const group = profile.group !== undefined && df.columns.includes(profile.group) ? profile.group : null;
  const groupExpr = group === null ? pl.lit("all").alias("__g") : pl.col(group).cast(pl.String).alias("__g");
  // File by file for a scanned table: a row's rank in its group is its rank in the file plus the group's rows in
  // the files before, so the sample is the same as over the whole table, and memory follows one file.
  const parts = partsOf(df);
  const partCounts = parts.map(() => new Map<string, number>());
  const counted = collectParts(
    df,
    (part, p) =>
      // One group needs no hashing: its count is the part's length.
      (group === null
        ? part.select(pl.len().alias("n")).select(pl.lit("all").alias("__g"), pl.col("n"))
        : part.select(groupExpr, pl.col(present[0])).groupBy("__g").agg(pl.len().alias("n")))
        .withColumns(pl.lit(p).alias("__p")),
  );
  for (const r of counted.sort(["__p", "__g"]).toRecords()) partCounts[Number(r.__p)].set(String(r.__g), Number(r.n));
  const totals = new Map<string, number>();
  for (const m of partCounts) for (const [g, n] of m) totals.set(g, (totals.get(g) ?? 0) + n);
  const groups = [...totals.keys()].sort();
  const per = Math.max(30, Math.floor(options.points / Math.max(1, groups.length)));
  const ranks = new Map(groups.map((g) => [
    g,
    sampleIndices(entityStream(options.seed, { dataset: "report", entity: `scatter:${g}` }), totals.get(g)!, per).map((
      r,
    ) => r + 1),
  ]));
  // The sampled rows as (part, group, rank in the part's group), joined to each part: isIn filters on a rank
  // held up to 3.7 GB over the 101 files of 100 M rows, the join under 400 MB.
  const wanted: { p: number[]; g: string[]; r: number[] } = { p: [], g: [], r: [] };
  const offsets = new Map<string, number>();
  partCounts.forEach((counts, p) => {
    for (const [g, n] of counts) {
      const from = offsets.get(g) ?? 0;
      for (const r of ranks.get(g)!) {
        if (r > from && r <= from + n) {
          wanted.p.push(p);
          wanted.g.push(g);
          wanted.r.push(r - from);
        }
      }
      offsets.set(g, from + n);
    }
  });
  const keys = pl.DataFrame([
    pl.Series("__p", Int32Array.from(wanted.p)),
    pl.Series("__g", wanted.g, pl.String),
    pl.Series("__rank", Uint32Array.from(wanted.r)),
  ]).lazy();
  const values = present.map((m) => pl.col(m).cast(pl.Float64));
  const sample = collectParts(df, (part, p) => {
    // One group: a row's rank is its position, picked by index before anything else is computed (a window and a
    // join over 1.4 M rows took a second).
    if (group === null) {
      // Gathered by position: no row index or join over the whole part (98 ms of a cold anomalies report).
      const at = pl.Series("__i", Uint32Array.from(wanted.r.filter((_, i) => wanted.p[i] === p).map((r) => r - 1)));
      return part.select(
        groupExpr,
        ...present.map((m) => pl.col(m).gather(at).cast(pl.Float64)),
        pl.lit(at).alias("__i"),
        pl.lit(p).cast(pl.Int32).alias("__p"),
      );
    }
    const rows = part.select(groupExpr, ...values).withRowIndex("__i")
      .withColumns(pl.lit(p).cast(pl.Int32).alias("__p"));
    return rows.withColumns(pl.col("__i").rank("ordinal").over("__g").cast(pl.UInt32).alias("__rank"))
      .join(keys, { on: ["__p", "__g", "__rank"], how: "semi" }).drop("__rank");
  }).sort(["__g", "__p", "__i"]);
  return {
    metrics: present,
    units: Object.fromEntries(present.map((m) => [m, unitOf(profile, m)])),
    group: strings(sample, "__g"),
    values: Object.fromEntries(present.map((m) => [m, numbers(sample, m)])),
  };
}

/** Rows a correlation without targets is measured on, at most. */
export const CORRELATION_ROWS = 500_000;

/**
 * Correlations of a table with no configured targets: Pearson r of every pair of its metrics within entities
 * (each entity's own mean removed, so level differences between entities do not make a correlation), on the rows
 * not labelled anomalous when the table is labelled, and on every k-th row of tables over
 * {@linkcode CORRELATION_ROWS} rows. Sums per entity are taken file by file, so memory follows one file.
 * @param df the table
 * @param profile the kind profile (metrics, entity, group)
 * @returns the section data, or null with fewer than two metrics or too few rows
 */
export function genericCorrelation(df: TableFrame, profile: KindProfile): CorrelationSummary | null {
  const metrics = metricColumns(df, { profile, max: 6 });
  if (metrics.length < 2 || df.height < 3) return null;
  const entity = profile.entity !== undefined && df.columns.includes(profile.entity)
    ? profile.entity
    : ["series_id", "server_id", "entity_id"].find((c) => df.columns.includes(c)) ?? null;
  const group = profile.group !== undefined && df.columns.includes(profile.group) ? profile.group : null;
  const labeled = df.columns.includes("is_anomaly");
  const pairs = metrics.flatMap((x, i) => metrics.slice(i + 1).map((y) => [x, y] as const));
  const x = (m: string) => pl.col(m).cast(pl.Float64);
  const finite = metrics.map((m) => x(m).isNotNull().and(x(m).isFinite())).reduce((a, b) => a.and(b));
  // Grouped by what the table has: a constant string key over every row costs as much as a real one.
  const keys = group === null ? ["__e"] : ["__g", "__e"];
  const sums = [
    pl.len().cast(pl.Float64).alias("n"),
    ...metrics.flatMap((m) => [x(m).sum().alias(`s:${m}`), x(m).pow(2).sum().alias(`q:${m}`)]),
    ...pairs.map(([a, b]) => x(a).mul(x(b)).sum().alias(`p:${a}:${b}`)),
  ];
  // Every k-th row of large tables (a fixed stride, so the same data gives the same figures): grouping every row
  // of a large table by a string id costs seconds.
  const stride = Math.max(1, Math.ceil(df.height / CORRELATION_ROWS));
  const parts = collectParts(
    df,
    (part) =>
      (stride === 1 ? part : part.withRowIndex("__i").filter(pl.col("__i").modulo(stride).eq(0)))
        .filter(labeled ? finite.and(pl.col("is_anomaly").cast(pl.Bool).fillNull(false).not()) : finite)
        .select(
          ...(group === null ? [] : [pl.col(group).cast(pl.String).alias("__g")]),
          (entity === null ? pl.lit(0) : pl.col(entity).cast(pl.String)).alias("__e"),
          ...metrics.map((m) => x(m).alias(m)),
        )
        .groupBy(keys).agg(...sums),
  );
  const names = parts.columns.filter((c) => !keys.includes(c));
  // Per entity: centred sums of squares and products; summed over the entities of each group.
  const summed = parts.groupBy(keys).agg(...names.map((c) => pl.col(c).sum().alias(c)));
  const perEntity = group === null ? summed.withColumns(pl.lit("all").alias("__g")) : summed;
  const centred = (a: string, b: string, raw: string) =>
    pl.col(raw).sub(pl.col(`s:${a}`).mul(pl.col(`s:${b}`)).div(pl.col("n")));
  const byGroup = perEntity.filter(pl.col("n").gtEq(2)).select(
    pl.col("__g"),
    pl.col("n"),
    ...metrics.map((m) => centred(m, m, `q:${m}`).alias(`v:${m}`)),
    ...pairs.map(([a, b]) => centred(a, b, `p:${a}:${b}`).alias(`c:${a}:${b}`)),
  ).groupBy("__g").agg(pl.exclude("__g").sum()).sort("__g");
  const cells: CorrelationCell[] = [];
  for (const r of byGroup.toRecords()) {
    for (const [a, b] of pairs) {
      const va = Number(r[`v:${a}`]), vb = Number(r[`v:${b}`]), c = Number(r[`c:${a}:${b}`]);
      if (!(va > 0 && vb > 0) || Number(r.n) < 3) continue;
      cells.push({
        group: String(r.__g),
        x: a,
        y: b,
        // To 9 decimals: parallel sums differ in their last bits from run to run; the page must not.
        measured: Math.round(Math.max(-1, Math.min(1, c / Math.sqrt(va * vb))) * 1e9) / 1e9,
        target: null,
        tolerance: 0,
        passed: null,
        n: Number(r.n),
      });
    }
  }
  if (cells.length === 0) return null;
  return {
    metrics,
    tolerance: 0,
    source: "profile",
    method: `Pearson r of each pair of metrics within ${entity === null ? "the table" : `each ${entity}`} (${
      entity === null ? "its mean" : "each one's own mean"
    } removed)${labeled ? ", on the rows not labelled anomalous" : ""}${
      stride > 1 ? `, on every ${ordinal(stride)} row of each file` : ""
    }; no targets are configured for this data.`,
    cells,
  };
}

function ordinal(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${tail}`;
}
