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

/**
 * Renders the clean series of one profile into `out`: 4 normal draws a point (load noise and one measurement
 * noise per metric), taken from `rng` in a fixed order so the series depends only on its stream and the grid.
 * @param profile the series profile
 * @param rng the series stream (after the profile draws)
 * @param grid the time grid
 * @param out the buffers to fill
 * @param scratch a buffer of at least `4 * points` doubles for the normal draws
 */
export function renderSeries(
  profile: SeriesProfile,
  rng: Rng,
  grid: Grid,
  out: SeriesBuffers,
  scratch: Float64Array,
): void {
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
