/**
 * How capacity datasets are validated: the `CapacityRow` schema, key `(server_id, timestamp)`, the time axis from
 * the config (cadence and declared range), calendar columns recomputed from the timestamp, and residual
 * correlations and calendar effects measured against the configured archetypes.
 * @module
 */
import pl from "nodejs-polars";
import { aggregateParts, type TableFrame } from "@lib/lake/mod.ts";
import { CapacityConfig } from "@lib/generate/capacity/config.ts";
import { ARCHETYPES, CAPACITY_KEY, CapacityRow } from "@lib/schema/capacity.ts";
import { DAY_MS, dayNumber, eoqDays, holidayDays } from "@lib/calendar/days.ts";
import { CONCURRENT_FILES } from "@lib/validate/completeness.ts";
import { checkCorrelation } from "@lib/validate/correlation.ts";
import { type KindSpec, type TableSpec, type ValidationContext } from "@lib/validate/registry.ts";
import { checkSeasonality, type SeasonalTargets } from "@lib/validate/seasonality.ts";
import { epochMs, type TimeSpec } from "@lib/validate/time.ts";
import { notMeasured } from "@lib/validate/result.ts";

const HOUR_MS = 3_600_000;

/** Metric short names (as the config's correlation keys use them) to columns. */
const METRIC_COLUMNS = { cpu: "cpu_p95", mem: "mem_p95", disk: "disk_p95", net: "net_in_p95" } as const;

/**
 * The metric the calendar effects are measured on: network in follows the calendar with weight 1 like CPU, but
 * sits far from its 1000 Mbps bound, where CPU at quarter ends is often clipped at 100 % (a daily P95 in a
 * business-hours peak), which censors the very effect being measured.
 */
const SEASONAL_METRIC = "net_in_p95";

function cadenceOf(config: CapacityConfig): number {
  return config.granularity === "hourly" ? HOUR_MS : DAY_MS;
}

function timeSpec(config: CapacityConfig | undefined): TimeSpec {
  const base = { column: "timestamp", entity: "server_id", sorted: true };
  if (!config) return base;
  const cadence = cadenceOf(config);
  const start = Date.parse(`${config.start_date}T00:00:00Z`);
  const end = Date.parse(`${config.end_date}T00:00:00Z`) + DAY_MS - cadence;
  return { ...base, cadenceMs: cadence, range: [start, end] };
}

/**
 * Calendar columns recomputed from the timestamp, and quarter ends and holidays from the config: two helper
 * columns (month, day number) are computed once and shared.
 */
function derived(df: TableFrame, config: CapacityConfig | undefined): Pick<TableSpec, "derived" | "prepare"> {
  const dtype = (df.schema as Record<string, pl.DataType>).timestamp;
  const t = dtype ? epochMs("timestamp", dtype) : undefined;
  if (!t || df.height === 0) return {};
  const ts = pl.col("timestamp");
  const prepare = [ts.dt.month().alias("__month"), t.div(DAY_MS).floor().cast(pl.Int64).alias("__day")];
  const out: Record<string, pl.Expr> = {
    year: ts.dt.year(),
    month: pl.col("__month"),
    quarter: pl.col("__month").sub(1).div(3).floor().add(1),
    dayofweek: ts.dt.weekday().sub(1),
    is_weekend: ts.dt.weekday().gtEq(6),
  };
  if (config) {
    const range = aggregateParts(df, [t.min().alias("a"), t.max().alias("b")], {
      combine: (c) => c === "a" ? "min" : "max",
      concurrent: CONCURRENT_FILES,
    })
      .toRecords()[0];
    const first = Math.floor(Number(range.a) / DAY_MS), last = Math.floor(Number(range.b) / DAY_MS);
    if (Number.isFinite(first) && Number.isFinite(last) && last - first <= 366 * 200) {
      out.is_eoq = pl.col("__day").isIn(eoqDays({ first, last }, config.eoq.days));
      out.is_holiday = pl.col("__day").isIn(
        holidayDays({ first, last }, { calendar: config.holidays.calendar, extra: config.holidays.extra_dates }),
      );
    }
  }
  return { derived: out, prepare };
}

function correlationFamily(ctx: ValidationContext<CapacityConfig>) {
  const df = ctx.tables[ctx.primary];
  if (!ctx.config) return [notMeasured("correlation.pearson", "no generator config to take the targets from")];
  const config = ctx.config;
  const targets = Object.fromEntries(ARCHETYPES.map((a) => [a, config.archetypes[a].correlations]));
  const hourly = config.granularity === "hourly";
  return checkCorrelation(df, {
    // The realistic model gives every server its own level, weekend and daily cycle, so the group's shared calendar
    // (the cross-section method) leaves each server's own calendar in its residuals, common to all its metrics;
    // each server's own (year, month, weekend, quarter end, holiday[, hour]) medians remove it, and its residuals
    // are scaled by its own noise scale, as levels span orders of magnitude. The textbook model keeps the seed
    // design's measure.
    ...(config.realism.enabled ? { method: "calendar" as const, standardize: true } : {}),
    metrics: METRIC_COLUMNS,
    group: "server_type",
    entity: "server_id",
    timestamp: "timestamp",
    targets,
    bounds: { cpu: [0, 100], mem: [0, 100], disk: [0, 100], net: [0, 1000] },
    calendar: [
      "year",
      "month",
      "is_weekend",
      "is_eoq",
      "is_holiday",
      ...(hourly ? [pl.col("timestamp").dt.hour()] : []),
    ],
  });
}

function seasonalityFamily(ctx: ValidationContext<CapacityConfig>) {
  const df = ctx.tables[ctx.primary];
  if (!ctx.config) return [notMeasured("seasonality.measures", "no generator config to take the factors from")];
  const config = ctx.config;
  const targets: Record<string, SeasonalTargets> = Object.fromEntries(ARCHETYPES.map((a) => {
    const p = config.archetypes[a];
    return [a, {
      businessHoursMultiplier: p.business_hours_multiplier,
      weekendMultiplier: p.weekend_multiplier,
      eoq: config.eoq,
      holidayReduction: [config.holidays.reduction_min, config.holidays.reduction_max] as [number, number],
    }];
  }));
  const first = dayNumber(config.start_date), last = dayNumber(config.end_date!);
  return checkSeasonality(df, {
    metric: SEASONAL_METRIC,
    entity: "server_id",
    group: "server_type",
    timestamp: "timestamp",
    cadenceMs: cadenceOf(config),
    holidays: holidayDays({ first, last }, { calendar: config.holidays.calendar, extra: config.holidays.extra_dates }),
    targets,
  });
}

/** The capacity kind. */
export const capacityKind: KindSpec<CapacityConfig> = {
  kind: "capacity",
  description: "server capacity metrics (CPU, memory, disk, network P95s) of a fleet on a business calendar",
  primary: "capacity",
  parseConfig: (raw) => CapacityConfig.parse(raw),
  tables: (ctx) => ({
    capacity: {
      record: CapacityRow,
      key: CAPACITY_KEY,
      time: timeSpec(ctx.config),
      ...derived(ctx.tables[ctx.primary], ctx.config),
      pii: "free-text",
    },
  }),
  families: [
    { name: "correlation", run: correlationFamily },
    { name: "seasonality", run: seasonalityFamily },
  ],
};
