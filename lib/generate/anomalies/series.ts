/**
 * One series from its own stream: the plan derived once from the config (grid, selection of anomalous series),
 * then the clean model rendered, anomalies drawn, placed and applied, labels written. No Polars here, so worker
 * threads can load it cheaply.
 * @module
 */
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { round6 } from "./types/_common.ts";
import {
  AnomaliesConfig,
  type AnomaliesConfigInput,
  checkFit,
  DIFFICULTY_SIGMAS,
  type EnabledType,
  enabledTypes,
  freqToMs,
} from "./config.ts";
import {
  type BurstBuffers,
  drawBursts,
  drawNoise,
  drawProfile,
  type Grid,
  makeBurstBuffers,
  type MetricName,
  METRICS,
  type NoiseProfile,
  renderSeries,
  type SeriesProfile,
} from "./model.ts";
import { placeAnomalies } from "./place.ts";
import {
  ANOMALY_TYPE_NAMES,
  ANOMALY_TYPES,
  type AnomalyTypeName,
  type Placed,
  type Realized,
  type SeriesContext,
  type Track,
} from "./types/mod.ts";

/** The dataset kind, used to derive every stream. */
export const KIND = "anomalies";

/** One anomaly of the events table. */
export interface AnomalyEvent {
  /** `<series_id>-a<k>`, k counting from 1 in time order within the series. */
  anomaly_id: string;
  /** The series. */
  series_id: string;
  /** The type. */
  type: AnomalyTypeName;
  /** Affected metric names. */
  metrics: string[];
  /** First labeled point (0-based index). */
  start_index: number;
  /** Labeled points. */
  length: number;
  /** First labeled timestamp, ms since the epoch. */
  start_ms: number;
  /** Last labeled timestamp (inclusive), ms since the epoch. */
  end_ms: number;
  /** Realized parameters. */
  parameters: Realized;
  /**
   * Largest |z| over its span and metrics against the 60 observed points before onset (mean and standard
   * deviation, missing values skipped): how visible it is to a rolling z-score; null when not measurable (a
   * missing-data gap, or no baseline).
   */
  difficulty: number | null;
}

/** One row of the series table: identity, base levels, seasonality and what anomalies it got. */
export interface SeriesMeta extends SeriesProfile, NoiseProfile {
  /** Unlabelled benign bursts (GC pauses, cron runs, deploys) in the series. */
  benign_bursts: number;
  /** The series id. */
  series_id: string;
  /** Whether the series got anomalies. */
  has_anomaly: boolean;
  /** Distinct types of its anomalies, in registry order. */
  anomaly_types: string[];
  /** Number of anomalies. */
  anomaly_count: number;
  /** Number of labeled points. */
  anomaly_points: number;
  /** Mean of the clean latency. */
  mean_latency_ms: number;
  /** Mean of the clean error rate. */
  mean_error_rate_pct: number;
  /** Mean of the clean throughput. */
  mean_throughput_rps: number;
}

/** Everything the per-series generator needs, derived once from the config. */
export interface AnomalyPlan {
  /** The resolved config. */
  config: AnomaliesConfig;
  /** The time grid. */
  grid: Grid;
  /** Points per day (the seasonal period), at least 2. */
  period: number;
  /** The enabled types. */
  types: EnabledType[];
  /** 1 for each series chosen to get anomalies. */
  selected: Uint8Array;
}

/** Valid ranges of the three metrics (latency strictly positive). */
export const METRIC_BOUNDS: Record<MetricName, [number, number]> = {
  latency_ms: [1e-6, Infinity],
  error_rate_pct: [0, 100],
  throughput_rps: [0, Infinity],
};
const KINDS = { latency_ms: "latency", error_rate_pct: "errors", throughput_rps: "throughput" } as const;

/**
 * The id of series `index`: `series-00042` (five digits at least, so ids do not depend on the series count).
 * @param index 0-based series index
 * @returns the id
 */
export function seriesId(index: number): string {
  return `series-${String(index).padStart(5, "0")}`;
}

/**
 * Derives the plan: checks the request fits, builds the grid and chooses the anomalous series. Each series draws
 * a key (the first draw of its own stream); the `round(anomaly_ratio * series)` series with the smallest keys get
 * anomalies, so the choice is random, exact in count, and a series' membership needs only the keys.
 * @param input the config (resolved or partial; defaults apply)
 * @param options the selection, when already computed (worker threads get it from the main thread)
 * @returns the plan
 * @throws {RangeError} when the anomalies cannot fit
 */
export function planAnomalies(input: AnomaliesConfigInput, options: { selected?: Uint8Array } = {}): AnomalyPlan {
  const config = AnomaliesConfig.parse(input);
  checkFit(config);
  const stepMs = freqToMs(config.freq);
  const grid: Grid = { startMs: Date.parse(config.start), stepMs, points: config.points };
  const period = Math.max(2, Math.round(86_400_000 / stepMs));
  const selected = options.selected ?? selectSeries(config);
  return { config, grid, period, types: enabledTypes(config), selected };
}

/**
 * Chooses the series that get anomalies (see {@linkcode planAnomalies}).
 * @param config the resolved config
 * @returns 1 for each chosen series
 */
export function selectSeries(config: AnomaliesConfig): Uint8Array {
  const n = config.series;
  const want = Math.round(config.anomaly_ratio * n);
  const selected = new Uint8Array(n);
  if (want === n) selected.fill(1);
  else if (want > 0) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = entityStream(config.seed, { dataset: KIND, entity: seriesId(i) }).next();
    const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
    for (let k = 0; k < want; k++) selected[order[k]] = 1;
  }
  return selected;
}

/** Per-series scratch buffers, reused from series to series. */
export interface Scratch {
  /** Clean copies, one per metric. */
  clean: Float64Array[];
  /** Noiseless expectations, one per metric. */
  expected: [Float64Array, Float64Array, Float64Array];
  /** Seasonal parts, one per metric. */
  seasonal: Float64Array[];
  /** Normal draws. */
  normals: Float64Array;
  /** Benign-burst multipliers. */
  bursts: BurstBuffers;
  /** Values of an anomaly's span before it is applied, per metric. */
  before: [Float64Array, Float64Array, Float64Array];
}

/**
 * Allocates scratch buffers for series of `points` points.
 * @param points points per series
 * @returns the buffers
 */
export function makeScratch(points: number): Scratch {
  const three = () => [0, 1, 2].map(() => new Float64Array(points)) as [Float64Array, Float64Array, Float64Array];
  return {
    clean: three(),
    expected: three(),
    seasonal: three(),
    normals: new Float64Array(4 * points),
    bursts: makeBurstBuffers(points),
    before: three(),
  };
}

/** The label buffers of a chunk a series writes its labels into. */
export interface LabelBuffers {
  /** Type code per point: 0 normal, else 1 + registry index. */
  typeCode: Uint8Array;
  /** Event number per point within the chunk (1-based), 0 for normal points. */
  eventIndex: Uint32Array;
  /** Affected-metric flags per point, one array per metric. */
  flags: [Uint8Array, Uint8Array, Uint8Array];
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** What {@linkcode generateSeries} returns besides the values it writes. */
export interface SeriesResult {
  /** The series row. */
  meta: SeriesMeta;
  /** Its anomalies in time order. */
  events: AnomalyEvent[];
  /** Points clipped to physical bounds while injecting. */
  clipped: number;
  /** Anomalies shortened to fit. */
  shrunk: number;
}

/** Where {@linkcode generateSeries} writes one series. */
export interface GenerateSeriesOptions {
  /** Where the metric values go (three arrays of `points`, in `METRICS` order; `NaN` for missing). */
  values: [Float64Array, Float64Array, Float64Array];
  /** Where the labels go. */
  labels: LabelBuffers;
  /** First label row of this series in `labels`. @default 0 */
  labelOffset?: number;
  /** Number of the series' first event. @default 1 */
  firstEvent?: number;
  /** Reusable scratch buffers. @default fresh ones */
  scratch?: Scratch;
}

/**
 * Generates one series into `values` (three arrays of `points`, in {@linkcode METRICS} order) and its labels
 * into `labels` (from `labelOffset`, event numbers from `firstEvent`). Depends only on the plan and the index.
 * @param plan the plan
 * @param index the series index
 * @param options `values`: where the metric values go (`NaN` for missing); `labels`: where the labels go; offsets
 *   into the label buffers and reusable scratch
 * @returns the series row, its events and counters
 */
export function generateSeries(plan: AnomalyPlan, index: number, options: GenerateSeriesOptions): SeriesResult {
  const { config, grid } = plan;
  const { values, labels, labelOffset = 0, firstEvent = 1, scratch = makeScratch(grid.points) } = options;
  const id = seriesId(index);
  const rng: Rng = entityStream(config.seed, { dataset: KIND, entity: id });
  rng.next(); // the selection key (see planAnomalies)
  const profile = drawProfile(rng);
  const noise = drawNoise(rng, config.noise);
  const bursts = drawBursts(rng, { noise, grid, out: scratch.bursts });
  renderSeries(profile, {
    rng,
    grid,
    out: { values, expected: scratch.expected },
    scratch: scratch.normals,
    realism: { noise, bursts: scratch.bursts },
  });
  const means = values.map(mean);
  const events: AnomalyEvent[] = [];
  let clipped = 0, shrunk = 0, labeled = 0;
  if (plan.selected[index] === 1) {
    const tracks: Track[] = METRICS.map((name, m) => {
      scratch.clean[m].set(values[m]);
      const e = scratch.expected[m];
      const mu = mean(e);
      for (let i = 0; i < e.length; i++) scratch.seasonal[m][i] = e[i] - mu;
      return {
        name,
        kind: KINDS[name],
        values: values[m],
        clean: scratch.clean[m],
        expected: e,
        seasonal: scratch.seasonal[m],
        lower: METRIC_BOUNDS[name][0],
        upper: METRIC_BOUNDS[name][1],
      };
    });
    const ctx: SeriesContext = { tracks, points: grid.points, period: plan.period, sigmaWindow: config.sigma_window };
    const placed = placeAnomalies(rng, { config, types: plan.types, tracks });
    const sizes = DIFFICULTY_SIGMAS[config.difficulty];
    placed.forEach((e, k) => {
      const { parameters, difficulty } = applySized(ctx, { anomaly: e, values, before: scratch.before, sizes, rng });
      if (e.drawnLength !== e.length) {
        parameters.drawn_length = e.drawnLength;
        shrunk++;
      }
      if (typeof parameters.clipped === "number") clipped += parameters.clipped;
      const code = 1 + ANOMALY_TYPE_NAMES.indexOf(e.type);
      const from = labelOffset + e.start, to = from + e.length;
      labels.typeCode.fill(code, from, to);
      labels.eventIndex.fill(firstEvent + k, from, to);
      for (const m of e.metrics) labels.flags[m].fill(1, from, to);
      labeled += e.length;
      events.push({
        anomaly_id: `${id}-a${k + 1}`,
        series_id: id,
        type: e.type,
        metrics: e.metrics.map((m) => METRICS[m]),
        start_index: e.start,
        length: e.length,
        start_ms: grid.startMs + e.start * grid.stepMs,
        end_ms: grid.startMs + (e.start + e.length - 1) * grid.stepMs,
        parameters,
        difficulty,
      });
    });
  }
  const types = ANOMALY_TYPE_NAMES.filter((t) => events.some((e) => e.type === t));
  const meta: SeriesMeta = {
    series_id: id,
    ...profile,
    ...noise,
    benign_bursts: bursts,
    has_anomaly: events.length > 0,
    anomaly_types: types,
    anomaly_count: events.length,
    anomaly_points: labeled,
    mean_latency_ms: means[0],
    mean_error_rate_pct: means[1],
    mean_throughput_rps: means[2],
  };
  return { meta, events, clipped, shrunk };
}

/** Mean and sample standard deviation of the observed values in the `window` points before `start` (NaN skipped). */
function baseline(v: Float64Array, start: number, window: number): [number, number] {
  let n = 0, sum = 0, sum2 = 0;
  for (let i = Math.max(0, start - window); i < start; i++) {
    const x = v[i];
    if (x !== x) continue;
    n++;
    sum += x;
    sum2 += x * x;
  }
  if (n < 2) return [NaN, NaN];
  const mu = sum / n;
  return [mu, Math.sqrt(Math.max(0, (sum2 - n * mu * mu) / (n - 1)))];
}

/**
 * The difficulty of an applied anomaly: its largest |z| over the span and metrics against the observed baseline
 * before onset.
 */
function measureDifficulty(
  values: readonly Float64Array[],
  metrics: readonly number[],
  start: number,
  length: number,
  window: number,
): number | null {
  let peak = -1;
  for (const m of metrics) {
    const [mu, sd] = baseline(values[m], start, window);
    if (!(sd > 0)) continue;
    for (let i = start; i < start + length; i++) {
      const z = Math.abs(values[m][i] - mu) / sd;
      if (z > peak) peak = z;
    }
  }
  return peak >= 0 ? round6(peak) : null;
}

/** Largest factor an anomaly's change is grown by to reach its drawn size. */
const MAX_GROWTH = 10;
/** Types whose change is only ever shrunk: growing a flatline or a gap has no meaning. */
const KEEP_SIZE: ReadonlySet<string> = new Set(["flatline", "missing"]);

/**
 * Scales an applied anomaly so its largest move is `target` baseline standard deviations: each value becomes
 * before + s * (after - before) (s at most 10, at most 1 for flatline and missing), held within the metric's bounds.
 * Records the scale in `parameters.scale`; returns the difficulty.
 */
function scaleTo(
  values: readonly Float64Array[],
  before: readonly Float64Array[],
  metrics: readonly number[],
  start: number,
  length: number,
  window: number,
  target: number,
  parameters: Realized,
  grow: boolean,
  bounds: readonly (readonly [number, number])[],
): number | null {
  let move = 0;
  for (const m of metrics) {
    const sd = baseline(values[m], start, window)[1];
    if (!(sd > 0)) continue;
    for (let k = 0; k < length; k++) {
      const d = Math.abs(values[m][start + k] - before[m][k]) / sd;
      if (d > move) move = d;
    }
  }
  const scale = move > 0 ? Math.min(grow ? MAX_GROWTH : 1, target / move) : 1;
  if (scale !== 1) {
    for (const m of metrics) {
      const v = values[m], b = before[m];
      const [lo, hi] = bounds[m];
      for (let k = 0; k < length; k++) {
        const x = v[start + k];
        if (x === x && b[k] === b[k]) v[start + k] = Math.min(hi, Math.max(lo, b[k] + scale * (x - b[k])));
      }
    }
  }
  parameters.scale = round6(scale);
  return measureDifficulty(values, metrics, start, length, window);
}

/**
 * Applies a placed anomaly at the size the `difficulty` preset asks for: draws the target size (one draw for every
 * anomaly, whatever the preset), applies the type, scales the change (see `DIFFICULTY_SIGMAS`) and measures the
 * difficulty.
 * @param ctx the series
 * @param sized `anomaly`: the placed anomaly; `values`: the series' value arrays (the tracks' `values`), in track
 *   order; `before`: scratch arrays at least `anomaly.length` long, one per track; `sizes`: the preset's range of
 *   sizes in baseline standard deviations, null to keep the type's size; `rng`: the series stream
 * @returns the realized parameters (with `scale` when sized) and the difficulty
 */
export function applySized(ctx: SeriesContext, sized: {
  anomaly: Placed & { type: AnomalyTypeName };
  values: readonly Float64Array[];
  before: readonly Float64Array[];
  sizes: readonly [number, number] | null;
  rng: Rng;
}): { parameters: Realized; difficulty: number | null } {
  const { anomaly: e, values, before, sizes, rng } = sized;
  const target = Math.exp(rng.uniform(Math.log(sizes?.[0] ?? 1), Math.log(sizes?.[1] ?? 1)));
  const metrics = e.metrics.slice();
  for (const m of metrics) before[m].set(values[m].subarray(e.start, e.start + e.length));
  const parameters = ANOMALY_TYPES[e.type].apply(ctx, e);
  const difficulty = sizes === null ? measureDifficulty(values, metrics, e.start, e.length, ctx.sigmaWindow) : scaleTo(
    values,
    before,
    metrics,
    e.start,
    e.length,
    ctx.sigmaWindow,
    target,
    parameters,
    !KEEP_SIZE.has(e.type),
    ctx.tracks.map((t) => [t.lower, t.upper] as const),
  );
  return { parameters, difficulty };
}
