import pl from "nodejs-polars";

/** Options of {@linkcode lagCorrelation}. */
export interface LagCorrelationOptions {
  /** The group column: one coefficient per group. @default "g" */
  by?: string;
  /** The time (or other ordered, integer) key the lag is counted on. @default "t" */
  key?: string;
  /** The value column. @default "x" */
  value?: string;
  /** Further columns a pair must share (e.g. the day's distance to the quarter end, for a lag of one quarter). @default [] */
  on?: string[];
  /** Centre the values on their group's mean first (the result is the same up to rounding). @default true */
  centre?: boolean;
}

/** Rows times lags up to which {@linkcode lagCorrelation} pairs values in memory rather than by joins. */
const IN_MEMORY_PAIRS = 20_000_000;

/**
 * {@linkcode lagCorrelation} on columns held in memory: per group, the rows sorted by key, each row paired with
 * every row whose key is exactly `lag` less (so duplicates pair as a join pairs them), and the Pearson r of the
 * pairs with both values present (two passes: means, then centred sums). Groups come in sorted order for each lag.
 */
function pairedCorrelation(
  cols: { g: (string | null)[]; t: (number | null)[]; x: (number | null)[] },
  options: { lags: readonly number[]; centre: boolean },
): { g: string; lag: number; r: number | null; n: number }[] {
  const { g, t, x } = cols;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < g.length; i++) {
    if (t[i] === null) continue;
    const k = String(g[i]);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [i]);
    else list.push(i);
  }
  const series = [...groups.keys()].sort().map((k) => {
    const idx = groups.get(k)!.sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
    const keys = Float64Array.from(idx, (i) => t[i] as number);
    let mean = 0;
    if (options.centre) {
      let s = 0, n = 0;
      for (const i of idx) {
        if (x[i] !== null) {
          s += x[i] as number;
          n++;
        }
      }
      mean = n > 0 ? s / n : NaN;
    }
    const values = idx.map((i) => x[i] === null ? null : (x[i] as number) - mean);
    return { g: k, keys, values };
  });
  const out: { g: string; lag: number; r: number | null; n: number }[] = [];
  for (const lag of options.lags) {
    for (const { g: name, keys, values } of series) {
      const a: number[] = [], b: number[] = [];
      let n = 0, j = 0;
      for (let i = 0; i < keys.length; i++) {
        const want = keys[i] - lag;
        while (j < keys.length && keys[j] < want) j++;
        for (let k = j; k < keys.length && keys[k] === want; k++) {
          n++;
          const va = values[i], vb = values[k];
          if (va !== null && vb !== null) {
            a.push(va);
            b.push(vb);
          }
        }
      }
      if (n === 0) continue;
      out.push({ g: name, lag, r: pearson(a, b), n });
    }
  }
  return out;
}

/** Pearson r of two equal-length samples, or null when fewer than two or either is constant. */
function pearson(a: number[], b: number[]): number | null {
  if (a.length < 2) return null;
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.length;
  mb /= b.length;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  const r = sab / Math.sqrt(saa * sbb);
  return Number.isFinite(r) ? r : null;
}

/**
 * The autocorrelation estimator of opslab, shared by the validator's seasonality checks and the report's charts:
 * per group, the Pearson correlation of the value at `key` with the value at `key - lag`, over the pairs where
 * both exist. Pairs are matched by a join on the key, so a gap in the series never shifts the lag (an index
 * shift would compare 23 h with 24 h across a missing hour). Values are centred on their group's mean first.
 * @param frame columns `by`, `key` (integer, e.g. epoch ms) and `value`
 * @param lags the lags, in units of the key (ms for epoch times)
 * @param options column names
 * @returns one row per group and lag: `{ g, lag, r, n }` (`n` pairs; `r` null when fewer than two)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import pl from "nodejs-polars";
 * import { lagCorrelation } from "@lib/stats/acf.ts";
 * const t = Array.from({ length: 48 }, (_, i) => i);
 * const x = t.map((i) => Math.sin((2 * Math.PI * i) / 24));
 * const frame = pl.DataFrame({ g: t.map(() => "a"), t, x });
 * assert.ok((lagCorrelation(frame, [24])[0].r ?? 0) > 0.99);
 * ```
 */
export function lagCorrelation(
  frame: pl.DataFrame,
  lags: readonly number[],
  options: LagCorrelationOptions = {},
): { g: string; lag: number; r: number | null; n: number }[] {
  const { by = "g", key = "t", value = "x", on = [], centre = true } = options;
  // The lag in the key's own integer type, so both sides of the join agree (Int64 epoch ms, Int32 quarters).
  const keyType = (frame.schema as Record<string, pl.DataType>)[key] ?? pl.Int64;
  const centred = frame.lazy().select(
    pl.col(by).alias("g"),
    pl.col(key).alias("t"),
    ...on.map((c) => pl.col(c)),
    (centre ? pl.col(value).sub(pl.col(value).mean().over(by)) : pl.col(value)).alias("x"),
  );
  if (lags.length === 0) return [];
  // A frame held in memory and small enough is paired here, on its sorted keys: one join per lag cost more than
  // the pairing itself on series of a few thousand points (a report draws 120 lags).
  if (on.length === 0 && frame.height * lags.length <= IN_MEMORY_PAIRS) {
    const cols = frame.select(
      pl.col(by).cast(pl.String).alias("g"),
      pl.col(key).cast(pl.Float64).alias("t"),
      pl.col(value).cast(pl.Float64).alias("x"),
    );
    return pairedCorrelation(
      {
        g: cols.getColumn("g").toArray() as (string | null)[],
        t: cols.getColumn("t").toArray() as (number | null)[],
        x: cols.getColumn("x").toArray() as (number | null)[],
      },
      { lags, centre },
    );
  }
  // One plan for all lags, collected once: Polars runs the joins in parallel.
  const plans = lags.map((lag) =>
    centred.join(
      centred.select(
        pl.col("g"),
        pl.col("t").add(pl.lit(lag).cast(keyType)).alias("t"),
        ...on.map((c) => pl.col(c)),
        pl.col("x").alias("x_lag"),
      ),
      { on: ["g", "t", ...on] },
    ).groupBy("g").agg(pl.pearsonCorr("x", "x_lag").alias("r"), pl.len().alias("n"))
      .select(pl.col("g"), pl.lit(lag).alias("lag"), "r", "n")
  );
  const rows = (plans.length === 1 ? plans[0] : pl.concat(plans, { how: "vertical" })).collectSync().toRecords();
  const out = rows.map((r) => {
    const v = r.r === null || r.r === undefined ? null : Number(r.r);
    return { g: String(r.g), lag: Number(r.lag), r: v === null || !Number.isFinite(v) ? null : v, n: Number(r.n) };
  });
  return out;
}

/**
 * Autocorrelation of a series at several lags, NaN marking missing points (gaps keep their place, so a lag is
 * a time distance): r(k) = mean of (x_t - m)(x_{t+k} - m) over the pairs present / variance over all points.
 * @param x the dense series, NaN where missing
 * @param lags lags in points
 * @param options the fewest pairs for a value (`minPairs`, default 10)
 * @returns one autocorrelation per lag, NaN when the lag has too few pairs or the series is constant
 *
 * This is the textbook sample ACF (one mean and variance for the whole series, as statsmodels' `acf`), the estimator
 * the fidelity profiles and their real references are measured with; {@linkcode lagCorrelation} is the Pearson
 * correlation of lagged pairs per group, the one the validator's and the report's calendar checks share.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleAcf } from "@lib/stats/acf.ts";
 * const x = Float64Array.from({ length: 96 }, (_, i) => Math.sin((2 * Math.PI * i) / 24));
 * const [r12, r24] = sampleAcf(x, [12, 24]);
 * assert.ok(r24 > 0.99 && r12 < -0.99, "a period of 24 points");
 * assert.ok(Number.isNaN(sampleAcf(new Float64Array(96).fill(3), [1])[0]), "a constant series has no ACF");
 * ```
 */
export function sampleAcf(x: Float64Array, lags: readonly number[], options: { minPairs?: number } = {}): number[] {
  const { minPairs = 10 } = options;
  let n = 0, s = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i])) {
      n++;
      s += x[i];
    }
  }
  if (n < 2) return lags.map(() => NaN);
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) ss += (x[i] - m) ** 2;
  const v = ss / n;
  if (!(v > 0)) return lags.map(() => NaN);
  return lags.map((k) => {
    let c = 0, p = 0;
    for (let i = 0; i + k < x.length; i++) {
      const a = x[i], b = x[i + k];
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      c += (a - m) * (b - m);
      p++;
    }
    return p >= minPairs ? c / p / v : NaN;
  });
}
