/**
 * What a run achieved against what was asked: the share of anomalous series, the contamination (share of labeled
 * points), and per type the events, points and share of the mix next to the configured weights.
 * @module
 */
import pl from "nodejs-polars";
import type { AnomaliesConfig } from "./config.ts";
import type { SeriesResult } from "./series.ts";
import { ANOMALY_TYPE_NAMES, type AnomalyTypeName } from "./types/mod.ts";

/** Achieved rates of one type. */
export interface TypeStats {
  /** Configured share of the mix (weight / sum of weights). */
  expected_share: number;
  /** Anomalies of the type. */
  events: number;
  /** Share of all anomalies. */
  event_share: number;
  /** Labeled points. */
  points: number;
  /** Labeled points over all points. */
  contamination: number;
  /** Mean labeled length. */
  mean_length: number;
}

/** Achieved rates of a dataset (stored in the manifest's `stats`). */
export interface AnomalyStats {
  /** Series generated. */
  series: number;
  /** Points per series. */
  points_per_series: number;
  /** Rows of the points table. */
  total_points: number;
  /** Series with anomalies. */
  anomalous_series: number;
  /** `anomaly_ratio` asked for. */
  anomaly_ratio_requested: number;
  /** Share of series with anomalies. */
  anomaly_ratio_achieved: number;
  /** Anomalies. */
  events: number;
  /** Points labeled anomalous. */
  labeled_points: number;
  /** Labeled points over all points. */
  contamination: number;
  /** Metric values left missing (null) by `missing` anomalies. */
  missing_values: number;
  /** Values held at a physical bound while injecting. */
  clipped_values: number;
  /** Anomalies shortened to fit their series. */
  shortened_anomalies: number;
  /** Per type, every registered type included. */
  per_type: Record<AnomalyTypeName, TypeStats>;
}

/** Collects counters series by series; {@linkcode StatsAccumulator.result} turns them into rates. */
export class StatsAccumulator {
  #series = 0;
  #pointsPerSeries = 0;
  #anomalous = 0;
  #events = 0;
  #labeled = 0;
  #missing = 0;
  #clipped = 0;
  #shrunk = 0;
  #typeEvents = new Map<AnomalyTypeName, number>();
  #typePoints = new Map<AnomalyTypeName, number>();

  /**
   * Counts one series.
   * @param r the series result (or the parts of it counted)
   */
  addSeries(
    r: Pick<SeriesResult, "events" | "clipped" | "shrunk"> & {
      meta: Pick<SeriesResult["meta"], "has_anomaly" | "anomaly_points">;
    },
  ): void {
    this.#series++;
    if (r.meta.has_anomaly) this.#anomalous++;
    this.#events += r.events.length;
    this.#labeled += r.meta.anomaly_points;
    this.#clipped += r.clipped;
    this.#shrunk += r.shrunk;
    for (const e of r.events) {
      this.#typeEvents.set(e.type, (this.#typeEvents.get(e.type) ?? 0) + 1);
      this.#typePoints.set(e.type, (this.#typePoints.get(e.type) ?? 0) + e.length);
    }
  }

  /**
   * Counts missing values of a chunk.
   * @param values the chunk's metric arrays
   */
  addMissing(values: readonly Float64Array[]): void {
    for (const a of values) {
      for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) this.#missing++;
    }
  }

  /**
   * The rates.
   * @param config the resolved config
   * @param options the row counts when series differ in length (injected datasets)
   * @returns the stats
   */
  result(config: AnomaliesConfig, options: { totalPoints?: number; pointsPerSeries?: number } = {}): AnomalyStats {
    const { pointsPerSeries = config.points, totalPoints = this.#series * pointsPerSeries } = options;
    const total = totalPoints;
    const weightSum = ANOMALY_TYPE_NAMES.reduce((s, t) => s + config.types[t].weight, 0);
    const per = {} as Record<AnomalyTypeName, TypeStats>;
    for (const t of ANOMALY_TYPE_NAMES) {
      const events = this.#typeEvents.get(t) ?? 0;
      const points = this.#typePoints.get(t) ?? 0;
      per[t] = {
        expected_share: weightSum > 0 ? config.types[t].weight / weightSum : 0,
        events,
        event_share: this.#events > 0 ? events / this.#events : 0,
        points,
        contamination: total > 0 ? points / total : 0,
        mean_length: events > 0 ? points / events : 0,
      };
    }
    return {
      series: this.#series,
      points_per_series: pointsPerSeries,
      total_points: total,
      anomalous_series: this.#anomalous,
      anomaly_ratio_requested: config.anomaly_ratio,
      anomaly_ratio_achieved: this.#series > 0 ? this.#anomalous / this.#series : 0,
      events: this.#events,
      labeled_points: this.#labeled,
      contamination: total > 0 ? this.#labeled / total : 0,
      missing_values: this.#missing,
      clipped_values: this.#clipped,
      shortened_anomalies: this.#shrunk,
      per_type: per,
    };
  }
}

/**
 * The rate table: one row per type with the configured share and what was achieved, plus a total row.
 * @param stats the stats of a run
 * @returns the frame
 * @example
 * ```ts
 * import { generateAnomalies, rateTable } from "@lib/generate/anomalies/mod.ts";
 * console.log(rateTable(generateAnomalies({ series: 20 }).stats).toString());
 * ```
 */
export function rateTable(stats: AnomalyStats): pl.DataFrame {
  const rows = ANOMALY_TYPE_NAMES.map((t) => ({ type: t, ...stats.per_type[t] }));
  rows.push({
    type: "all" as AnomalyTypeName,
    expected_share: 1,
    events: stats.events,
    event_share: 1,
    points: stats.labeled_points,
    contamination: stats.contamination,
    mean_length: stats.events > 0 ? stats.labeled_points / stats.events : 0,
  });
  return pl.DataFrame({
    type: rows.map((r) => r.type),
    expected_share: rows.map((r) => r.expected_share),
    event_share: rows.map((r) => r.event_share),
    events: rows.map((r) => r.events),
    points: rows.map((r) => r.points),
    contamination: rows.map((r) => r.contamination),
    mean_length: rows.map((r) => r.mean_length),
  });
}

/**
 * One line per fact, for a terminal.
 * @param stats the stats of a run
 * @returns the summary text
 */
export function formatStats(stats: AnomalyStats): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lines = [
    `series ${stats.series} x ${stats.points_per_series} points = ${stats.total_points} rows`,
    `anomalous series ${stats.anomalous_series} (${pct(stats.anomaly_ratio_achieved)}, asked ${
      pct(stats.anomaly_ratio_requested)
    })`,
    `anomalies ${stats.events}, labeled points ${stats.labeled_points}, contamination ${pct(stats.contamination)}`,
    `missing values ${stats.missing_values}, clipped values ${stats.clipped_values}, shortened anomalies ${stats.shortened_anomalies}`,
    "type              asked   got     events  points  contamination",
  ];
  for (const t of ANOMALY_TYPE_NAMES) {
    const s = stats.per_type[t];
    lines.push(
      `${t.padEnd(18)}${pct(s.expected_share).padEnd(8)}${pct(s.event_share).padEnd(8)}${String(s.events).padEnd(8)}${
        String(s.points).padEnd(8)
      }${pct(s.contamination)}`,
    );
  }
  return lines.join("\n");
}

/**
 * The stats of a dataset made of shards: counts added up, shares, contamination and mean lengths recomputed from
 * them, so they equal the stats of an unsharded run.
 * @param parts the stats of each shard
 * @returns the combined stats
 */
export function combineAnomalyStats(parts: readonly AnomalyStats[]): AnomalyStats {
  const sum = (f: (s: AnomalyStats) => number) => parts.reduce((acc, s) => acc + f(s), 0);
  const series = sum((s) => s.series);
  const total = sum((s) => s.total_points);
  const events = sum((s) => s.events);
  const labeled = sum((s) => s.labeled_points);
  const anomalous = sum((s) => s.anomalous_series);
  const per = {} as Record<AnomalyTypeName, TypeStats>;
  for (const t of ANOMALY_TYPE_NAMES) {
    const typeEvents = sum((s) => s.per_type[t]?.events ?? 0);
    const typePoints = sum((s) => s.per_type[t]?.points ?? 0);
    per[t] = {
      expected_share: parts[0]?.per_type[t]?.expected_share ?? 0,
      events: typeEvents,
      event_share: events > 0 ? typeEvents / events : 0,
      points: typePoints,
      contamination: total > 0 ? typePoints / total : 0,
      mean_length: typeEvents > 0 ? typePoints / typeEvents : 0,
    };
  }
  return {
    series,
    points_per_series: parts[0]?.points_per_series ?? 0,
    total_points: total,
    anomalous_series: anomalous,
    anomaly_ratio_requested: parts[0]?.anomaly_ratio_requested ?? 0,
    anomaly_ratio_achieved: series > 0 ? anomalous / series : 0,
    events,
    labeled_points: labeled,
    contamination: total > 0 ? labeled / total : 0,
    missing_values: sum((s) => s.missing_values),
    clipped_values: sum((s) => s.clipped_values),
    shortened_anomalies: sum((s) => s.shortened_anomalies),
    per_type: per,
  };
}
