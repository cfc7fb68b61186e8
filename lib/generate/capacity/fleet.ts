import { entityStream, type Seed } from "@lib/random/mod.ts";
import { type Archetype, ARCHETYPES } from "./config.ts";

/**
 * Server ids `srv-0001` ... with enough digits for the fleet.
 * @param index zero-based server index
 * @param servers fleet size
 * @returns the id
 */
export function serverId(index: number, servers: number): string {
  return `srv-${String(index + 1).padStart(Math.max(4, String(servers).length), "0")}`;
}

/**
 * Exact archetype counts for a fleet by the largest-remainder method, so 120 servers at 35/40/15/10 % give
 * 42/48/18/12.
 * @param servers fleet size
 * @param shares share per archetype, summing to 1
 * @returns count per archetype, in {@linkcode ARCHETYPES} order
 */
export function archetypeCounts(servers: number, shares: readonly number[]): number[] {
  const raw = shares.map((s) => s * servers);
  const counts = raw.map(Math.floor);
  let left = servers - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  return counts;
}

/**
 * Assigns an archetype to every server: exact counts from the shares, placed by a seeded shuffle (not in
 * contiguous blocks). Drawn from the dataset's `fleet` stream, so any shard sees the same assignment.
 * @param seed the dataset seed
 * @param fleet `servers`: fleet size; `shares`: share per archetype
 * @returns archetype per server index
 */
export function assignArchetypes(
  seed: Seed,
  { servers, shares }: { servers: number; shares: readonly number[] },
): Archetype[] {
  const counts = archetypeCounts(servers, shares);
  const slots = counts.flatMap((c, i) => Array<Archetype>(c).fill(ARCHETYPES[i]));
  return entityStream(seed, { dataset: "capacity", entity: "fleet" }).shuffle(slots);
}
