import pl from "nodejs-polars";
import { entityStream, fillStandardNormal, type Rng } from "@lib/random/mod.ts";
import { conform } from "@lib/schema/mod.ts";
import { type Archetype, ARCHETYPES, type CapacityConfig, choleskyFactor, correlationMatrix } from "./config.ts";
import { assignArchetypes, serverId } from "./fleet.ts";
import { BUSINESS_UNITS, CapacityRow, CRITICALITIES, REGIONS } from "@lib/schema/capacity.ts";
import { buildTimeline, dailyP95, hourProfile, type Timeline } from "./timeline.ts";
import { fillRealistic, type RealisticArchetype, realisticArchetype } from "./_realistic.ts";

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

/** Per-archetype constants derived once per config and timeline. */
interface ArchetypeModel {
  chol: number[][];
  /** Calendar factor (hour or daily P95, weekend, quarter end) raised to each metric's weight, per timestamp. */
  calendar: [Float64Array, Float64Array, Float64Array, Float64Array];
  /** The realistic model's constants. */
  realistic: RealisticArchetype;
}

const WEIGHTS = [CALENDAR_WEIGHT.cpu, CALENDAR_WEIGHT.mem, CALENDAR_WEIGHT.disk, CALENDAR_WEIGHT.net] as const;

function archetypeModels(config: CapacityConfig, t: Timeline): Record<Archetype, ArchetypeModel> {
  const { start_hour, end_hour } = config.business_hours;
  const out = {} as Record<Archetype, ArchetypeModel>;
  for (const a of ARCHETYPES) {
    const p = config.archetypes[a];
    const chol = choleskyFactor(correlationMatrix(p.correlations));
    if (chol === undefined) {
      throw new RangeError(`Cannot generate "capacity": the ${a} correlation matrix is not positive definite`);
    }
    const profile = hourProfile(p.business_hours_multiplier, { startHour: start_hour, endHour: end_hour });
    // Divide so that `mean` is the average hourly level over a plain week; a daily row sees the day's P95.
    const norm = (profile.reduce((x, y) => x + y, 0) / 24) * (5 + 2 * p.weekend_multiplier) / 7;
    const hourFactor = config.granularity === "hourly" ? profile : new Float64Array(24).fill(dailyP95(profile));
    // The textbook calendar per timestamp; the realistic model works in log space from the timeline directly.
    const n = config.realism.enabled ? 0 : t.ms.length;
    const calendar = WEIGHTS.map(() => new Float64Array(n)) as ArchetypeModel["calendar"];
    for (let i = 0; i < n; i++) {
      const cal = (hourFactor[t.hour[i]] * t.eoqFactor[i] * (t.weekend[i] === 1 ? p.weekend_multiplier : 1)) / norm;
      for (let m = 0; m < 4; m++) calendar[m][i] = Math.pow(cal, WEIGHTS[m]);
    }
    out[a] = {
      chol,
      calendar,
      realistic: realisticArchetype(profile, { weekendMultiplier: p.weekend_multiplier, chol }),
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
  scratch: { z: Float64Array; u: Float64Array },
): void {
  const p = config.archetypes[archetype];
  const level = (m: { mean: number }) => m.mean * clamp(1 + 0.08 * rng.normal(), 0.7, 1.3);
  const [b0, b1, b2, b3] = [level(p.cpu), level(p.mem), level(p.disk), level(p.net)];
  const logGrowth = Math.log1p(config.growth.per_year + config.growth.jitter * rng.normal());
  const outRatio = rng.uniform(0.45, 0.75);
  const { reduction_min, reduction_max } = config.holidays;
  const holiday = t.holidayDates.map(() => 1 - rng.uniform(reduction_min, reduction_max));
  const holidayPow = WEIGHTS.map((w) => holiday.map((h) => Math.pow(h, w)));
  const [sc, sm, sd, sn] = [p.cpu.std, p.mem.std, p.disk.std, p.net.std];
  const L = model.chol;
  const [c0, c1, c2, c3] = model.calendar;
  const { spike_probability: sp, spike_magnitude: spikeMag } = p;
  const n = t.ms.length;
  // All of the server's noise at once (ziggurat: about 1.6x faster than drawing one at a time), then its spike
  // uniforms; five normals a timestamp: four correlated metrics and the network-out wobble.
  const z = fillStandardNormal(rng, scratch.z);
  const u = scratch.u;
  for (let i = 0; i < n; i++) u[i] = rng.next();
  for (let i = 0; i < n; i++) {
    const trend = Math.exp(logGrowth * t.years[i]);
    const h = t.holiday[i];
    const f0 = c0[i] * trend * (h >= 0 ? holidayPow[0][h] : 1);
    const f1 = c1[i] * trend * (h >= 0 ? holidayPow[1][h] : 1);
    const f2 = c2[i] * trend * (h >= 0 ? holidayPow[2][h] : 1);
    const f3 = c3[i] * trend * (h >= 0 ? holidayPow[3][h] : 1);
    // A spike is a burst of work: CPU and network jump, memory and disk do not.
    const spike = u[i] < sp ? spikeMag : 1;
    const k = 5 * i;
    const z0 = z[k], z1 = z[k + 1], z2 = z[k + 2], z3 = z[k + 3];
    const e0 = L[0][0] * z0;
    const e1 = L[1][0] * z0 + L[1][1] * z1;
    const e2 = L[2][0] * z0 + L[2][1] * z1 + L[2][2] * z2;
    const e3 = L[3][0] * z0 + L[3][1] * z1 + L[3][2] * z2 + L[3][3] * z3;
    const j = offset + i;
    out.cpu[j] = round2(clamp(b0 * f0 * spike + sc * e0, 0, 100));
    out.mem[j] = round2(clamp(b1 * f1 + sm * e1, 0, 100));
    out.disk[j] = round2(clamp(b2 * f2 + sd * e2, 0, 100));
    const net = b3 * f3 * spike + sn * e3;
    out.netIn[j] = round2(clamp(net, 0, 1000));
    out.netOut[j] = round2(clamp(net * outRatio + 0.1 * sn * z[k + 4], 0, 600));
  }
}

type Typed = Float64Array | Int32Array | Int8Array | Uint8Array;

/** Repeats a per-timestamp column once per server. */
function tile<T extends Typed>(src: T, times: number): T {
  const out = new (src.constructor as new (n: number) => T)(src.length * times);
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
  const archetypes = assignArchetypes(config.seed, {
    servers: config.servers,
    shares: ARCHETYPES.map((a) => config.archetypes[a].share),
  });
  const models = archetypeModels(config, timeline);
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
  const scratch = { z: new Float64Array(5 * n), u: new Float64Array(3 * n) };
  const metas: ServerMeta[] = [];
  const serverIndex = new Uint32Array(rows);
  for (let s = 0; s < servers; s++) {
    const index = from + s;
    const archetype = archetypes[index];
    const rng = entityStream(config.seed, { dataset: "capacity", entity: serverId(index, config.servers) });
    metas.push(drawServer(rng, index, archetype, config));
    if (config.realism.enabled) {
      fillRealistic(rng, {
        archetype,
        config,
        model: models[archetype].realistic,
        timeline,
        out: cols,
        offset: s * n,
        scratch,
        fillNormal: fillStandardNormal,
      });
    } else fillServer(rng, archetype, config, models[archetype], timeline, cols, s * n, scratch);
    serverIndex.fill(s, s * n, (s + 1) * n);
  }
  // Per-server columns are expanded to rows by index inside Polars, not built as millions of JS strings.
  const meta = pl.DataFrame({
    server_id: metas.map((m) => m.id),
    server_type: metas.map((m) => m.archetype),
    business_unit: metas.map((m) => m.businessUnit),
    criticality: metas.map((m) => m.criticality),
    region: metas.map((m) => m.region),
    app_name: metas.map((m) => m.app),
  }).select(pl.all().gather(pl.Series("idx", serverIndex)));
  const ts = pl.Series("timestamp", tile(timeline.ms, servers)).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
  const df = pl.DataFrame([
    ts,
    ...meta.getColumns(),
    pl.Series("cpu_p95", cols.cpu),
    pl.Series("mem_p95", cols.mem),
    pl.Series("disk_p95", cols.disk),
    pl.Series("net_in_p95", cols.netIn),
    pl.Series("net_out_p95", cols.netOut),
    pl.Series("year", tile(timeline.year, servers)),
    pl.Series("month", tile(timeline.month, servers)),
    pl.Series("quarter", tile(timeline.quarter, servers)),
    pl.Series("dayofweek", tile(timeline.dayofweek, servers)),
    pl.Series("is_weekend", tile(timeline.weekend, servers)),
    pl.Series("is_eoq", tile(timeline.eoq, servers)),
    pl.Series("is_holiday", tile(timeline.isHoliday, servers)),
  ]);
  return conform(df, CapacityRow);
}
