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
  /** Domain views (incident timeline, SLA compliance, traffic, ...), each a section of declared charts. @default none */
  views?: ViewSpec[];
  /** Seasonality: the metric measured and the ratios the config implies. */
  seasonality?: {
    metric: string;
    /** `hourly` or `daily`. */
    granularity: (config: Record<string, unknown>) => string;
    expected: (config: Record<string, unknown>, group: string) => ExpectedEffects;
  };
}

/**
 * One chart of a kind's domain view, declared on the tables' columns; the report computes it with Polars.
 * - `time`: rows (or the sum of `value`) per time bucket, split by `by`, with `windows` shaded;
 * - `hour`: rows by hour of day (UTC);
 * - `bars`: rows by the values of `column` (the `top` most frequent);
 * - `rate`: per value of `by`, the share of rows where `column` equals `equals`;
 * - `intervals`: one bar per row from `start` to `end`, labelled by `label`, coloured by `by`, with `marks` as
 *   symbols (e.g. detection, mitigation, resolution);
 * - `coverage`: for every table holding `column`, the share of rows where it is set;
 * - `volume`: rows per time bucket of every table with a time column, one line per table, `windows` shaded;
 * - `around`: for each of the `top` first rows of `table` (by `rank`, then `start`), the rows per time bucket of every
 *   other table with a time column from a while before `start` to a while after `end`, one panel per row;
 * - `multiples`: one small panel per value of `entity` (the `top` first by id), `value` over `time` as min-max
 *   bands with the entity's `windows` shaded;
 * - `follow`: the first row of `table` (by `rank`, then `start`) followed through every table that labels rows with
 *   its `id`: the most shifted metric of the entity it hits, row counts (its own rows apart) and events.
 */
export type ViewChartSpec =
  & { title: string; caption?: string }
  & (
    | { type: "time"; table: string; time: string; by?: string; value?: string; windows?: WindowSpec }
    | { type: "hour"; table: string; time: string }
    | { type: "bars"; table: string; column: string; top?: number }
    | { type: "rate"; table: string; by: string; column: string; equals: string | number | boolean }
    | {
      type: "intervals";
      table: string;
      start: string;
      end: string;
      label: string;
      by?: string;
      marks?: string[];
      top?: number;
    }
    | { type: "coverage"; column: string }
    | { type: "volume"; windows?: WindowSpec }
    | { type: "around"; table: string; id: string; start: string; end: string; rank?: string; top?: number }
    | {
      type: "multiples";
      table: string;
      entity: string;
      time: string;
      value: string;
      windows?: WindowSpec & { by: string };
      top?: number;
    }
    | {
      type: "follow";
      table: string;
      id: string;
      start: string;
      end: string;
      rank?: string;
      label?: string;
      marks?: string[];
    }
  );

/** Time windows to shade on a time chart: rows of a table with a start and an end. */
export interface WindowSpec {
  table: string;
  start: string;
  end: string;
  by?: string;
}

/** A kind's domain view: a section of charts on its own tables. */
export interface ViewSpec {
  /** Section id (the page anchor). */
  id: string;
  title: string;
  intro?: string;
  charts: ViewChartSpec[];
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

/** The incidents kind's domain views. */
export const INCIDENTS_PROFILE: KindProfile = {
  units: {},
  views: [{
    id: "incidents",
    title: "Incidents",
    intro:
      "Every incident with its severity and type, the data each modality holds around it, and how much of it is labelled.",
    charts: [
      {
        type: "intervals",
        title: "Incident timeline",
        caption:
          "One bar per incident from start to end, coloured by severity; symbols mark detection, mitigation and resolution.",
        table: "incidents",
        start: "start",
        end: "end",
        label: "incident_id",
        by: "severity",
        marks: ["detected_at", "mitigated_at", "resolved_at"],
      },
      { type: "bars", title: "Incidents by type", table: "incidents", column: "type" },
      {
        type: "volume",
        title: "Rows per modality over time",
        caption: "Rows per time bucket of every table with a time column; shaded: incident windows.",
        windows: { table: "incidents", start: "start", end: "end" },
      },
      {
        type: "around",
        title: "Volume per modality around each incident",
        caption:
          "Rows per time bucket of every table with a time column, from before each incident's start to after its end " +
          "(shaded); the most severe incidents first.",
        table: "incidents",
        id: "incident_id",
        start: "start",
        end: "end",
        rank: "severity_level",
        top: 6,
      },
      {
        type: "follow",
        title: "One incident across modalities",
        caption:
          "The most severe incident (then the earliest) through every table that labels rows with it: the metric of " +
          "the entity it hits that moves most, log and access-log rows (its own rows apart), e-mails and tickets. " +
          "Shaded: the incident window; rules: detection, mitigation and resolution.",
        table: "incidents",
        id: "incident_id",
        start: "start",
        end: "end",
        rank: "severity_level",
        label: "title",
        marks: ["detected_at", "mitigated_at", "resolved_at"],
      },
      {
        type: "coverage",
        title: "Label coverage per modality",
        caption: "Share of each table's rows that carry an incident_id.",
        column: "incident_id",
      },
    ],
  }],
};

/** The msp kind's domain views. */
export const MSP_PROFILE: KindProfile = {
  units: { estimated_hours: "h", actual_hours: "h" },
  views: [{
    id: "msp",
    title: "Service desk",
    intro: "Ticket volume, SLA compliance, backlog and technician load.",
    charts: [
      {
        type: "time",
        title: "Tickets opened per day, by priority",
        table: "tickets",
        time: "created_at",
        by: "priority",
      },
      { type: "hour", title: "Tickets opened by hour of day (UTC)", table: "tickets", time: "created_at" },
      {
        type: "rate",
        title: "SLA met by SLA type",
        table: "sla_metrics",
        by: "sla_type",
        column: "status",
        equals: "met",
      },
      {
        type: "rate",
        title: "SLA met by ticket priority",
        table: "tickets",
        by: "priority",
        column: "sla_status",
        equals: "met",
      },
      {
        type: "rate",
        title: "SLA met by client",
        table: "tickets",
        by: "client_id",
        column: "sla_status",
        equals: "met",
      },
      {
        type: "time",
        title: "Open tickets (backlog) per day",
        table: "service_delivery_daily",
        time: "date",
        value: "open_tickets",
      },
      {
        type: "time",
        title: "Technician utilisation per day (mean)",
        table: "service_delivery_daily",
        time: "date",
        value: "technician_utilization",
      },
      { type: "bars", title: "Tickets per technician", table: "tickets", column: "technician_id", top: 20 },
    ],
  }],
};

/** The nab kind's domain views. */
export const NAB_PROFILE: KindProfile = {
  entity: "series_id",
  units: {},
  seriesMetrics: ["value"],
  views: [{
    id: "windows",
    title: "Series and label windows",
    charts: [
      {
        type: "multiples",
        title: "Every series with its label windows",
        caption: "Each series from its first to its last point in 60 buckets (band: minimum to maximum, line: mean); " +
          "shaded: its label windows.",
        table: "series",
        entity: "series_id",
        time: "timestamp",
        value: "value",
        windows: { table: "windows", start: "start", end: "end", by: "series_id" },
        top: 60,
      },
      {
        type: "intervals",
        title: "Label windows per series",
        table: "windows",
        start: "start",
        end: "end",
        label: "series_id",
        by: "series_id",
      },
      {
        type: "rate",
        title: "Anomalous share per series",
        table: "series",
        by: "series_id",
        column: "is_anomaly",
        equals: true,
      },
    ],
  }],
};

/** The cloudfront kind's domain views. */
export const CLOUDFRONT_PROFILE: KindProfile = {
  units: { time_taken: "s", sc_bytes: "bytes", cs_bytes: "bytes" },
  views: [{
    id: "traffic",
    title: "Traffic",
    intro: "Requests over time with the detected incident windows, status codes and edge locations.",
    charts: [
      {
        type: "time",
        title: "Requests per time bucket, by status class",
        table: "requests",
        time: "timestamp",
        by: "sc_status",
        windows: { table: "incidents", start: "start", end: "end" },
      },
      { type: "bars", title: "Status codes", table: "requests", column: "sc_status" },
      { type: "bars", title: "Edge locations", table: "requests", column: "x_edge_location" },
      { type: "bars", title: "Edge result types", table: "requests", column: "x_edge_result_type" },
    ],
  }],
};

/** The tickets kind's domain views. */
export const TICKETS_PROFILE: KindProfile = {
  units: {},
  views: [{
    id: "tickets",
    title: "Tickets",
    charts: [
      { type: "bars", title: "Languages", table: "tickets", column: "language" },
      { type: "bars", title: "Severity", table: "tickets", column: "severity" },
      { type: "bars", title: "Categories", table: "tickets", column: "category" },
      { type: "bars", title: "Urgency", table: "tickets", column: "urgency" },
    ],
  }],
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
