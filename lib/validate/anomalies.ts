import pl from "nodejs-polars";
import { aggregateParts, collectParts, engineFor, type TableFrame } from "@lib/lake/mod.ts";
import { check, levelNote, notMeasured, skipped, statistical } from "./result.ts";
import { binomInterval } from "./_stats.ts";
import { epochMs } from "./time.ts";
import { failingRows, MAX_FAILING_ROWS, rowsOf } from "./_rows.ts";
import type { CheckResult, FailingRows } from "./types.ts";

/** What the generator was asked for: the figures the labels are measured against. */
export interface AnomalyTargets {
  /** Share of series with at least one anomaly (`anomaly_ratio`). */
  seriesRatio?: number;
  /** Share of points labeled anomalous (the contamination the generator reports). */
  pointRate?: number;
  /** Relative weight of each anomaly type among events; normalised here. */
  typeMix?: Record<string, number>;
}

/** Column names of the points and events tables. */
export interface AnomalyColumns {
  /** Series id column (points and events). @default "series_id" */
  series?: string;
  /** Points table: timestamp column. @default "timestamp" */
  timestamp?: string;
  /** Points table: anomaly flag column. @default "is_anomaly" */
  isAnomaly?: string;
  /** Points table: anomaly type column. @default "anomaly_type" */
  type?: string;
  /** Anomaly id column (points and events). @default "anomaly_id" */
  id?: string;
  /** Event table: type column. @default "type" */
  eventType?: string;
  /** Event table: first labeled instant. @default "start" */
  start?: string;
  /** Event table: last labeled instant (inclusive). @default "end" */
  end?: string;
}

/** Options of {@linkcode checkAnomalies}. */
export interface CheckAnomaliesOptions {
  /** The event table: one row per anomaly with its series, type and [start, end]. @default none */
  events?: TableFrame;
  /** The series table (all series, with or without anomalies), for the series ratio. @default series in points */
  series?: TableFrame;
  /** The targets. @default none: rates are reported, not judged */
  targets?: AnomalyTargets;
  /** Relative tolerance of rates; the exact binomial interval at the family-wise level is used when wider. @default 0.25 */
  tolerance?: number;
  /** Column names. */
  columns?: AnomalyColumns;
}

function rateCheck(
  id: string,
  what: string,
  measured: number,
  target: number | undefined,
  n: number,
  tolerance: number,
): CheckResult {
  if (target === undefined) {
    return check({
      id,
      severity: "info",
      passed: true,
      measured,
      threshold: "-",
      message: `${what}: ${(100 * measured).toFixed(2)}% of ${n.toLocaleString("en-US")} (no target configured)`,
    });
  }
  if (n === 0) return skipped(id, { n: "0", need: "1", measured });
  // The exact binomial interval of the count at the dataset's family-wise coverage (3 sigma alone; small counts
  // get the wide, skewed interval they deserve), or the relative tolerance when wider.
  return statistical((level) => {
    const [lo, hi] = binomInterval(n, target, { coverage: level.coverage });
    const low = Math.min(lo, target * (1 - tolerance)), high = Math.max(hi, target * (1 + tolerance));
    const ok = measured >= low - 1e-12 && measured <= high + 1e-12;
    return check({
      id,
      severity: "error",
      passed: ok,
      measured,
      threshold: `${fmt(low)}-${fmt(high)}`,
      message:
        `${what}: ${(100 * measured).toFixed(2)}% of ${n.toLocaleString("en-US")}, configured ${
          (100 * target).toFixed(2)
        }%${ok ? "" : ` (${(measured / target).toFixed(2)}x)`}; exact binomial interval, ` +
        levelNote(level).replace(" s.e.", " sigma"),
    });
  });
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(3)));
}

function count(df: TableFrame, expr: pl.Expr): number {
  return Number(df.lazy().select(expr.cast(pl.Int64).alias("n")).collectSync(engineFor(df)).getColumn("n").get(0) ?? 0);
}

/**
 * Checks of anomaly labels: labels consistent within each point, the share of anomalous series, of anomalous
 * points and of each anomaly type against the configured figures, events inside their series' time span, no two
 * events of a series overlapping, and per-point labels in agreement with the event table (every point inside an
 * event window carries that event's id and type; every labeled point lies inside its event).
 *
 * Written against generic columns: points `series_id, timestamp, is_anomaly, anomaly_type, anomaly_id`, events
 * `anomaly_id, series_id, type, start, end`.
 *
 * @param points the per-point table
 * @param options the event and series tables, targets and column names
 * @returns `anomalies.*` results
 */
export function checkAnomalies(points: TableFrame, options: CheckAnomaliesOptions = {}): CheckResult[] {
  const { events, series, targets = {}, tolerance = 0.25 } = options;
  const c = {
    series: "series_id",
    timestamp: "timestamp",
    isAnomaly: "is_anomaly",
    type: "anomaly_type",
    id: "anomaly_id",
    eventType: "type",
    start: "start",
    end: "end",
    ...options.columns,
  };
  const need = [c.series, c.timestamp, c.isAnomaly, c.type, c.id].filter((x) => !points.columns.includes(x));
  if (need.length > 0) return [notMeasured("anomalies.labels", `points lack column "${need[0]}"`)];
  const pSchema = points.schema as Record<string, pl.DataType>;
  const pts = epochMs(c.timestamp, pSchema[c.timestamp]);
  if (pts === undefined) return [notMeasured("anomalies.labels", `"${c.timestamp}" is not a timestamp`)];
  const out: CheckResult[] = [];
  const flag = pl.col(c.isAnomaly).cast(pl.Bool).fillNull(false);
  const mislabeled = flag.neq(pl.col(c.type).isNotNull()).or(flag.neq(pl.col(c.id).isNotNull()));
  const inconsistent = count(points, mislabeled.sum());
  const labelRows = inconsistent > 0
    ? failingRows(points, mislabeled, {
      key: [c.series, c.timestamp],
      columns: [c.isAnomaly, c.type, c.id],
      total: inconsistent,
    })
    : undefined;
  out.push(check({
    id: "anomalies.labels",
    severity: "error",
    passed: inconsistent === 0,
    measured: inconsistent,
    threshold: "= 0",
    message: inconsistent === 0
      ? `Every point labeled anomalous has a type and an id, and no other point has one`
      : `${inconsistent.toLocaleString("en-US")} points have is_anomaly, anomaly_type and anomaly_id in disagreement`,
    ...(labelRows ? { failing_rows: labelRows } : {}),
  }));
  // Rates.
  const seriesAll = series && series.columns.includes(c.series)
    ? series.lazy().select(pl.col(c.series)).unique().collectSync(engineFor(series))
    : points.lazy().select(pl.col(c.series)).unique().collectSync(engineFor(points));
  const anomalousSeries =
    points.lazy().filter(flag).select(pl.col(c.series)).unique().collectSync(engineFor(points)).height;
  out.push(rateCheck(
    "anomalies.series_ratio",
    "Series with anomalies",
    seriesAll.height > 0 ? anomalousSeries / seriesAll.height : 0,
    targets.seriesRatio,
    seriesAll.height,
    tolerance,
  ));
  const labeled = count(points, flag.sum());
  out.push(rateCheck(
    "anomalies.point_rate",
    "Points labeled anomalous",
    points.height > 0 ? labeled / points.height : 0,
    targets.pointRate,
    points.height,
    tolerance,
  ));
  // Per type: the share of events of each type against the mix, or of points when there is no event table.
  const typeCounts = events && events.columns.includes(c.eventType)
    ? events.lazy().groupBy(c.eventType).agg(pl.len().alias("n")).rename({ [c.eventType]: "t" }).collectSync(
      engineFor(events),
    )
    : points.lazy().filter(flag).groupBy(c.type).agg(pl.col(c.id).nUnique().alias("n")).rename({ [c.type]: "t" })
      .collectSync(engineFor(points));
  const counts = new Map(
    (typeCounts.toRecords() as Record<string, unknown>[]).map((r) => [String(r.t), Number(r.n)]),
  );
  const totalEvents = [...counts.values()].reduce((a, b) => a + b, 0);
  const mix = targets.typeMix;
  const mixSum = mix ? Object.values(mix).reduce((a, b) => a + b, 0) : 0;
  const types = [...new Set([...counts.keys(), ...(mix ? Object.keys(mix) : [])])].sort();
  for (const t of types) {
    const target = mix && mixSum > 0 ? (mix[t] ?? 0) / mixSum : undefined;
    out.push(rateCheck(
      `anomalies.type_rate:${t}`,
      `Events of type ${t}`,
      totalEvents > 0 ? (counts.get(t) ?? 0) / totalEvents : 0,
      target,
      totalEvents,
      tolerance,
    ));
  }
  if (!events) return out;
  const eNeed = [c.id, c.series, c.start, c.end].filter((x) => !events.columns.includes(x));
  if (eNeed.length > 0) return [...out, notMeasured("anomalies.events", `events lack column "${eNeed[0]}"`)];
  const eSchema = events.schema as Record<string, pl.DataType>;
  const es = epochMs(c.start, eSchema[c.start]), ee = epochMs(c.end, eSchema[c.end]);
  if (es === undefined || ee === undefined) {
    return [...out, notMeasured("anomalies.events", "start or end is not a timestamp")];
  }
  const ev = events.lazy().select(
    pl.col(c.id).cast(pl.String).alias("eid"),
    pl.col(c.series).cast(pl.String).alias("s"),
    (events.columns.includes(c.eventType) ? pl.col(c.eventType).cast(pl.String) : pl.lit(null).cast(pl.String)).alias(
      "etype",
    ),
    es.alias("es"),
    ee.alias("ee"),
  ).collectSync(engineFor(events));
  // The points are never collected whole: every figure below is aggregated file by file for a scanned table
  // (exact, as each point is judged against the whole event table), so memory follows one file.
  const pt = (lf: pl.LazyDataFrame) =>
    lf.select(
      pl.col(c.series).cast(pl.String).alias("s"),
      pts.alias("t"),
      flag.alias("a"),
      pl.col(c.id).cast(pl.String).alias("pid"),
      pl.col(c.type).cast(pl.String).alias("ptype"),
    );
  // Inside the series' time span.
  const spans = collectParts(
    points,
    (part) => pt(part).groupBy("s").agg(pl.col("t").min().alias("first"), pl.col("t").max().alias("last")),
  ).lazy()
    .groupBy("s").agg(pl.col("first").min().alias("first"), pl.col("last").max().alias("last"));
  const outside = ev.lazy().join(spans, { on: "s", how: "left" }).select(
    pl.col("first").isNull().or(pl.col("es").lt(pl.col("first"))).or(pl.col("ee").gt(pl.col("last")))
      .or(pl.col("es").gt(pl.col("ee"))).sum().cast(pl.Int64).alias("n"),
  ).collectSync().getColumn("n").get(0);
  out.push(check({
    id: "anomalies.bounds",
    severity: "error",
    passed: Number(outside) === 0,
    measured: Number(outside),
    threshold: "= 0 events",
    message: Number(outside) === 0
      ? `All ${ev.height.toLocaleString("en-US")} events lie inside their series' time span`
      : `${
        Number(outside).toLocaleString("en-US")
      } events start before, end after their series or end before they start`,
  }));
  // No overlap within a series.
  const overlaps = count(
    ev.sort(["s", "es"]),
    pl.col("s").eq(pl.col("s").shift(1)).and(pl.col("es").ltEq(pl.col("ee").cumMax().shift(1).over("s")))
      .fillNull(false).sum(),
  );
  out.push(check({
    id: "anomalies.overlap",
    severity: "error",
    passed: overlaps === 0,
    measured: overlaps,
    threshold: "= 0",
    message: overlaps === 0
      ? "No two events of a series overlap"
      : `${overlaps.toLocaleString("en-US")} events overlap an earlier event of their series`,
  }));
  // Agreement: each point against the last event of its series starting at or before it.
  const sortedEvents = ev.sort("es").lazy();
  const joined = (lf: pl.LazyDataFrame) =>
    pt(lf).sort("t").joinAsof(sortedEvents, {
      leftOn: "t",
      rightOn: "es",
      byLeft: "s",
      byRight: "s",
      strategy: "backward",
      checkSortedness: false,
    });
  const inside = pl.col("eid").isNotNull().and(pl.col("t").ltEq(pl.col("ee")));
  const wrong = pl.when(inside).then(
    pl.col("a").not().or(pl.col("pid").neq(pl.col("eid")).fillNull(true))
      .or(pl.col("etype").isNotNull().and(pl.col("ptype").neq(pl.col("etype")).fillNull(true))),
  ).otherwise(pl.col("a"));
  const disagreeing = wrong.sum().cast(pl.Int64).alias("n");
  const disagree = Number(aggregateParts(points, [disagreeing], { prepare: joined }).getColumn("n").get(0) ?? 0);
  const covered = collectParts(
    points,
    (part) => joined(part).filter(inside.and(pl.col("a"))).groupBy("eid").agg(pl.len().alias("__n")),
  ).getColumn("eid")
    .nUnique();
  const empty = ev.height - Number(covered);
  // Up to 200 points that disagree: the point's labels beside the event window it falls in (or none).
  let agreementRows: FailingRows | undefined;
  if (disagree > 0) {
    const head = collectParts(
      points,
      (part) =>
        joined(part).filter(wrong).select(
          pl.col("s").alias(c.series),
          pl.col("t").cast(pl.Datetime("ms", "UTC")).alias(c.timestamp),
          pl.col("a").alias(c.isAnomaly),
          pl.col("ptype").alias(c.type),
          pl.col("pid").alias(c.id),
          pl.when(inside).then(pl.col("eid")).otherwise(pl.lit(null)).alias("event_id"),
          pl.when(inside).then(pl.col("etype")).otherwise(pl.lit(null)).alias("event_type"),
        ).limit(MAX_FAILING_ROWS),
    );
    const key = [c.series, c.timestamp];
    agreementRows = rowsOf(head, {
      key,
      columns: [...key, c.isAnomaly, c.type, c.id, "event_id", "event_type"],
      total: disagree,
    });
  }
  out.push(check({
    id: "anomalies.agreement",
    severity: "error",
    passed: disagree === 0 && empty === 0,
    measured: disagree + empty,
    threshold: "= 0",
    message: disagree === 0 && empty === 0
      ? `Per-point labels match the ${ev.height.toLocaleString("en-US")} events exactly`
      : `${disagree.toLocaleString("en-US")} points disagree with the event table${
        empty > 0 ? `; ${empty.toLocaleString("en-US")} events have no labeled point` : ""
      }`,
    ...(agreementRows ? { failing_rows: agreementRows } : {}),
  }));
  return out;
}
