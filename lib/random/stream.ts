import { Rng } from "./rng.ts";

/** A dataset seed: an integer or a string. */
export type Seed = number | string;

/**
 * Derives the generator of one entity of one dataset.
 *
 * The stream depends only on (seed, dataset, entity id), never on the order entities are generated in, the chunk
 * size or the number of workers, so any entity can be generated alone and give the same values.
 *
 * @param seed the dataset seed
 * @param dataset the dataset kind or name (e.g. `"capacity"`)
 * @param entityId the entity id (e.g. `"srv-0001"`), or a purpose for dataset-wide draws (e.g. `"fleet"`)
 * @returns an independent generator
 * @example
 * ```ts
 * import { entityStream } from "@lib/random/mod.ts";
 * const a = entityStream(7, "capacity", "srv-0001").next();
 * const b = entityStream(7, "capacity", "srv-0001").next();
 * console.assert(a === b);
 * ```
 */
export function entityStream(seed: Seed, dataset: string, entityId: string): Rng {
  // JSON keeps the three parts apart, so ("a/b", "c") and ("a", "b/c") give different streams.
  return Rng.fromKey(JSON.stringify([String(seed), dataset, entityId]));
}
