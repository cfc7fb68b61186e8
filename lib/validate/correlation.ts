import pl from "nodejs-polars";

/** Options of {@linkcode residualCorrelations}. */
export interface ResidualCorrelationOptions {
  /** Column whose groups get one matrix each (e.g. `server_type`). */
  group: string;
  /** Calendar columns whose combinations (with the entity) define the seasonal level to remove. */
  calendar: string[];
  /** The entity column (e.g. `server_id`). @default "server_id" */
  entity?: string;
  /** Bounds of each metric; rows with any metric at a bound (clipped, censored) are left out. @default {} */
  bounds?: Record<string, [number, number]>;
  /** Rows whose residual exceeds this many robust standard deviations (spikes) are left out. @default 3.5 */
  outlierSigmas?: number;
}

/** Measured correlation of one pair of metrics in one group. */
export interface MeasuredCorrelation {
  group: string;
  x: string;
  y: string;
  r: number;
  /** Rows the figure is measured on. */
  n: number;
}

/**
 * Pearson correlations of de-seasonalised metrics, per group: each value less the median of its (entity, calendar)
 * cell, with clipped rows and spikes (beyond `outlierSigmas` robust standard deviations) left out, so what is
 * measured is the correlation of the noise, not of shared seasonality or bursts.
 *
 * @param df the dataset
 * @param metrics the metric columns, at least two
 * @param options grouping and calendar columns
 * @returns one entry per group and metric pair
 */
export function residualCorrelations(
  df: pl.DataFrame,
  metrics: string[],
  options: ResidualCorrelationOptions,
): MeasuredCorrelation[] {
  const { group, calendar, entity = "server_id", bounds = {}, outlierSigmas = 3.5 } = options;
  let inside: pl.Expr = pl.lit(true);
  for (const [col, [lo, hi]] of Object.entries(bounds)) {
    if (metrics.includes(col)) inside = inside.and(pl.col(col).gt(lo)).and(pl.col(col).lt(hi));
  }
  let res = df.lazy().filter(inside).select(
    pl.col(group).cast(pl.String),
    pl.col(entity),
    ...metrics.map((c) => pl.col(c).sub(pl.col(c).median().over(entity, ...calendar)).alias(c)),
  );
  let calm: pl.Expr = pl.lit(true);
  for (const c of metrics) {
    calm = calm.and(pl.col(c).abs().ltEq(pl.col(c).abs().median().over(entity).mul(1.4826 * outlierSigmas)));
  }
  res = res.filter(calm);
  const pairs: [string, string][] = [];
  for (let i = 0; i < metrics.length; i++) {
    for (let j = i + 1; j < metrics.length; j++) pairs.push([metrics[i], metrics[j]]);
  }
  const out = res.groupBy(group).agg(
    pl.len().alias("__n"),
    ...pairs.map(([x, y]) => pl.pearsonCorr(x, y).alias(`${x}|${y}`)),
  ).sort(group).collectSync();
  const rows = out.toRecords();
  return rows.flatMap((row) =>
    pairs.map(([x, y]) => ({
      group: String(row[group]),
      x,
      y,
      r: Number(row[`${x}|${y}`]),
      n: Number(row["__n"]),
    }))
  );
}
