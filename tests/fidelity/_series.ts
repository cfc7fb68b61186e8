/** Constructed series with known statistics for the fidelity tests. */
import pl from "nodejs-polars";

/** A small deterministic PRNG (mulberry32), so the constructed series are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** 2024-01-01T00:00Z, a Monday. */
export const MONDAY = Date.UTC(2024, 0, 1);

/**
 * A table of entities with hourly (or other) points from generator functions.
 * @param entities how many
 * @param points points per entity
 * @param columns column name to a value function (entity, index, prng)
 * @param stepMs spacing @default 1 h
 * @returns the frame with `id`, `timestamp` and the columns
 */
export function frame(
  entities: number,
  points: number,
  columns: Record<string, (e: number, i: number, u: () => number) => number | null>,
  stepMs = 3_600_000,
): pl.DataFrame {
  const ids: string[] = [], ts: Date[] = [];
  const vals: Record<string, (number | null)[]> = Object.fromEntries(Object.keys(columns).map((c) => [c, []]));
  for (let e = 0; e < entities; e++) {
    const u = rng(1000 + e);
    for (let i = 0; i < points; i++) {
      ids.push(`e${String(e).padStart(3, "0")}`);
      ts.push(new Date(MONDAY + i * stepMs));
      for (const [c, f] of Object.entries(columns)) vals[c].push(f(e, i, u));
    }
  }
  return pl.DataFrame([
    pl.Series("id", ids, pl.Utf8),
    pl.Series("timestamp", ts).cast(pl.Datetime("ms", "UTC")),
    ...Object.entries(vals).map(([c, v]) => pl.Series(c, v, pl.Float64)),
  ]);
}
