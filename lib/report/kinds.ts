import { kindDescriptor } from "@lib/kinds/registry.ts";

/** What a report knows about a dataset kind beyond its columns: entities, groups, units and config targets. */
export interface KindProfile {
  /** The entity column (one series per value). */
  entity?: string;
  /** The column whose values get one correlation matrix and one profile each. */
  group?: string;
  /** Units by column. */
  units: Record<string, string>;
  /** Metrics to plot as sample series, in order. */
  seriesMetrics?: string[];
  /** Correlation targets: metrics, bounds (clipped values are left out) and targets by group. */
  correlation?: {
    metrics: string[];
    /** Short names of the metrics as the config and the validator's check ids use them (`cpu_p95` → `cpu`). */
    short: Record<string, string>;
    bounds: Record<string, [number, number]>;
    /** Calendar columns whose cells define the seasonal level removed before measuring. */
    calendar: (config: Record<string, unknown>) => string[];
    /** Target r of a pair in a group, or null. */
    target: (config: Record<string, unknown>, group: string, x: string, y: string) => number | null;
    tolerance: number;
    /** How the validator de-seasonalises for this config (method, per-entity scaling). @default its defaults */
    measure?: (config: Record<string, unknown>) => { method?: "auto" | "calendar"; standardize?: boolean };
  };
  /** Seasonality: the metric measured and the ratios the config implies. */
  seasonality?: {
    metric: string;
    /** `hourly` or `daily`. */
    granularity: (config: Record<string, unknown>) => string;
    expected: (config: Record<string, unknown>, group: string) => ExpectedEffects;
  };
}

/** Expected calendar ratios and their accepted bands, each optional. */
export type ExpectedEffects = Partial<Record<"weekend" | "eoq" | "holiday" | "business_hours", ExpectedEffect>>;

/** One expected calendar ratio. */
export interface ExpectedEffect {
  expected: number;
  band: [number, number];
}

/**
 * Reads a number at a dotted path of a config, or null when missing or not a number.
 * @param config the resolved config
 * @param path e.g. `archetypes.web.weekend_multiplier`
 * @returns the number or null
 */
export function configNumber(config: Record<string, unknown>, path: string): number | null {
  let v: unknown = config;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return null;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

const CAPACITY_SHORT: Record<string, string> = {
  cpu_p95: "cpu",
  mem_p95: "mem",
  disk_p95: "disk",
  net_in_p95: "net",
};

/**
 * The capacity kind: correlations of the noise against `archetypes.<type>.correlations`, calendar effects of the
 * network (full calendar weight and, unlike CPU, not clipped at 100 %) against the configured multipliers.
 */
export const CAPACITY_PROFILE: KindProfile = {
  entity: "server_id",
  group: "server_type",
  units: { cpu_p95: "%", mem_p95: "%", disk_p95: "%", net_in_p95: "Mbps", net_out_p95: "Mbps" },
  seriesMetrics: ["cpu_p95", "mem_p95", "net_in_p95"],
  correlation: {
    metrics: ["cpu_p95", "mem_p95", "disk_p95", "net_in_p95"],
    short: CAPACITY_SHORT,
    bounds: { cpu_p95: [0, 100], mem_p95: [0, 100], disk_p95: [0, 100], net_in_p95: [0, 1000] },
    calendar: (config) => [
      "year",
      "month",
      "is_weekend",
      "is_eoq",
      "is_holiday",
      ...(config.granularity === "hourly" ? ["hour"] : []),
    ],
    target: (config, group, x, y) => {
      const a = CAPACITY_SHORT[x], b = CAPACITY_SHORT[y];
      if (a === undefined || b === undefined) return null;
      return configNumber(config, `archetypes.${group}.correlations.${a}_${b}`) ??
        configNumber(config, `archetypes.${group}.correlations.${b}_${a}`);
    },
    tolerance: 0.15,
    // As lib/validate/kinds/capacity.ts: realistic servers each have their own calendar and scale.
    measure: (config) => {
      const realism = config.realism as { enabled?: unknown } | undefined;
      return realism?.enabled === true ? { method: "calendar", standardize: true } : {};
    },
  },
  seasonality: {
    metric: "net_in_p95",
    granularity: (config) => config.granularity === "hourly" ? "hourly" : "daily",
    expected: (config, group) => {
      const out: ExpectedEffects = {};
      const weekend = configNumber(config, `archetypes.${group}.weekend_multiplier`);
      if (weekend !== null) out.weekend = { expected: weekend, band: [weekend - 0.08, weekend + 0.08] };
      const days = configNumber(config, "eoq.days"), uplift = configNumber(config, "eoq.uplift");
      if (days !== null && uplift !== null && days > 0) {
        // The ramp rises linearly over the window to 1 + uplift on the last day: its mean is below the peak.
        const e = 1 + uplift * (days + 1) / (2 * days);
        out.eoq = { expected: e, band: [e - 0.05, e + 0.05] };
      }
      const lo = configNumber(config, "holidays.reduction_min"), hi = configNumber(config, "holidays.reduction_max");
      if (lo !== null && hi !== null) {
        out.holiday = { expected: 1 - (lo + hi) / 2, band: [1 - hi - 0.05, 1 - lo + 0.05] };
      }
      const peak = configNumber(config, `archetypes.${group}.business_hours_multiplier`);
      if (peak !== null && config.granularity === "hourly") {
        out.business_hours = { expected: peak, band: [peak - 0.1, peak + 0.1] };
      }
      return out;
    },
  },
};

/** The anomalies kind: series by `series_id`, the three service metrics with their units. */
export const ANOMALIES_PROFILE: KindProfile = {
  entity: "series_id",
  units: { latency_ms: "ms", error_rate_pct: "%", throughput_rps: "req/s" },
  seriesMetrics: ["latency_ms", "error_rate_pct", "throughput_rps"],
};

const SUFFIX_UNITS: [RegExp, string][] = [
  [/_ms$/, "ms"],
  [/_(pct|percent)$/, "%"],
  [/_rps$/, "req/s"],
  [/_bytes$/, "bytes"],
  [/_mbps$/, "Mbps"],
  [/_(s|sec|seconds)$/, "s"],
  [/_minutes$/, "min"],
  [/_hours$/, "h"],
];

/**
 * The unit of a column: from the kind profile, else from its suffix (`_ms`, `_pct`, `_rps`, `_bytes`, ...).
 * @param profile the kind profile
 * @param column the column name
 * @returns the unit, or "" when unknown
 */
export function unitOf(profile: KindProfile, column: string): string {
  if (profile.units[column] !== undefined) return profile.units[column];
  for (const [re, unit] of SUFFIX_UNITS) if (re.test(column)) return unit;
  return "";
}

/**
 * An axis label with its unit: `cpu_p95 (%)`.
 * @param column the column name
 * @param unit the unit, or ""
 * @returns the label
 */
export function withUnit(column: string, unit: string): string {
  return unit ? `${column} (${unit})` : column;
}

/**
 * The profile of a kind (its descriptor's `report` section, `lib/kinds/<kind>/mod.ts`), or an empty one for kinds
 * the report knows nothing special about.
 * @param kind the dataset kind
 * @returns the profile
 */
export function kindProfile(kind: string): KindProfile {
  return (kindDescriptor(kind)?.report as KindProfile | undefined) ?? { units: {} };
}
