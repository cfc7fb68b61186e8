import pl from "nodejs-polars";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { conform } from "@lib/schema/mod.ts";
import { type Archetype, ARCHETYPES, type CapacityConfig, choleskyFactor, correlationMatrix } from "./config.ts";
import { assignArchetypes, serverId } from "./fleet.ts";
import { BUSINESS_UNITS, CapacityRow, CRITICALITIES, REGIONS } from "./schema.ts";
import { buildTimeline, dailyP95, hourProfile, type Timeline } from "./timeline.ts";

/** Options of {@linkcode generateCapacity}. */
export interface GenerateCapacityOptions {
  /** First server index to generate (inclusive). @default 0 */
  from?: number;
  /** Last server index (exclusive). @default config.servers */
  to?: number;
  /** A timeline already built for this config (saves rebuilding it per chunk). @default built from config */
  timeline?: Timeline;
}

/** How strongly each metric follows the calendar (hour, weekend, quarter end, holiday): disks barely do. */
const CALENDAR_WEIGHT = { cpu: 1, mem: 0.5, disk: 0.15, net: 1 } as const;

const CRITICALITY_WEIGHTS: Record<Archetype, number[]> = {
  web: [0.2, 0.4, 0.3, 0.1],
  application: [0.25, 0.35, 0.3, 0.1],
  database: [0.5, 0.35, 0.15, 0],
  batch: [0.05, 0.2, 0.45, 0.3],
};
const REGION_WEIGHTS = [0.35, 0.2, 0.2, 0.1, 0.15];
const APPS: Record<Archetype, string[]> = {
  web: ["storefront", "customer-portal", "cdn-origin", "marketing-site", "partner-portal"],
  application: ["orders-api", "payments-api", "inventory-svc", "auth-svc", "search-svc", "billing-svc"],
  database: ["orders-db", "customers-db", "ledger-db", "analytics-dw", "catalog-db"],
  batch: ["etl-nightly", "report-builder", "backup-runner", "ml-training", "invoice-batch"],
};

interface ServerMeta {
  id: string;
  archetype: Archetype;
  businessUnit: string;
  criticality: string;
  region: string;
  app: string;
}

/** Per-archetype constants derived once per config. */
interface ArchetypeModel {
  chol: number[][];
  /** Divides the calendar so that `mean` is the average hourly level over a plain week. */
  norm: number;
  /** Calendar multiplier by hour of day (hourly) or the daily P95 of the profile (daily). */
  hourFactor: Float64Array;
}

function archetypeModels(config: CapacityConfig): Record<Archetype, ArchetypeModel> {
  const { start_hour, end_hour } = config.business_hours;
  const out = {} as Record<Archetype, ArchetypeModel>;
  for (const a of ARCHETYPES) {
    const p = config.archetypes[a];
    const chol = choleskyFactor(correlationMatrix(p.correlations));
    if (chol === undefined) {
      throw new RangeError(`Cannot generate "capacity": the ${a} correlation matrix is not positive definite`);
    }
    const profile = hourProfile(p.business_hours_multiplier, start_hour, end_hour);
    const hourlyMean = profile.reduce((x, y) => x + y, 0) / 24;
    out[a] = {
      chol,
      norm: hourlyMean * (5 + 2 * p.weekend_multiplier) / 7,
      hourFactor: config.granularity === "hourly" ? profile : new Float64Array(24).fill(dailyP95(profile)),
    };
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The per-server draws that come before the time loop, always in this order. */
function drawServer(rng: Rng, index: number, archetype: Archetype, config: CapacityConfig): ServerMeta {
  return {
    id: serverId(index, config.servers),
    archetype,
    businessUnit: rng.pick(BUSINESS_UNITS),
    criticality: rng.categorical(CRITICALITIES, CRITICALITY_WEIGHTS[archetype]),
    region: rng.categorical(REGIONS, REGION_WEIGHTS),
    app: rng.pick(APPS[archetype]),
  };
}

interface Columns {
  cpu: Float64Array;
  mem: Float64Array;
  disk: Float64Array;
  netIn: Float64Array;
  netOut: Float64Array;
}

/** Fills one server's rows at `offset`; every draw comes from the server's own stream. */
function fillServer(
  rng: Rng,
  archetype: Archetype,
  config: CapacityConfig,
  model: ArchetypeModel,
  t: Timeline,
  out: Columns,
  offset: number,
): void {
  const p = config.archetypes[archetype];
  const level = (m: { mean: number }) => m.mean * clamp(1 + 0.08 * rng.normal(), 0.7, 1.3);
  const base = [level(p.cpu), level(p.mem), level(p.disk), level(p.net)];
  const growth = config.growth.per_year + config.growth.jitter * rng.normal();
  const outRatio = rng.uniform(0.45, 0.75);
  const { reduction_min, reduction_max } = config.holidays;
  const holidayFactor = t.holidayDates.map(() => 1 - rng.uniform(reduction_min, reduction_max));
  const [sc, sm, sd, sn] = [p.cpu.std, p.mem.std, p.disk.std, p.net.std];
  const L = model.chol;
  const { weekend_multiplier: wk, spike_probability: sp, spike_magnitude: smag } = p;
  const hf = model.hourFactor;
  const n = t.ms.length;
  for (let i = 0; i < n; i++) {
    const trend = Math.pow(1 + growth, t.years[i]);
    let cal = hf[t.hour[i]] * t.eoqFactor[i] / model.norm;
    if (t.weekend[i] === 1) cal *= wk;
    if (t.holiday[i] >= 0) cal *= holidayFactor[t.holiday[i]];
    // A spike is a burst of work: CPU and network jump, memory and disk do not.
    const spike = rng.next() < sp ? smag : 1;
    const z0 = rng.normal(), z1 = rng.normal(), z2 = rng.normal(), z3 = rng.normal();
    const e0 = L[0][0] * z0;
    const e1 = L[1][0] * z0 + L[1][1] * z1;
    const e2 = L[2][0] * z0 + L[2][1] * z1 + L[2][2] * z2;
    const e3 = L[3][0] * z0 + L[3][1] * z1 + L[3][2] * z2 + L[3][3] * z3;
    const j = offset + i;
    out.cpu[j] = round2(clamp(base[0] * trend * spike * Math.pow(cal, CALENDAR_WEIGHT.cpu) + sc * e0, 0, 100));
    out.mem[j] = round2(clamp(base[1] * trend * Math.pow(cal, CALENDAR_WEIGHT.mem) + sm * e1, 0, 100));
    out.disk[j] = round2(clamp(base[2] * trend * Math.pow(cal, CALENDAR_WEIGHT.disk) + sd * e2, 0, 100));
    const net = base[3] * trend * spike * Math.pow(cal, CALENDAR_WEIGHT.net) + sn * e3;
    out.netIn[j] = round2(clamp(net, 0, 1000));
    out.netOut[j] = round2(clamp(net * outRatio + 0.1 * sn * rng.normal(), 0, 600));
  }
}

function tile<T extends Float64Array | Uint8Array>(src: T, times: number, make: (n: number) => T): T {
  const out = make(src.length * times);
  for (let k = 0; k < times; k++) out.set(src, k * src.length);
  return out;
}

/**
 * Generates server-capacity rows for servers `[from, to)` of the fleet a config describes: correlated CPU,
 * memory, disk and network P95s on a business calendar, sorted by server then time.
 *
 * Every server draws from its own stream (seed, "capacity", server id), so any range gives the same rows as the
 * whole fleet does for those servers, and concatenated chunks equal one full run.
 *
 * @param config a resolved {@linkcode CapacityConfig}
 * @param options the server range
 * @returns a frame matching {@linkcode CapacityRow}
 * @example
 * ```ts
 * import { resolveConfig } from "@lib/config/mod.ts";
 * import { CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";
 * const df = generateCapacity(resolveConfig(CapacityConfig, { flags: { servers: 4, years: 1 } }));
 * df.height; // 4 * 365
 * ```
 */
export function generateCapacity(config: CapacityConfig, options: GenerateCapacityOptions = {}): pl.DataFrame {
  const { from = 0, to = config.servers, timeline = buildTimeline(config) } = options;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= config.servers && from <= to)) {
    throw new RangeError(
      `Cannot generate "capacity": server range must lie in [0, ${config.servers}], got [${from}, ${to})`,
    );
  }
  const archetypes = assignArchetypes(config.seed, config.servers, ARCHETYPES.map((a) => config.archetypes[a].share));
  const models = archetypeModels(config);
  const servers = to - from;
  const n = timeline.ms.length;
  const rows = servers * n;
  const cols: Columns = {
    cpu: new Float64Array(rows),
    mem: new Float64Array(rows),
    disk: new Float64Array(rows),
    netIn: new Float64Array(rows),
    netOut: new Float64Array(rows),
  };
  const metas: ServerMeta[] = [];
  const serverIndex = new Uint32Array(rows);
  for (let s = 0; s < servers; s++) {
    const index = from + s;
    const archetype = archetypes[index];
    const rng = entityStream(config.seed, "capacity", serverId(index, config.servers));
    metas.push(drawServer(rng, index, archetype, config));
    fillServer(rng, archetype, config, models[archetype], timeline, cols, s * n);
    serverIndex.fill(s, s * n, (s + 1) * n);
  }
  // Small per-server columns are expanded to rows by index inside Polars, not as millions of JS strings.
  const meta = (name: string, pickFn: (m: ServerMeta) => string) =>
    pl.col("server_idx").replaceStrict(metas.map((_, i) => i), metas.map(pickFn), undefined, pl.String).alias(name);
  const ts = pl.Series("timestamp", tile(timeline.ms, servers, (k) => new Float64Array(k)))
    .cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
  const df = pl.DataFrame([
    ts,
    pl.Series("server_idx", serverIndex),
    pl.Series("cpu_p95", cols.cpu),
    pl.Series("mem_p95", cols.mem),
    pl.Series("disk_p95", cols.disk),
    pl.Series("net_in_p95", cols.netIn),
    pl.Series("net_out_p95", cols.netOut),
    pl.Series("is_eoq", tile(timeline.eoq, servers, (k) => new Uint8Array(k))),
    pl.Series(
      "holiday_idx",
      tile(Uint8Array.from(timeline.holiday, (h) => (h >= 0 ? 1 : 0)), servers, (k) => new Uint8Array(k)),
    ),
  ]);
  return conform(
    df.withColumns(
      meta("server_id", (m) => m.id),
      meta("server_type", (m) => m.archetype),
      meta("business_unit", (m) => m.businessUnit),
      meta("criticality", (m) => m.criticality),
      meta("region", (m) => m.region),
      meta("app_name", (m) => m.app),
      pl.col("timestamp").dt.year().alias("year"),
      pl.col("timestamp").dt.month().alias("month"),
      pl.col("timestamp").dt.month().add(2).cast(pl.Int32).div(3).floor().alias("quarter"),
      pl.col("timestamp").dt.weekday().sub(1).alias("dayofweek"), // Polars counts Monday = 1,
      pl.col("is_eoq").cast(pl.Bool),
      pl.col("holiday_idx").cast(pl.Bool).alias("is_holiday"),
    ).withColumns(pl.col("dayofweek").gtEq(5).alias("is_weekend")),
    CapacityRow,
  );
}
