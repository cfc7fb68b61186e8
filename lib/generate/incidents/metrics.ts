/**
 * Metrics that show the incidents: the capacity fleet's hourly CPU, memory, disk and network P95s and per-service
 * latency, error rate and throughput (the anomaly generator's service model), with each incident's metric
 * effects put in by the anomaly registry's injectors (`incident`, `level_shift`, `spike`, and the resource shapes
 * `memory_leak`, `gc_sawtooth`, `thundering_herd`, `batch_window`) over the incident's span, every row labeled
 * with its `incident_id` (or null) and the `anomaly` shape.
 * @module
 */
import pl from "nodejs-polars";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";
import { drawProfile, REGIONS, renderSeries, TIERS } from "@lib/generate/anomalies/model.ts";
import { decompose } from "@lib/generate/anomalies/inject.ts";
import { ANOMALY_TYPES, type SeriesContext, type Track } from "@lib/generate/anomalies/types/mod.ts";
import { freqToMs } from "@lib/generate/anomalies/config.ts";
import { period } from "./config.ts";
import type { IncidentPlan } from "./plan.ts";
import { SERVICE_BY_NAME } from "./catalog.ts";
import type { Incident, MetricEffect } from "./types/mod.ts";
import { codedStrings, msSeries } from "./_frame.ts";
import { stringLists } from "@lib/schema/dtypes.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The capacity metric columns and their valid ranges. */
const CAPACITY_BOUNDS: Record<string, [number, number]> = {
  cpu_p95: [0, 100],
  mem_p95: [0, 100],
  disk_p95: [0, 100],
  net_in_p95: [0, 1000],
  net_out_p95: [0, 600],
};

/** One applied metric effect: the ground truth of the metric tables. */
export interface MetricAnomaly {
  incident: number;
  table: "capacity" | "service";
  /** Server id or service name. */
  target: string;
  shape: string;
  metrics: string[];
  /** Epoch ms of the first and last labeled point. */
  first: number;
  last: number;
  points: number;
  realized: Record<string, unknown>;
}

/** The rows of a metric table for a range of entities, with labels. */
export interface MetricChunk {
  frame: pl.DataFrame;
  anomalies: MetricAnomaly[];
}

/** The shape names the incidents use, in a fixed order for the `anomaly` column codes. */
const SHAPES = Object.keys(ANOMALY_TYPES);

function kindOf(name: string): Track["kind"] {
  if (/latency|_ms$/.test(name)) return "latency";
  if (/error/.test(name)) return "errors";
  if (/throughput|rps/.test(name)) return "throughput";
  return "generic";
}

function makeTrack(
  name: string,
  values: Float64Array,
  bounds: [number, number],
  period: number,
  expected?: Float64Array,
): Track {
  const clean = Float64Array.from(values);
  let exp = expected;
  let seasonal: Float64Array;
  if (exp) {
    let mean = 0;
    for (const v of exp) mean += v;
    mean /= exp.length;
    seasonal = exp.map((v) => v - mean);
  } else {
    const d = decompose(clean, period);
    exp = d.expected;
    seasonal = d.seasonal;
  }
  return { name, kind: kindOf(name), values, clean, expected: exp, seasonal, lower: bounds[0], upper: bounds[1] };
}

/** Points of a grid overlapping `[from, to]`: the first index and the count (at least one when they overlap). */
function span(t0: number, step: number, points: number, from: number, to: number): [number, number] {
  const i0 = Math.max(0, Math.floor((from - t0) / step));
  const i1 = Math.min(points, Math.floor((to - t0) / step) + 1);
  return [i0, i1 - i0];
}

function applyEffect(
  rng: Rng,
  ctx: SeriesContext,
  effect: MetricEffect,
  start: number,
  length: number,
): { realized: Record<string, unknown>; metrics: string[] } | undefined {
  const type = ANOMALY_TYPES[effect.shape as keyof typeof ANOMALY_TYPES];
  if (type === undefined) throw new RangeError(`Cannot inject metric effect: unknown anomaly shape "${effect.shape}"`);
  const names = effect.metrics.filter((m) => ctx.tracks.some((t) => t.name === m));
  if (names.length === 0 || length < 1) return undefined;
  const params = (type.params as { parse(x: unknown): unknown }).parse({
    ...effect.params,
    length: [length, length],
    metrics: names,
    all_metrics: 1,
  });
  // deno-lint-ignore no-explicit-any
  const draft = (type as any).draw(rng, params, ctx.tracks);
  const event = { ...draft, start, length };
  // deno-lint-ignore no-explicit-any
  const realized = (type as any).apply(ctx, event) as Record<string, unknown>;
  return { realized, metrics: (event.metrics as number[]).map((m) => ctx.tracks[m].name) };
}

/** Options of {@linkcode capacityMetricChunks}. */
export interface MetricChunkOptions {
  /** Servers (or services) per chunk; changes memory, never the output. @default 64 */
  chunk?: number;
  /** First server (or service, in name order) to generate, for a shard. @default 0 */
  from?: number;
  /** Server (or service) after the last to generate, for a shard. @default all */
  to?: number;
}

/**
 * The capacity fleet's hourly metrics over the period, chunk by chunk of servers, with the incidents' capacity
 * effects injected and labeled. The clean values are exactly `generate capacity`'s for the same seed, fleet and
 * days; only labeled rows differ.
 *
 * @param plan the plan (config, fleet, timeline)
 * @param options servers per chunk
 * @returns chunks in server order
 * @example
 * ```ts
 * import { capacityMetricChunks, IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
 * const plan = planIncidents(IncidentsConfig.parse({ to: "2024-03-05" }));
 * const [first] = capacityMetricChunks(plan);
 * first.frame.columns.includes("incident_id"); // true
 * ```
 */
export function* capacityMetricChunks(plan: IncidentPlan, options: MetricChunkOptions = {}): Generator<MetricChunk> {
  const { chunk = 64 } = options;
  const { config, timeline: { incidents } } = plan;
  const first = options.from ?? 0, last = Math.min(options.to ?? config.servers, config.servers);
  const { start, end } = period(config);
  // The fleet of `generate capacity` with the same seed and preset; each shape is sized against its own track's
  // noise (`makeTrack`), so it holds on the realistic model's heavier, persistent noise too.
  const capacity = CapacityConfig.parse({
    preset: config.capacity_preset,
    seed: config.seed,
    servers: config.servers,
    start_date: config.from,
    end_date: new Date(end - DAY).toISOString().slice(0, 10),
    granularity: "hourly",
  });
  const points = Math.round((end - start) / HOUR);
  const byServer = new Map<string, { inc: Incident; effect: MetricEffect }[]>();
  for (const inc of incidents) {
    for (const effect of inc.metrics) {
      if (effect.table !== "capacity") continue;
      for (const id of effect.targets) {
        const list = byServer.get(id) ?? [];
        list.push({ inc, effect });
        byServer.set(id, list);
      }
    }
  }
  const ids = incidents.map((i) => i.id);
  for (let from = first; from < last; from += chunk) {
    const to = Math.min(last, from + chunk);
    const df = generateCapacity(capacity, { from, to });
    const serverIds = df.getColumn("server_id").toArray() as string[];
    const cols = Object.fromEntries(
      Object.keys(CAPACITY_BOUNDS).map((c) => [c, Float64Array.from(df.getColumn(c).toArray() as number[])]),
    );
    const incidentCode = new Int32Array(df.height).fill(-1);
    const shapeCode = new Int32Array(df.height).fill(-1);
    const anomalies: MetricAnomaly[] = [];
    for (let s = 0; s < to - from; s++) {
      const id = serverIds[s * points];
      const effects = byServer.get(id);
      if (!effects) continue;
      const off = s * points;
      const tracks = Object.entries(CAPACITY_BOUNDS).map(([name, bounds]) =>
        makeTrack(name, cols[name].slice(off, off + points), bounds, 24)
      );
      const ctx: SeriesContext = { tracks, points, period: 24, sigmaWindow: 48 };
      for (const { inc, effect } of effects) {
        const [i0, len] = span(start, HOUR, points, inc.start, inc.resolved);
        const rng = entityStream(config.seed, {
          dataset: "incidents",
          entity: `${inc.id}/metrics/${id}/${effect.shape}`,
        });
        const got = applyEffect(rng, ctx, effect, i0, len);
        if (!got) continue;
        incidentCode.fill(inc.index, off + i0, off + i0 + len);
        shapeCode.fill(SHAPES.indexOf(effect.shape), off + i0, off + i0 + len);
        anomalies.push({
          incident: inc.index,
          table: "capacity",
          target: id,
          shape: effect.shape,
          metrics: got.metrics,
          first: start + i0 * HOUR,
          last: start + (i0 + len - 1) * HOUR,
          points: len,
          realized: got.realized,
        });
      }
      for (const t of tracks) {
        const out = cols[t.name];
        for (let i = 0; i < points; i++) out[off + i] = Math.round(t.values[i] * 100) / 100;
      }
    }
    const frame = df.withColumns(
      ...Object.keys(CAPACITY_BOUNDS).map((c) => pl.Series(c, cols[c])),
      codedStrings("incident_id", { dict: ids, codes: incidentCode }),
      codedStrings("anomaly", { dict: SHAPES, codes: shapeCode }),
    );
    yield { frame, anomalies };
  }
}

const REGION_OF: Record<string, string> = {
  "us-east": "us-east-1",
  "us-west": "us-west-2",
  "eu-west": "eu-west-1",
  "eu-central": "eu-central-1",
  "ap-southeast": "ap-southeast-1",
};

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

/**
 * The services that have service metrics, in the order their rows are generated (name order): the entities
 * {@linkcode serviceMetricChunks} counts `from` and `to` in.
 * @param plan the plan (fleet)
 * @returns service names
 * @example
 * ```ts
 * import { IncidentsConfig, metricServices, planIncidents } from "@lib/generate/incidents/mod.ts";
 * metricServices(planIncidents(IncidentsConfig.parse({ to: "2024-03-05" }))).length;
 * ```
 */
export function metricServices(plan: IncidentPlan): string[] {
  return [...plan.fleet.byApp.keys()].filter((s) => SERVICE_BY_NAME.has(s)).sort();
}

/**
 * Per-service latency, error rate and throughput over the period at `volumes.service_metrics_step`, for every
 * service the fleet runs (name order), with the incidents' service effects injected and labeled. Each service
 * draws from `(seed, "incidents", "service/<name>")`.
 *
 * @param plan the plan (config, fleet, timeline)
 * @param options services per chunk
 * @returns chunks in service order
 * @example
 * ```ts
 * import { IncidentsConfig, planIncidents, serviceMetricChunks } from "@lib/generate/incidents/mod.ts";
 * const plan = planIncidents(IncidentsConfig.parse({ to: "2024-03-05" }));
 * for (const { frame, anomalies } of serviceMetricChunks(plan)) console.log(frame.height, anomalies.length);
 * ```
 */
export function* serviceMetricChunks(plan: IncidentPlan, options: MetricChunkOptions = {}): Generator<MetricChunk> {
  const { chunk = 16 } = options;
  const { config, fleet, timeline: { incidents } } = plan;
  const { start, end } = period(config);
  const step = freqToMs(config.volumes.service_metrics_step);
  const points = Math.round((end - start) / step);
  const perDay = Math.round(DAY / step);
  const services = metricServices(plan);
  const first = options.from ?? 0, last = Math.min(options.to ?? services.length, services.length);
  const byService = new Map<string, { inc: Incident; effect: MetricEffect }[]>();
  for (const inc of incidents) {
    for (const effect of inc.metrics) {
      if (effect.table !== "service") continue;
      for (const s of effect.targets) {
        const list = byService.get(s) ?? [];
        list.push({ inc, effect });
        byService.set(s, list);
      }
    }
  }
  const ids = incidents.map((i) => i.id);
  const scratch = new Float64Array(4 * points);
  for (let from = first; from < last; from += chunk) {
    const names = services.slice(from, Math.min(last, from + chunk));
    const rows = names.length * points;
    const out = { latency: new Float64Array(rows), errors: new Float64Array(rows), rps: new Float64Array(rows) };
    const incidentCode = new Int32Array(rows).fill(-1);
    const shapeCode = new Int32Array(rows).fill(-1);
    const meta = { service: new Int32Array(rows), tier: [] as string[], region: [] as string[] };
    const anomalies: MetricAnomaly[] = [];
    names.forEach((name, k) => {
      const info = SERVICE_BY_NAME.get(name)!;
      const rng = entityStream(config.seed, { dataset: "incidents", entity: `service/${name}` });
      const profile = drawProfile(rng);
      const tier = TIERS[info.tier];
      const region = REGION_OF[fleet.byApp.get(name)![0].region] ?? "us-east-1";
      Object.assign(profile, {
        service: name,
        tier: info.tier,
        region,
        utc_offset_hours: REGIONS[region],
        capacity_rps: logUniform(rng, tier.capacity_rps),
        base_latency_ms: logUniform(rng, tier.latency_ms),
        base_error_rate_pct: logUniform(rng, tier.error_pct),
      });
      const values = [new Float64Array(points), new Float64Array(points), new Float64Array(points)] as [
        Float64Array,
        Float64Array,
        Float64Array,
      ];
      const expected = [new Float64Array(points), new Float64Array(points), new Float64Array(points)] as [
        Float64Array,
        Float64Array,
        Float64Array,
      ];
      renderSeries(profile, {
        rng,
        grid: { startMs: start, stepMs: step, points },
        out: { values, expected },
        scratch,
      });
      const tracks = [
        makeTrack("latency_ms", values[0], [1e-6, Infinity], perDay, expected[0]),
        makeTrack("error_rate_pct", values[1], [0, 100], perDay, expected[1]),
        makeTrack("throughput_rps", values[2], [0, Infinity], perDay, expected[2]),
      ];
      const ctx: SeriesContext = { tracks, points, period: perDay, sigmaWindow: Math.max(2, Math.round(HOUR / step)) };
      const off = k * points;
      for (const { inc, effect } of byService.get(name) ?? []) {
        const [i0, len] = span(start, step, points, inc.start, inc.resolved);
        const r = entityStream(config.seed, {
          dataset: "incidents",
          entity: `${inc.id}/metrics/${name}/${effect.shape}`,
        });
        const got = applyEffect(r, ctx, effect, i0, len);
        if (!got) continue;
        incidentCode.fill(inc.index, off + i0, off + i0 + len);
        shapeCode.fill(SHAPES.indexOf(effect.shape), off + i0, off + i0 + len);
        anomalies.push({
          incident: inc.index,
          table: "service",
          target: name,
          shape: effect.shape,
          metrics: got.metrics,
          first: start + i0 * step,
          last: start + (i0 + len - 1) * step,
          points: len,
          realized: got.realized,
        });
      }
      const round = (v: number, d: number) => Math.round(v * d) / d;
      for (let i = 0; i < points; i++) {
        out.latency[off + i] = round(tracks[0].values[i], 1000);
        out.errors[off + i] = round(tracks[1].values[i], 10000);
        out.rps[off + i] = round(tracks[2].values[i], 100);
      }
      meta.service.fill(from + k, off, off + points);
      meta.tier.push(info.tier);
      meta.region.push(region);
    });
    const time = new Float64Array(rows);
    for (let k = 0; k < names.length; k++) for (let i = 0; i < points; i++) time[k * points + i] = start + i * step;
    const local = new Int32Array(rows);
    for (let i = 0; i < rows; i++) local[i] = meta.service[i] - from;
    const frame = pl.DataFrame([
      msSeries("timestamp", time),
      codedStrings("service", { dict: names, codes: local }),
      codedStrings("tier", { dict: meta.tier, codes: local }),
      codedStrings("region", { dict: meta.region, codes: local }),
      pl.Series("latency_ms", out.latency),
      pl.Series("error_rate_pct", out.errors),
      pl.Series("throughput_rps", out.rps),
      codedStrings("incident_id", { dict: ids, codes: incidentCode }),
      codedStrings("anomaly", { dict: SHAPES, codes: shapeCode }),
    ]);
    yield { frame, anomalies };
  }
}

/**
 * The `metric_anomalies` table: one row per applied metric effect.
 * @param anomalies the applied effects
 * @param incidents the timeline (for ids)
 * @returns the frame
 */
export function metricAnomaliesFrame(
  anomalies: readonly MetricAnomaly[],
  incidents: readonly Incident[],
): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("incident_id", anomalies.map((a) => incidents[a.incident].id), pl.String),
    pl.Series("table", anomalies.map((a) => a.table), pl.String),
    pl.Series("target", anomalies.map((a) => a.target), pl.String),
    pl.Series("anomaly", anomalies.map((a) => a.shape), pl.String),
    stringLists("metrics", anomalies.map((a) => a.metrics)),
    msSeries("first", Float64Array.from(anomalies, (a) => a.first)),
    msSeries("last", Float64Array.from(anomalies, (a) => a.last)),
    pl.Series("points", Int32Array.from(anomalies, (a) => a.points)),
    pl.Series("realized", anomalies.map((a) => JSON.stringify(a.realized)), pl.String),
  ]);
}
