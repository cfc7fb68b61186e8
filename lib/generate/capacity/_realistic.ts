/**
 * The realistic capacity model: every server draws its own level, calendar strength, persistence and regimes; the
 * four metrics live in log space, where the calendar is an offset and the persistent noise an AR(1) process whose
 * innovations carry the archetype's correlations (a Cholesky factor) and occasional bursts (a scale mixture, which
 * keeps the correlation matrix), pulled towards busy episodes (correlated level vectors lasting hours); values reach the output through a smooth bound instead of a clamp.
 *
 * Daily rows are the P95 of the hourly path without generating it: within a day the calendar level is constant,
 * and a monotone map commutes with a quantile, so the day's P95 is the day's level plus the P95 of the hour-of-day
 * profile plus the hourly noise. That last term's distribution depends only on the server (its profile, persistence,
 * noise, episodes and bursts): it is simulated once per server (`calibration_days` days of 24 hours, the
 * four metrics jointly). Its Gaussian core becomes a mean and a standard deviation drawn with the correlated
 * innovations, so the daily P95s keep the archetype's correlations; what episodes and bursts add to a
 * simulated day is a joint vector that each generated day takes from one simulated day.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { type Archetype, type CapacityConfig, choleskyFactor } from "./config.ts";
import type { Timeline } from "./timeline.ts";

/** How strongly each metric follows the calendar, as in the textbook model: disks barely do. */
const WEIGHTS = [1, 0.5, 0.15, 1] as const;
/** Upper bound of each metric's output: percent, percent, percent, Mbps. */
const BOUNDS = [100, 100, 100, 1000] as const;
const NET_OUT_BOUND = 600;

/** Per-archetype constants shared by its servers. */
export interface RealisticArchetype {
  chol: number[][];
  /** The archetype's correlation matrix (`chol` is its factor). */
  correlation: number[][];
  /** log of the hour-of-day profile, less its mean over the day (hourly) or all zeros' P95 base (daily). */
  hourLog: Float64Array;
  /** log of the weekend multiplier. */
  weekendLog: number;
}

/** The output columns a server's rows are written to. */
export interface RealisticColumns {
  cpu: Float64Array;
  mem: Float64Array;
  disk: Float64Array;
  netIn: Float64Array;
  netOut: Float64Array;
}

/**
 * The smooth bound: `x / sqrt(1 + (x / b)^2)`, the identity far below `b`, approaching `b` without reaching it.
 * @param x the unbounded value, >= 0
 * @param b the bound
 * @returns the bounded value
 */
export function softBound(x: number, b: number): number {
  const r = x / b;
  return x / Math.sqrt(1 + r * r);
}

/** The inverse of {@linkcode softBound} (for a level below the bound). */
function softBoundInverse(y: number, b: number): number {
  const r = Math.min(y / b, 0.995);
  return (r * b) / Math.sqrt(1 - r * r);
}

/** Gamma(shape, 1) by Marsaglia and Tsang, boosted below shape 1. */
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.next() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = rng.next();
    if (Math.log(u || Number.MIN_VALUE) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * The P95 of 24 values with linear interpolation, as numpy's default: position 0.95 x 23 = 21.85 of the sorted
 * values, i.e. the third largest plus 0.85 of the way to the second largest (one pass, no sort).
 */
export function p95of24(v: Float64Array): number {
  let a = -Infinity, b = -Infinity, c = -Infinity; // largest, second, third
  for (let i = 0; i < 24; i++) {
    const x = v[i];
    if (x > a) {
      c = b;
      b = a;
      a = x;
    } else if (x > b) {
      c = b;
      b = x;
    } else if (x > c) c = x;
  }
  return c + (b - c) * (0.95 * 23 - 21);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * Per-archetype constants of the realistic model.
 * @param profile the archetype's hour-of-day multipliers
 * @param archetype `weekendMultiplier`: the archetype's weekend multiplier; `chol`: the Cholesky factor of its
 *   correlation matrix
 */
export function realisticArchetype(
  profile: Float64Array,
  { weekendMultiplier, chol }: { weekendMultiplier: number; chol: number[][] },
): RealisticArchetype {
  const correlation = chol.map((row, i) =>
    chol.map((other) => row.reduce((a, x, k) => a + x * (other[k] ?? 0), 0)).map((x, j) => i === j ? 1 : x)
  );
  const hourLog = new Float64Array(24);
  let mean = 0;
  for (let h = 0; h < 24; h++) mean += Math.log(profile[h]) / 24;
  for (let h = 0; h < 24; h++) hourLog[h] = Math.log(profile[h]) - mean;
  return { chol, correlation, hourLog, weekendLog: Math.log(weekendMultiplier) };
}

/** Scratch buffers reused across servers. */
export interface RealisticScratch {
  z: Float64Array;
  u: Float64Array;
}

/** One server's fill by {@linkcode fillRealistic}: its model, where its rows go, and the buffers to use. */
export interface RealisticFill {
  /** The server's archetype. */
  archetype: Archetype;
  /** The resolved config. */
  config: CapacityConfig;
  /** The archetype's constants ({@linkcode realisticArchetype}). */
  model: RealisticArchetype;
  /** The timeline of the rows. */
  timeline: Timeline;
  /** The columns to fill. */
  out: RealisticColumns;
  /** The server's first row in `out`. */
  offset: number;
  /** Scratch buffers reused across servers. */
  scratch: RealisticScratch;
  /** Fills an array with standard normal draws. */
  fillNormal: (rng: Rng, out: Float64Array) => Float64Array;
}

/**
 * Fills one server's rows at `offset` with the realistic model; every draw comes from the server's own stream, the
 * per-server parameters first (the same for daily and hourly rows), then the noise.
 * @param rng the server's stream
 * @param fill the server's archetype, config, model, timeline, target columns and scratch buffers
 */
export function fillRealistic(rng: Rng, fill: RealisticFill): void {
  const { archetype, config, model, timeline: t, out, offset, scratch, fillNormal } = fill;
  const p = config.archetypes[archetype];
  const r = config.realism;
  const metrics = [p.cpu, p.mem, p.disk, p.net];
  const sigmas = [r.level_sigma.cpu, r.level_sigma.mem, r.level_sigma.disk, r.level_sigma.net];
  // Per-server parameters.
  const zl = rng.normal();
  const coupled = Math.sqrt(1 - r.level_coupling * r.level_coupling);
  const level = metrics.map((m, k) =>
    Math.log(Math.max(1e-3, softBoundInverse(Math.max(m.mean, 1e-3), BOUNDS[k]))) +
    sigmas[k] * (r.level_coupling * zl + coupled * rng.normal())
  );
  const kHour = Math.min(r.calendar_max, gamma(rng, r.calendar_shape) / r.calendar_shape);
  const weekendLog = model.weekendLog + r.multiplier_sigma * rng.normal();
  const logGrowth = Math.log1p(config.growth.per_year + config.growth.jitter * rng.normal());
  const outRatio = rng.uniform(0.45, 0.75);
  const { reduction_min, reduction_max } = config.holidays;
  const holidayLog = t.holidayDates.map(() => Math.log(1 - rng.uniform(reduction_min, reduction_max)));
  const phi = rng.uniform(r.persistence.min, r.persistence.max);
  // Stationary noise sd per metric (log scale) and the AR innovation sd.
  const noise = [r.noise_sigma.cpu, r.noise_sigma.mem, r.noise_sigma.disk, r.noise_sigma.net];
  const innov = noise.map((s) => s * Math.sqrt(1 - phi * phi));
  const L = model.chol;
  const n = t.ms.length;
  const hourly = config.granularity === "hourly";
  const years = n > 0 ? t.years[n - 1] + (hourly ? 1 / 8766 : 1 / 365.25) : 0;
  // Regimes: at Poisson times the level moves to a new correlated draw and stays until the next.
  const regimes = rng.poisson(r.regimes_per_year * years);
  const regimeAt: number[] = [];
  for (let k = 0; k < regimes; k++) regimeAt.push(Math.floor(rng.next() * n));
  regimeAt.sort((a, b) => a - b);
  const regimeLevel: number[][] = [[0, 0, 0, 0]];
  for (let k = 0; k < regimes; k++) {
    const z = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    regimeLevel.push(correlate(L, z).map((e, m) => r.regime_scale * noise[m] * e));
  }
  // Episodes: busy spells (a batch run, a report, a backlog) that the noise is pulled towards while they last.
  const episodeStart = r.episodes_per_week / 168;
  const episodeEnd = 1 / Math.max(1, r.episode_hours);
  const episode = (): number[] => {
    const e = correlate(L, [rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
    const sign = e[0] < 0 ? -1 : 1; // the whole vector flips, so CPU rises and the correlations stay
    return e.map((x, m) => sign * r.episode_scale * noise[m] * x);
  };
  const spikeLog = Math.log(p.spike_magnitude);
  const sp = p.spike_probability;
  const { burst_rate: burstRate, burst_scale: burstScale } = r;
  // Calendar normalisation: `mean` is the level of a plain week (geometric mean over its hours).
  const plainWeek = weekendLog * 2 / 7;
  const hourLog = model.hourLog;

  // Daily rows: the P95 of the within-day part (profile + noise + episodes and bursts), simulated jointly for
  // the four metrics. Its Gaussian core (the same path without episodes and bursts) becomes a mean and a
  // standard deviation, drawn per day with the correlated innovations; what the events add to a simulated day is
  // kept as a joint vector, and each generated day takes one simulated day's vector.
  const days = hourly ? 0 : r.calibration_days;
  // The factor the daily core is drawn with: the archetype's, corrected for what the events add (see compensated).
  let daily = L;
  const coreMean = [0, 0, 0, 0], coreSd = [0, 0, 0, 0];
  const excess = [0, 1, 2, 3].map(() => new Float64Array(days));
  if (!hourly) {
    const full = [0, 1, 2, 3].map(() => new Float64Array(24));
    const core = [0, 1, 2, 3].map(() => new Float64Array(24));
    const sum = [0, 0, 0, 0], sq = [0, 0, 0, 0];
    let target = [0, 0, 0, 0];
    let busy = false;
    // The calibration's normals and uniforms drawn at once (ziggurat), correlated inline: no allocation per hour.
    const zz = fillNormal(rng, new Float64Array(days * 100));
    const uu = new Float64Array(days * 48);
    for (let i = 0; i < uu.length; i++) uu[i] = rng.next();
    const af = [0, 0, 0, 0], ac = [0, 0, 0, 0], e = [0, 0, 0, 0];
    const corr = (k: number) => {
      const z0 = zz[k], z1 = zz[k + 1], z2 = zz[k + 2], z3 = zz[k + 3];
      e[0] = L[0][0] * z0;
      e[1] = L[1][0] * z0 + L[1][1] * z1;
      e[2] = L[2][0] * z0 + L[2][1] * z1 + L[2][2] * z2;
      e[3] = L[3][0] * z0 + L[3][1] * z1 + L[3][2] * z2 + L[3][3] * z3;
    };
    for (let d = 0; d < days; d++) {
      corr(d * 100);
      for (let m = 0; m < 4; m++) af[m] = ac[m] = noise[m] * e[m];
      for (let h = 0; h < 24; h++) {
        const q = d * 48 + 2 * h;
        if (busy ? uu[q] < episodeEnd : uu[q] < episodeStart) {
          busy = !busy;
          target = busy ? episode() : [0, 0, 0, 0];
        }
        const s = uu[q + 1] < burstRate ? burstScale : 1;
        corr(d * 100 + 4 + 4 * h);
        for (let m = 0; m < 4; m++) {
          const cal = WEIGHTS[m] * kHour * hourLog[h];
          af[m] = phi * af[m] + (1 - phi) * target[m] + s * innov[m] * e[m];
          ac[m] = phi * ac[m] + innov[m] * e[m];
          full[m][h] = cal + af[m];
          core[m][h] = cal + ac[m];
        }
      }
      for (let m = 0; m < 4; m++) {
        const c = p95of24(core[m]);
        excess[m][d] = p95of24(full[m]) - c;
        sum[m] += c;
        sq[m] += c * c;
      }
    }
    for (let m = 0; m < 4; m++) {
      coreMean[m] = sum[m] / days;
      coreSd[m] = Math.sqrt(Math.max(0, sq[m] / days - coreMean[m] * coreMean[m]));
    }
    daily = compensated(rng, model.correlation, coreSd, excess, fillNormal) ?? L;
  }

  // All of the server's noise at once: five normals a timestamp (four correlated metrics, the network-out wobble),
  // then two uniforms (burst, spike).
  const z = fillNormal(rng, scratch.z);
  const u = scratch.u;
  for (let i = 0; i < 3 * n; i++) u[i] = rng.next();
  let ep = [0, 0, 0, 0];
  let inEpisode = false;
  const a = [0, 0, 0, 0];
  {
    const e = correlate(L, [rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
    for (let m = 0; m < 4; m++) a[m] = noise[m] * e[m];
  }
  const [l0, l1, l2, l3] = level;
  let nextRegime = 0;
  let reg = regimeLevel[0];
  for (let i = 0; i < n; i++) {
    while (nextRegime < regimes && regimeAt[nextRegime] <= i) reg = regimeLevel[++nextRegime];
    const k = 5 * i;
    const z0 = z[k], z1 = z[k + 1], z2 = z[k + 2], z3 = z[k + 3];
    const F = hourly ? L : daily;
    const e0 = F[0][0] * z0;
    const e1 = F[1][0] * z0 + F[1][1] * z1;
    const e2 = F[2][0] * z0 + F[2][1] * z1 + F[2][2] * z2;
    const e3 = F[3][0] * z0 + F[3][1] * z1 + F[3][2] * z2 + F[3][3] * z3;
    // The day-level calendar (weekend, quarter end, holiday) and growth, log scale.
    const h = t.holiday[i];
    const day = (t.weekend[i] === 1 ? weekendLog : 0) - plainWeek + Math.log(t.eoqFactor[i]) +
      (h >= 0 ? holidayLog[h] : 0);
    const trend = logGrowth * t.years[i];
    let v0: number, v1: number, v2: number, v3: number;
    if (hourly) {
      if (inEpisode ? u[3 * i + 2] < episodeEnd : u[3 * i + 2] < episodeStart) {
        inEpisode = !inEpisode;
        ep = inEpisode ? episode() : [0, 0, 0, 0];
      }
      const s = u[3 * i] < burstRate ? burstScale : 1;
      const pull = 1 - phi;
      a[0] = phi * a[0] + pull * ep[0] + s * innov[0] * e0;
      a[1] = phi * a[1] + pull * ep[1] + s * innov[1] * e1;
      a[2] = phi * a[2] + pull * ep[2] + s * innov[2] * e2;
      a[3] = phi * a[3] + pull * ep[3] + s * innov[3] * e3;
      const hl = kHour * hourLog[t.hour[i]];
      // A spike is a burst of work: CPU and network jump, memory and disk do not.
      const spike = u[3 * i + 1] < sp ? spikeLog : 0;
      v0 = l0 + reg[0] + WEIGHTS[0] * (day + hl) + trend + a[0] + spike;
      v1 = l1 + reg[1] + WEIGHTS[1] * (day + hl) + trend + a[1];
      v2 = l2 + reg[2] + WEIGHTS[2] * (day + hl) + trend + a[2];
      v3 = l3 + reg[3] + WEIGHTS[3] * (day + hl) + trend + a[3] + spike;
    } else {
      const k = Math.floor(u[3 * i] * days); // the simulated day whose events this day has
      // A spike is a point (here a day) of burst work, as in the textbook model: CPU and network jump.
      const spike = u[3 * i + 1] < sp ? spikeLog : 0;
      v0 = l0 + reg[0] + WEIGHTS[0] * day + trend + coreMean[0] + coreSd[0] * e0 + excess[0][k] + spike;
      v1 = l1 + reg[1] + WEIGHTS[1] * day + trend + coreMean[1] + coreSd[1] * e1 + excess[1][k];
      v2 = l2 + reg[2] + WEIGHTS[2] * day + trend + coreMean[2] + coreSd[2] * e2 + excess[2][k];
      v3 = l3 + reg[3] + WEIGHTS[3] * day + trend + coreMean[3] + coreSd[3] * e3 + excess[3][k] + spike;
    }
    const j = offset + i;
    out.cpu[j] = round2(softBound(Math.exp(v0), 100));
    out.mem[j] = round2(softBound(Math.exp(v1), 100));
    out.disk[j] = round2(softBound(Math.exp(v2), 100));
    const net = Math.exp(v3);
    out.netIn[j] = round2(softBound(net, 1000));
    out.netOut[j] = round2(softBound(net * outRatio * Math.exp(0.05 * z[k + 4]), NET_OUT_BOUND));
  }
}

/** Robust standard deviations within which a day's residual counts as noise (beyond: a spike, left out). */
const KEPT_SIGMAS = 3.5;
/** Emulated days per simulated day, and fixed-point steps, of {@linkcode compensated}. */
const EMULATED_PER_DAY = 8;
const STEPS = 4;

/**
 * The Cholesky factor the daily core is drawn with, so that a daily row's noise (core plus the events' excess of
 * one simulated day) has the archetype's correlations, measured as the validator measures noise: each metric
 * centred on its median, scaled by its robust standard deviation (1.4826 MAD), days beyond ±3.5 of it in either
 * metric of a pair left out as spikes, then Pearson's r. The excess of a P95 over its core is not a linear image of
 * the innovations (an episode lifts a day's P95 only where it pushes upwards) and is heavy-tailed, so adding it
 * pulled every correlation towards the excess's own: database memory-disk (0.70) measured 0.58 on the default
 * fleet. Here the daily noise is emulated (`EMULATED_PER_DAY` core draws per simulated day, each with that day's
 * excess) and the core's correlation R' is moved by fixed-point steps R' += R - r(R') until the emulated r is R;
 * where a step leaves R' not positive definite, the largest quarter share of the step that is.
 * @param rng the server's stream (daily rows only draw from it here, so hourly rows are unchanged)
 * @param R the archetype's correlation matrix
 * @param coreSd the core's standard deviation per metric
 * @param excess the simulated days' excess per metric
 * @param fillNormal fills an array with standard normals
 * @returns the factor, or undefined when even R is not positive definite
 */
function compensated(
  rng: Rng,
  R: number[][],
  coreSd: number[],
  excess: Float64Array[],
  fillNormal: (rng: Rng, out: Float64Array) => Float64Array,
): number[][] | undefined {
  const days = excess[0].length;
  const n = days * EMULATED_PER_DAY;
  const z = fillNormal(rng, new Float64Array(4 * n));
  const t = [0, 1, 2, 3].map(() => new Float64Array(n));
  const sorted = new Float64Array(n);
  const centre = [NaN, NaN, NaN, NaN], scale = [1, 1, 1, 1];
  const median = (v: Float64Array): number => {
    sorted.set(v);
    sorted.sort();
    return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  };
  const measure = (F: number[][]): number[][] => {
    for (let i = 0; i < n; i++) {
      const d = i % days, k = 4 * i;
      for (let m = 0; m < 4; m++) {
        let e = 0;
        for (let j = 0; j <= m; j++) e += F[m][j] * z[k + j];
        t[m][i] = coreSd[m] * e + excess[m][d];
      }
    }
    // Centred and scaled robustly; beyond ±3.5 a spike. Each metric's distribution is the same whatever the
    // factor (a row of a correlation factor has unit norm), so its median and scale are taken once.
    for (let m = 0; m < 4; m++) {
      if (Number.isNaN(centre[m])) {
        centre[m] = median(t[m]);
        scale[m] = 1.4826 * median(t[m].map((x) => Math.abs(x - centre[m]))) || 1;
      }
      for (let i = 0; i < n; i++) t[m][i] = (t[m][i] - centre[m]) / scale[m];
    }
    const r = R.map((row) => row.map(() => 1));
    for (let a = 0; a < 4; a++) {
      for (let b = a + 1; b < 4; b++) {
        let k = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (let i = 0; i < n; i++) {
          const x = t[a][i], y = t[b][i];
          if (Math.abs(x) > KEPT_SIGMAS || Math.abs(y) > KEPT_SIGMAS) continue;
          k++, sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
        }
        const cov = sxy / k - (sx / k) * (sy / k);
        const v = Math.sqrt((sxx / k - (sx / k) ** 2) * (syy / k - (sy / k) ** 2));
        r[a][b] = r[b][a] = v > 0 ? cov / v : R[a][b];
      }
    }
    return r;
  };
  let core = R;
  let F = choleskyFactor(core);
  if (F === undefined) return undefined;
  for (let step = 0; step < STEPS; step++) {
    const r = measure(F);
    let moved = false;
    for (const share of [1, 0.75, 0.5, 0.25]) {
      const next = core.map((row, a) => row.map((x, b) => (a === b ? 1 : x + share * (R[a][b] - r[a][b]))));
      const G = next.every((row) => row.every((x) => Math.abs(x) <= 1)) ? choleskyFactor(next) : undefined;
      if (G !== undefined) {
        core = next;
        F = G;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return F;
}

/** L·z for a 4x4 lower factor. */
function correlate(L: number[][], z: number[]): number[] {
  return [
    L[0][0] * z[0],
    L[1][0] * z[0] + L[1][1] * z[1],
    L[2][0] * z[0] + L[2][1] * z[1] + L[2][2] * z[2],
    L[3][0] * z[0] + L[3][1] * z[1] + L[3][2] * z[2] + L[3][3] * z[3],
  ];
}
