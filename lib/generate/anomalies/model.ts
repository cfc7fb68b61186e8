/**
 * The clean service model behind every series: load drives throughput; latency rises with load like a queue
 * (sharply near saturation); the error rate rises as latency saturates. Daily and weekly seasonality in the
 * region's local time, autocorrelated load noise, and measurement noise of the right kind for each metric. Values
 * are physically valid by construction: latency > 0, throughput >= 0, error rate within 0-100.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { fillStandardNormal } from "@lib/random/mod.ts";

/** The three metrics of a series, in column order. */
export const METRICS = ["latency_ms", "error_rate_pct", "throughput_rps"] as const;
/** One metric of a series. */
export type MetricName = (typeof METRICS)[number];

/** Service tiers, with plausible ranges of base levels (drawn log-uniformly). */
export const TIERS = {
  frontend: { latency_ms: [80, 400], capacity_rps: [200, 3000], error_pct: [0.1, 1.0] },
  api: { latency_ms: [20, 200], capacity_rps: [100, 5000], error_pct: [0.05, 0.8] },
  backend: { latency_ms: [10, 120], capacity_rps: [50, 2000], error_pct: [0.05, 0.5] },
  database: { latency_ms: [1, 20], capacity_rps: [500, 20000], error_pct: [0.01, 0.2] },
  cache: { latency_ms: [0.2, 3], capacity_rps: [1000, 50000], error_pct: [0.005, 0.1] },
  queue: { latency_ms: [5, 60], capacity_rps: [50, 3000], error_pct: [0.01, 0.3] },
} as const satisfies Record<string, Record<string, readonly [number, number]>>;
/** A service tier. */
export type Tier = keyof typeof TIERS;

const TIER_NAMES = Object.keys(TIERS) as Tier[];
const TIER_WEIGHTS = [2, 4, 4, 2, 1, 1];

const SERVICES: Record<Tier, readonly string[]> = {
  frontend: ["web", "storefront", "admin-ui", "mobile-bff"],
  api: ["checkout-api", "search-api", "catalog-api", "auth-api", "payments-api", "orders-api", "profile-api"],
  backend: ["inventory", "pricing", "recommendations", "shipping", "notifications", "billing", "fraud-check"],
  database: ["orders-db", "users-db", "catalog-db"],
  cache: ["session-cache", "product-cache"],
  queue: ["events-queue", "email-queue", "jobs-queue"],
};

/** Regions and their UTC offsets in hours (the seasonality follows local time). */
export const REGIONS: Record<string, number> = {
  "us-east-1": -5,
  "us-west-2": -8,
  "sa-east-1": -3,
  "eu-west-1": 0,
  "eu-central-1": 1,
  "ap-south-1": 5.5,
  "ap-southeast-1": 8,
  "ap-northeast-1": 9,
};
const REGION_NAMES = Object.keys(REGIONS);

/** The drawn identity, base levels and seasonality of one series (stored in the series table). */
export interface SeriesProfile {
  /** Service name. */
  service: string;
  /** Service tier. */
  tier: Tier;
  /** Cloud region. */
  region: string;
  /** UTC offset of the region, in hours. */
  utc_offset_hours: number;
  /** Requests per second at saturation. */
  capacity_rps: number;
  /** Mean utilization (load / capacity) before seasonality. */
  base_utilization: number;
  /** Latency at zero load (service time), in ms. */
  base_latency_ms: number;
  /** Queueing factor: latency = base * (1 + q * u^2 / (1 - u)). */
  queue_factor: number;
  /** Error rate at normal load, in percent. */
  base_error_rate_pct: number;
  /** Error rate added at saturation, in percent. */
  saturation_error_pct: number;
  /** Standard deviation of the log-load noise. */
  load_noise: number;
  /** AR(1) coefficient of the load noise (its autocorrelation per step). */
  load_ar: number;
  /** Standard deviation of the multiplicative latency noise. */
  latency_noise: number;
  /** Over-dispersion of error counts relative to binomial. */
  error_overdispersion: number;
  /** Amplitude of the daily cycle of load (fraction of the mean). */
  daily_amplitude: number;
  /** Local hour of the daily peak. */
  daily_peak_hour: number;
  /** Amplitude of the second daily harmonic (fraction of the mean). */
  daily_harmonic: number;
  /** Fractional load change on Saturday and Sunday (negative: busier at weekends). */
  weekend_drop: number;
}

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

/**
 * Draws the profile of one series.
 * @param rng the series stream
 * @returns the profile
 */
export function drawProfile(rng: Rng): SeriesProfile {
  const tier = rng.categorical(TIER_NAMES, TIER_WEIGHTS);
  const ranges = TIERS[tier];
  const region = rng.pick(REGION_NAMES);
  const dailyAmplitude = rng.uniform(0.15, 0.6);
  const harmonic = rng.uniform(-0.25, 0.25) * dailyAmplitude;
  // The daily peak stays below 0.85 utilization: healthy services are not saturated every afternoon.
  const peak = 1 + dailyAmplitude + Math.abs(harmonic);
  const utilization = rng.uniform(0.15, Math.min(0.55, 0.85 / peak));
  return {
    service: rng.pick(SERVICES[tier]),
    tier,
    region,
    utc_offset_hours: REGIONS[region],
    capacity_rps: logUniform(rng, ranges.capacity_rps),
    base_utilization: utilization,
    base_latency_ms: logUniform(rng, ranges.latency_ms),
    queue_factor: rng.uniform(0.2, 0.8),
    base_error_rate_pct: logUniform(rng, ranges.error_pct),
    saturation_error_pct: rng.uniform(10, 40),
    load_noise: rng.uniform(0.02, 0.06),
    load_ar: rng.uniform(0.6, 0.95),
    latency_noise: rng.uniform(0.02, 0.06),
    error_overdispersion: rng.uniform(1, 2),
    daily_amplitude: dailyAmplitude,
    daily_peak_hour: rng.uniform(12, 17),
    daily_harmonic: harmonic,
    weekend_drop: rng.uniform(-0.1, 0.35),
  };
}

/** Output buffers of {@linkcode renderSeries}, each `points` long. */
export interface SeriesBuffers {
  /** Observed values, per metric in {@linkcode METRICS} order. */
  values: [Float64Array, Float64Array, Float64Array];
  /** Noiseless expectation, per metric. */
  expected: [Float64Array, Float64Array, Float64Array];
}

/** The time grid of a dataset. */
export interface Grid {
  /** First timestamp, ms since the epoch (UTC). */
  startMs: number;
  /** Step, ms. */
  stepMs: number;
  /** Points per series. */
  points: number;
}

const DAY_MS = 86_400_000;
/** Utilization above which the model treats the service as saturated. */
const RHO_MAX = 0.98;

function latencyAt(p: SeriesProfile, rho: number): number {
  const u = Math.min(rho, RHO_MAX);
  return p.base_latency_ms * (1 + p.queue_factor * u * u / (1 - u));
}

function errorAt(p: SeriesProfile, rho: number): number {
  // Below 0.6 utilization the saturation term is under 1e-6 of its size: skip the exponential.
  if (rho < 0.6) return p.base_error_rate_pct;
  const u = Math.min(rho, RHO_MAX);
  return p.base_error_rate_pct + p.saturation_error_pct / (1 + Math.exp(-(u - 0.92) / 0.02));
}

function dayFactor(p: SeriesProfile, day: number): number {
  const dow = ((day + 4) % 7 + 7) % 7; // 1970-01-01 was a Thursday (4); 0 is Sunday
  return dow === 0 || dow === 6 ? 1 - p.weekend_drop : 1;
}

/** Weekend factor at a local time in days: each day's factor, blended over the three hours around midnight. */
function weekendAt(p: SeriesProfile, localDays: number): number {
  const day = Math.floor(localDays);
  const frac = localDays - day;
  const blend = 0.0625; // 1.5 h of a day
  if (frac >= blend && frac <= 1 - blend) return dayFactor(p, day);
  const [a, b, x] = frac < blend
    ? [dayFactor(p, day - 1), dayFactor(p, day), 0.5 + frac / (2 * blend)]
    : [dayFactor(p, day), dayFactor(p, day + 1), (frac - (1 - blend)) / (2 * blend)];
  return a + (b - a) * x;
}

/** What {@linkcode renderSeries} renders with and into. */
export interface RenderSeries {
  /** The series stream (after the profile draws). */
  rng: Rng;
  /** The time grid. */
  grid: Grid;
  /** The buffers to fill. */
  out: SeriesBuffers;
  /** A buffer of at least `4 * points` doubles for the normal draws. */
  scratch: Float64Array;
  /** The realistic model's noise profile and bursts. @default none (the plain model) */
  realism?: { noise: NoiseProfile; bursts: BurstBuffers };
}

/**
 * Renders the clean series of one profile into `out`: 4 normal draws a point (load noise and one measurement
 * noise per metric), taken from `rng` in a fixed order so the series depends only on its stream and the grid.
 * @param profile the series profile
 * @param render the series stream (after the profile draws), the time grid, the buffers to fill, a scratch buffer
 *   of at least `4 * points` doubles for the normal draws, and the realism (noise profile and bursts) if any
 */
export function renderSeries(profile: SeriesProfile, render: RenderSeries): void {
  const { rng, grid, out, scratch, realism } = render;
  if (realism) return renderRealistic(profile, rng, grid, out, scratch, realism.noise, realism.bursts);
  const { startMs, stepMs, points } = grid;
  const z = scratch.subarray(0, 4 * points);
  fillStandardNormal(rng, z);
  const [lat, err, thr] = out.values;
  const [eLat, eErr, eThr] = out.expected;
  const p = profile;
  const stepS = stepMs / 1000;
  const offsetMs = p.utc_offset_hours * 3_600_000;
  // Daily cycle by rotation: cos/sin of the phase advance by a fixed angle each step (exact to ~1e-12 here).
  const dTheta = 2 * Math.PI * stepMs / DAY_MS;
  const theta0 = 2 * Math.PI * ((((startMs + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS / DAY_MS - p.daily_peak_hour / 24);
  let c = Math.cos(theta0), s = Math.sin(theta0);
  const cosStep = Math.cos(dTheta), sinStep = Math.sin(dTheta);
  const innovation = p.load_noise * Math.sqrt(1 - p.load_ar * p.load_ar);
  let eta = p.load_noise * z[0];
  const latBias = -0.5 * p.latency_noise * p.latency_noise;
  for (let i = 0; i < points; i++) {
    const t = startMs + i * stepMs;
    const daily = 1 + p.daily_amplitude * c + p.daily_harmonic * (2 * c * c - 1);
    const rhoExp = p.base_utilization * daily * weekendAt(p, (t + offsetMs) / DAY_MS);
    if (i > 0) eta = p.load_ar * eta + innovation * z[4 * i];
    const rho = rhoExp * Math.exp(eta);
    // Throughput: the served load, capped at capacity, with Poisson counting noise of one step's requests.
    const lambdaExp = p.capacity_rps * Math.min(rhoExp, RHO_MAX);
    const lambda = p.capacity_rps * Math.min(rho, RHO_MAX);
    eThr[i] = lambdaExp;
    thr[i] = Math.max(0, lambda + Math.sqrt(lambda / stepS) * z[4 * i + 1]);
    // Latency: queueing on the actual load, times lognormal noise (mean 1).
    eLat[i] = latencyAt(p, rhoExp);
    lat[i] = latencyAt(p, rho) * Math.exp(p.latency_noise * z[4 * i + 2] + latBias);
    // Error rate: a binomial share of the step's requests (normal approximation), over-dispersed, in [0, 100].
    const pe = errorAt(p, rho);
    eErr[i] = errorAt(p, rhoExp);
    const n = Math.max(1, lambda * stepS);
    const errSd = 100 * Math.sqrt((pe / 100) * (1 - pe / 100) / n) * p.error_overdispersion;
    err[i] = Math.min(100, Math.max(0, pe + errSd * z[4 * i + 3]));
    const c2 = c * cosStep - s * sinStep;
    s = s * cosStep + c * sinStep;
    c = c2;
  }
}

/**
 * What makes a series look like a real fleet's (issue 14, item 4): heavy-tailed noise, over-dispersed request
 * counts and unlabelled benign bursts. Drawn per series after its {@linkcode SeriesProfile}.
 */
export interface NoiseProfile {
  /**
   * Tukey h of the load innovations and of the latency, count and error noise: a standard normal z becomes z * exp(h z^2 / 2)
   * (rescaled to unit variance), heavy-tailed for h > 0 (excess kurtosis 2.5 at h = 0.1, 33 at h = 0.2).
   */
  noise_tail: number;
  /** Relative standard deviation of one step's request count beyond Poisson (Poisson-gamma, i.e. negative binomial). */
  count_cv: number;
  /** Benign (unlabelled) GC pauses per day: one or two points of raised latency. */
  gc_per_day: number;
  /** Period of a cron job in minutes (its extra load every period for 1-3 points), 0 for none. */
  cron_period_min: number;
  /** Benign deploys per day: 3-12 points of raised latency and errors, throughput dipping while instances restart. */
  deploys_per_day: number;
}

/** Ranges the noise profile is drawn from (config `noise`). */
export interface NoiseRanges {
  /** Tukey h range. */
  tail: readonly [number, number];
  /** count_cv range (log-uniform). */
  count_cv: readonly [number, number];
  /** Whether benign bursts are added. */
  bursts: boolean;
}

/**
 * Draws the noise profile of one series.
 * @param rng the series stream (after the profile)
 * @param ranges the configured ranges
 * @returns the noise profile
 */
export function drawNoise(rng: Rng, ranges: NoiseRanges): NoiseProfile {
  const tail = rng.uniform(ranges.tail[0], ranges.tail[1]);
  const cv = logUniform(rng, ranges.count_cv);
  const gc = rng.uniform(0, 8);
  const cron = rng.bernoulli(0.35) ? rng.pick([15, 30, 60]) : 0;
  const deploys = rng.uniform(0, 1.5);
  return {
    noise_tail: tail,
    count_cv: cv,
    gc_per_day: ranges.bursts ? gc : 0,
    cron_period_min: ranges.bursts ? cron : 0,
    deploys_per_day: ranges.bursts ? deploys : 0,
  };
}

/** Per-point multipliers of the benign bursts of one series (1 and 0 where there is none). */
export interface BurstBuffers {
  /** Factor on the load. */
  load: Float64Array;
  /** Factor on latency. */
  latency: Float64Array;
  /** Error rate added, in the point's own noise standard deviations. */
  errors: Float64Array;
}

/**
 * Allocates burst buffers.
 * @param points points per series
 * @returns the buffers
 */
export function makeBurstBuffers(points: number): BurstBuffers {
  return { load: new Float64Array(points), latency: new Float64Array(points), errors: new Float64Array(points) };
}

/**
 * Draws the benign bursts of one series into `out` (GC pauses, cron load, deploys); they are normal behaviour and
 * never labelled.
 * @param rng the series stream
 * @param bursts `noise`: the series' noise profile; `grid`: the time grid; `out`: the buffers (overwritten)
 * @returns how many bursts were drawn
 */
export function drawBursts(
  rng: Rng,
  { noise, grid, out }: { noise: NoiseProfile; grid: Grid; out: BurstBuffers },
): number {
  const { points, stepMs } = grid;
  out.load.fill(1);
  out.latency.fill(1);
  out.errors.fill(0);
  const days = points * stepMs / DAY_MS;
  let count = 0;
  const gc = noise.gc_per_day > 0 ? rng.poisson(noise.gc_per_day * days) : 0;
  for (let k = 0; k < gc; k++) {
    const at = rng.int(0, points - 1), len = rng.int(1, 2);
    const f = Math.exp(rng.uniform(Math.log(1.1), Math.log(1.8)));
    for (let i = at; i < Math.min(points, at + len); i++) out.latency[i] *= f;
    count++;
  }
  const periodPts = Math.round(noise.cron_period_min * 60_000 / stepMs);
  if (periodPts >= 4) {
    const offset = rng.int(0, periodPts - 1), len = rng.int(1, 3), f = rng.uniform(1.1, 1.4);
    for (let at = offset; at < points; at += periodPts) {
      for (let i = at; i < Math.min(points, at + len); i++) out.load[i] *= f;
      count++;
    }
  }
  const deploys = noise.deploys_per_day > 0 ? rng.poisson(noise.deploys_per_day * days) : 0;
  for (let k = 0; k < deploys; k++) {
    const at = rng.int(0, points - 1), len = rng.int(3, 12);
    const lat = rng.uniform(1.1, 1.6), load = rng.uniform(0.8, 0.95), err = rng.uniform(2, 8);
    for (let i = at; i < Math.min(points, at + len); i++) {
      out.latency[i] *= lat;
      out.load[i] *= load;
      out.errors[i] += err;
    }
    count++;
  }
  return count;
}

/** The realistic path of {@linkcode renderSeries}: same model, heavy-tailed noise, count noise and bursts. */
function renderRealistic(
  p: SeriesProfile,
  rng: Rng,
  grid: Grid,
  out: SeriesBuffers,
  scratch: Float64Array,
  noise: NoiseProfile,
  bursts: BurstBuffers,
): void {
  const { startMs, stepMs, points } = grid;
  const z = scratch.subarray(0, 4 * points);
  fillStandardNormal(rng, z);
  const [lat, err, thr] = out.values;
  const [eLat, eErr, eThr] = out.expected;
  const stepS = stepMs / 1000;
  const offsetMs = p.utc_offset_hours * 3_600_000;
  const dTheta = 2 * Math.PI * stepMs / DAY_MS;
  const theta0 = 2 * Math.PI * ((((startMs + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS / DAY_MS - p.daily_peak_hour / 24);
  let c = Math.cos(theta0), s = Math.sin(theta0);
  const cosStep = Math.cos(dTheta), sinStep = Math.sin(dTheta);
  const h = noise.noise_tail / 2;
  const tailScale = Math.pow(1 - 2 * noise.noise_tail, 0.75); // 1 / sd of the Tukey-h variable
  const innovation = p.load_noise * Math.sqrt(1 - p.load_ar * p.load_ar) * tailScale;
  const latSd = p.latency_noise * tailScale;
  let eta = p.load_noise * z[0];
  const latBias = -0.5 * p.latency_noise * p.latency_noise;
  const cv2 = noise.count_cv * noise.count_cv;
  const { load: bLoad, latency: bLat, errors: bErr } = bursts;
  for (let i = 0; i < points; i++) {
    const t = startMs + i * stepMs;
    const daily = 1 + p.daily_amplitude * c + p.daily_harmonic * (2 * c * c - 1);
    const rhoExp = p.base_utilization * daily * weekendAt(p, (t + offsetMs) / DAY_MS);
    if (i > 0) {
      const zi = z[4 * i];
      eta = p.load_ar * eta + innovation * zi * Math.exp(h * zi * zi);
    }
    const rho = rhoExp * Math.exp(eta) * bLoad[i];
    const lambdaExp = p.capacity_rps * Math.min(rhoExp, RHO_MAX);
    const lambda = p.capacity_rps * Math.min(rho, RHO_MAX);
    eThr[i] = lambdaExp;
    // Throughput: a negative-binomial count (Poisson-gamma: gamma shape k = 1 / (1/m + cv^2) for m requests a
    // step), the gamma drawn from the normal by Wilson-Hilferty.
    const m = Math.max(1, lambda * stepS);
    const k = 1 / (1 / m + cv2);
    const zc = z[4 * i + 1];
    const wh = 1 - 1 / (9 * k) + zc * Math.exp(h * zc * zc) * tailScale / (3 * Math.sqrt(k));
    thr[i] = wh > 0 ? lambda * wh * wh * wh : 0;
    eLat[i] = latencyAt(p, rhoExp);
    const zl = z[4 * i + 2];
    lat[i] = latencyAt(p, rho) * Math.exp(latSd * zl * Math.exp(h * zl * zl) + latBias) * bLat[i];
    const pe = errorAt(p, rho);
    eErr[i] = errorAt(p, rhoExp);
    const errSd = 100 * Math.sqrt((pe / 100) * (1 - pe / 100) / m) * p.error_overdispersion;
    const ze = z[4 * i + 3];
    err[i] = Math.min(100, Math.max(0, pe + errSd * (ze * Math.exp(h * ze * ze) * tailScale + bErr[i])));
    const c2 = c * cosStep - s * sinStep;
    s = s * cosStep + c * sinStep;
    c = c2;
  }
}
