import pl from "nodejs-polars";
import { entityStream, type Seed } from "@lib/random/mod.ts";
import { CATEGORIES } from "@lib/schema/msp/catalog.ts";

/** One incident burst: a window during which the clients it reaches raise many more tickets. */
export interface Burst {
  /** Start, epoch ms. */
  start: number;
  /** End, epoch ms (exclusive). */
  end: number;
  /** Severity 1 (worst) to 4. */
  severity: number;
  /** Index into the category list of the tickets it raises. */
  category: number;
}

const SEVERITY_WORDS: Record<string, number> = {
  critical: 1,
  high: 2,
  major: 2,
  medium: 3,
  moderate: 3,
  low: 4,
  minor: 4,
};

function parseSeverity(value: unknown, row: number): number {
  let n = NaN;
  if (typeof value === "number" || typeof value === "bigint") n = Number(value);
  else if (typeof value === "string") {
    const word = SEVERITY_WORDS[value.trim().toLowerCase()];
    if (word !== undefined) n = word;
    else {
      const m = /^\s*(?:sev|p)?[\s_-]*([1-4])\s*$/i.exec(value);
      if (m) n = Number(m[1]);
    }
  }
  if (!Number.isInteger(n) || n < 1 || n > 4) {
    throw new RangeError(
      `Cannot use incidents: row ${row} severity must be 1-4, "sev1".."sev4" or critical/high/medium/low, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}

function toMs(value: unknown, column: string, row: number): number {
  const ms = value instanceof Date
    ? value.getTime()
    : typeof value === "number" || typeof value === "bigint"
    ? Number(value)
    : typeof value === "string"
    ? Date.parse(value)
    : NaN;
  if (!Number.isFinite(ms)) {
    throw new RangeError(`Cannot use incidents: row ${row} ${column} must be a time, got ${JSON.stringify(value)}`);
  }
  return ms;
}

function burstCategory(rng: ReturnType<typeof entityStream>): number {
  return rng.weightedIndex(CATEGORIES.map((c) => c.burstWeight));
}

/**
 * Turns an incident timeline — a frame with columns `start`, `end` (Datetime, ISO string or epoch ms) and
 * `severity` (1-4, "sev1".."sev4" or critical/high/medium/low) — into bursts, sorted by start. The category of
 * each burst's tickets is drawn from the burst's own stream (`incident-0001`, ... in start order).
 *
 * @param incidents the incident timeline (other columns are ignored)
 * @param seed the dataset seed
 * @returns the bursts
 * @throws {RangeError} naming the row, the column and the value when a value is unusable
 */
export function burstsFromIncidents(incidents: pl.DataFrame, seed: Seed): Burst[] {
  for (const c of ["start", "end", "severity"]) {
    if (!incidents.columns.includes(c)) {
      throw new RangeError(
        `Cannot use incidents: a column "${c}" is required, got columns ${JSON.stringify(incidents.columns)}`,
      );
    }
  }
  const starts = incidents.getColumn("start").toArray();
  const ends = incidents.getColumn("end").toArray();
  const sev = incidents.getColumn("severity").toArray();
  const rows: Omit<Burst, "category">[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = toMs(starts[i], "start", i);
    const end = toMs(ends[i], "end", i);
    if (!(end > start)) {
      throw new RangeError(`Cannot use incidents: row ${i} end must be after start, got ${JSON.stringify(ends[i])}`);
    }
    rows.push({ start, end, severity: parseSeverity(sev[i], i) });
  }
  rows.sort((a, b) => a.start - b.start || a.end - b.end || a.severity - b.severity);
  return rows.map((r, i) => ({
    ...r,
    category: burstCategory(
      entityStream(seed, { dataset: "msp", entity: `incident-${String(i + 1).padStart(4, "0")}` }),
    ),
  }));
}

/**
 * Draws a synthetic burst timeline when no incident timeline is given: a Poisson number of bursts over the
 * period, uniform start times, lognormal durations (median 2.5 h, at most 24 h) and severities weighted towards
 * the milder ones. Uses the dataset-wide stream `"bursts"`.
 *
 * @param seed the dataset seed
 * @param timeline `startMs`: period start, epoch ms; `endMs`: period end, epoch ms (exclusive); `perMonth`: mean
 *   bursts per 30-day month
 * @returns the bursts, sorted by start
 */
export function synthesizeBursts(
  seed: Seed,
  { startMs, endMs, perMonth }: { startMs: number; endMs: number; perMonth: number },
): Burst[] {
  const rng = entityStream(seed, { dataset: "msp", entity: "bursts" });
  const months = (endMs - startMs) / (30 * 86_400_000);
  const count = rng.poisson(perMonth * months);
  const out: Burst[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.round(rng.uniform(startMs, endMs) / 60_000) * 60_000;
    const hours = Math.min(24, rng.lognormal(Math.log(2.5), 0.6));
    const severity = 1 + rng.weightedIndex([8, 22, 40, 30]);
    out.push({ start, end: start + Math.round(hours * 60) * 60_000, severity, category: burstCategory(rng) });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || a.severity - b.severity);
}
