import type { ReplayEvent, Sink, SinkStats } from "./types.ts";

/** Options of {@linkcode PrometheusSink}. */
export interface PrometheusSinkOptions {
  /** Prefix of every metric name. @default "opslab" */
  prefix?: string;
  /** Series kept at most; updates of further series are dropped and counted. @default 20000 */
  maxSeries?: number;
  /** Numeric payload fields that are calendar parts, not measurements, and get no gauge. */
  ignoreFields?: readonly string[];
}

interface Family {
  help: string;
  type: "gauge" | "counter";
  series: Map<string, number>;
}

const DEFAULT_IGNORED = ["year", "month", "quarter", "dayofweek", "day", "hour", "minute", "week"];

/** Fields that locate a row (a line of a log file, a row index), never measure anything: no gauge, ever. */
const ROW_FIELDS = new Set(["line", "lines", "line_number", "row", "row_index", "index", "offset", "position"]);

/**
 * Keys that name one event (a message, an incident, a ticket), not an entity that lives on: a gauge per event id
 * is not something an operator scrapes, so such rows are only counted.
 */
const EVENT_KEYS = new Set(["message_id", "incident_id", "ticket_id", "event_id", "request_id", "alert_id"]);

/** Unit suffixes of field names and the base unit Prometheus names use, with the factor that converts. */
const UNITS: [RegExp, string, number][] = [
  [/_ms$/, "_seconds", 1e-3],
  [/_(milliseconds|millis)$/, "_seconds", 1e-3],
  [/_(us|microseconds)$/, "_seconds", 1e-6],
  [/_(minutes|mins)$/, "_seconds", 60],
  [/_(hours|hrs)$/, "_seconds", 3600],
  [/_days$/, "_seconds", 86_400],
  [/_(pct|percent)$/, "_ratio", 0.01],
  [/_rps$/, "_requests_per_second", 1],
];

/**
 * A field's metric name in base units (`latency_ms` -> `latency_seconds`, `overtime_hours` -> `overtime_seconds`,
 * `error_rate_pct` -> `error_rate_ratio`), as Prometheus' naming rules and `promtool check metrics` ask, and the
 * factor that converts its values.
 * @param field the field name
 * @returns the name and the factor (1 when the name stays)
 * @example
 * ```ts
 * import { baseUnit } from "@lib/stream/prometheus.ts";
 * baseUnit("latency_ms"); // { name: "latency_seconds", scale: 0.001, unit: "ms" }
 * ```
 */
export function baseUnit(field: string): { name: string; scale: number; unit?: string } {
  for (const [re, to, scale] of UNITS) {
    const m = re.exec(field);
    if (m) return { name: field.slice(0, m.index) + to, scale, unit: m[0].slice(1) };
  }
  return { name: field, scale: 1 };
}

/** A valid Prometheus metric or label name from any text. */
function sanitize(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[a-zA-Z_]/.test(s) ? s : `_${s}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.keys(labels).sort().map((k) => `${sanitize(k)}="${escapeLabel(labels[k])}"`);
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/**
 * A Prometheus exposition of the replay (text format 0.0.4, served at `/metrics`): a gauge per numeric field of
 * every `metrics` event, labelled by dataset and entity (`opslab_capacity_cpu_p95{dataset="capacity",
 * server_id="srv-0001"}`), the health of each server (0 ok, 1 warning, 2 critical), open tickets by priority and
 * by technician, ticket and SLA-alert counters, events by channel and event (`opslab_events_total`), and the
 * replay's own progress. Values carry no timestamps: Prometheus stamps them at scrape time, as it must for
 * replayed (old) data.
 *
 * What an operator would scrape, and `promtool check metrics` accepts without a warning: names in base units
 * (`latency_ms` becomes `latency_seconds`, `_hours` seconds, `_pct` a `_ratio`, values converted; see
 * {@linkcode baseUnit}); counters end in `_total`; every family has HELP and TYPE. Fields that locate a row (`line`,
 * `lines`, `row`, …) are never gauges, and rows keyed by one event's id (a message, an incident) or by an empty key
 * get no gauge (an e-mail's length is not a time series): they count in `opslab_events_total`.
 */
export class PrometheusSink implements Sink {
  readonly name = "prometheus";
  readonly #families = new Map<string, Family>();
  readonly #prefix: string;
  readonly #maxSeries: number;
  readonly #ignored: Set<string>;
  #seriesCount = 0;
  #dropped = 0;
  #events = 0;
  #scrapes = 0;
  #dataTs = NaN;

  /** @param options prefix, series limit and ignored fields */
  constructor(options: PrometheusSinkOptions = {}) {
    const { prefix = "opslab", maxSeries = 20_000, ignoreFields = DEFAULT_IGNORED } = options;
    this.#prefix = sanitize(prefix);
    this.#maxSeries = maxSeries;
    this.#ignored = new Set(ignoreFields);
  }

  #set(name: string, help: string, type: Family["type"], labels: Record<string, string>, value: number, add = false) {
    const metric = `${this.#prefix}_${sanitize(name)}`;
    let family = this.#families.get(metric);
    if (family === undefined) {
      family = { help, type, series: new Map() };
      this.#families.set(metric, family);
    }
    const key = labelText(labels);
    const old = family.series.get(key);
    if (old === undefined) {
      if (this.#seriesCount >= this.#maxSeries) {
        this.#dropped++;
        return;
      }
      this.#seriesCount++;
    }
    family.series.set(key, add ? (old ?? 0) + value : value);
  }

  write(e: ReplayEvent): void {
    this.#events++;
    this.#dataTs = e.ts;
    const ds = { dataset: e.dataset };
    this.#set(
      "events_total",
      "Events replayed, by channel and event (for a table's rows: the table).",
      "counter",
      { ...ds, channel: e.channel, event: e.event },
      1,
      true,
    );
    if (e.channel === "metrics" || e.event === "technician.monthly") {
      // a gauge belongs to an entity: a row keyed by one event's id, or by an empty key, is only counted
      if (e.key === "" || EVENT_KEYS.has(e.keyName)) return;
      for (const [field, v] of e.numbers()) {
        if (this.#ignored.has(field) || ROW_FIELDS.has(field)) continue;
        const { name, scale, unit } = baseUnit(field);
        this.#set(
          `${e.event}_${name}`,
          `Latest ${field} of ${e.event} events${
            unit ? ` (${unit} converted to ${name.split("_").at(-1)})` : ""
          }, by ${e.keyName}.`,
          "gauge",
          { ...ds, [e.keyName]: e.key },
          v * scale,
        );
      }
      return;
    }
    if (e.channel === "system_health") {
      const status = e.data.status;
      const level = status === "critical" ? 2 : status === "warning" ? 1 : status === "ok" ? 0 : NaN;
      this.#set("health_status", "Health of an entity: 0 ok, 1 warning, 2 critical.", "gauge", {
        ...ds,
        [e.keyName]: e.key,
      }, level);
      return;
    }
    if (e.channel === "tickets") {
      const priority = String(e.data.priority ?? "unknown");
      if (e.event === "ticket.created") {
        this.#set(
          "tickets_open",
          "Tickets created and not yet resolved, by priority.",
          "gauge",
          {
            ...ds,
            priority,
          },
          1,
          true,
        );
        this.#set("tickets_created_total", "Tickets created, by priority.", "counter", { ...ds, priority }, 1, true);
      } else if (e.event === "ticket.resolved") {
        this.#set(
          "tickets_open",
          "Tickets created and not yet resolved, by priority.",
          "gauge",
          {
            ...ds,
            priority,
          },
          -1,
          true,
        );
        this.#set(
          "tickets_resolved_total",
          "Tickets resolved, by priority and SLA outcome.",
          "counter",
          {
            ...ds,
            priority,
            sla_status: String(e.data.sla_status ?? "unknown"),
          },
          1,
          true,
        );
      }
      return;
    }
    if (e.channel === "technician_activity") {
      const delta = e.event === "technician.assigned" ? 1 : e.event === "technician.resolved" ? -1 : 0;
      if (delta !== 0) {
        this.#set(
          "technician_open_tickets",
          "Tickets assigned to a technician and not yet resolved.",
          "gauge",
          {
            ...ds,
            technician_id: e.key,
          },
          delta,
          true,
        );
      }
      return;
    }
    if (e.channel === "sla_alerts") {
      this.#set(
        "sla_alerts_total",
        "SLA warnings (75 % of target elapsed) and breaches.",
        "counter",
        {
          ...ds,
          alert: e.event.replace(/^sla\./, ""),
          sla_type: String(e.data.sla_type ?? "unknown"),
          priority: String(e.data.priority ?? "unknown"),
        },
        1,
        true,
      );
    }
  }

  /**
   * The exposition text, families sorted by name and series by labels.
   * @returns the `/metrics` body
   */
  render(): string {
    this.#scrapes++;
    const lines: string[] = [];
    const self: [string, string, Family["type"], number][] = [
      ["replay_events_total", "Events the Prometheus sink has taken.", "counter", this.#events],
      ["replay_data_timestamp_seconds", "Data time of the latest replayed event.", "gauge", this.#dataTs / 1000],
      ["replay_series", "Series exposed.", "gauge", this.#seriesCount],
      ["replay_series_dropped_total", "Updates dropped for exceeding the series limit.", "counter", this.#dropped],
    ];
    for (const [name, help, type, value] of self) {
      const metric = `${this.#prefix}_${name}`;
      lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} ${type}`, `${metric} ${formatValue(value)}`);
    }
    for (const metric of [...this.#families.keys()].sort()) {
      const f = this.#families.get(metric)!;
      lines.push(`# HELP ${metric} ${f.help}`, `# TYPE ${metric} ${f.type}`);
      for (const key of [...f.series.keys()].sort()) lines.push(`${metric}${key} ${formatValue(f.series.get(key)!)}`);
    }
    return lines.join("\n") + "\n";
  }

  /**
   * Serves `render()` as an HTTP response.
   * @returns a 200 response in the Prometheus text format
   */
  handle(): Response {
    return new Response(this.render(), { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  stats(): SinkStats {
    return { sent: this.#events, dropped: this.#dropped, series: this.#seriesCount, scrapes: this.#scrapes };
  }
}
