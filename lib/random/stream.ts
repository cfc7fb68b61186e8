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
 * @param key the dataset kind or name (`dataset`, e.g. `"capacity"`) and the entity id (`entity`, e.g.
 *   `"srv-0001"`, or a purpose for dataset-wide draws, e.g. `"fleet"`)
 * @returns an independent generator
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entityStream } from "@lib/random/mod.ts";
 * const a = entityStream(7, { dataset: "capacity", entity: "srv-0001" }).next();
 * const b = entityStream(7, { dataset: "capacity", entity: "srv-0001" }).next();
 * assert.equal(a, b);
 * assert.notEqual(a, entityStream(7, { dataset: "capacity", entity: "srv-0002" }).next());
 * ```
 */
export function entityStream(seed: Seed, key: EntityKey): Rng {
  // JSON keeps the three parts apart, so ("a/b", "c") and ("a", "b/c") give different streams.
  return Rng.fromKey(JSON.stringify([String(seed), key.dataset, key.entity]));
}

/** Which stream: the dataset and the entity within it. */
export interface EntityKey {
  /** The dataset kind or name, e.g. `"capacity"`. */
  dataset: string;
  /** The entity id, e.g. `"srv-0001"`, or a purpose for dataset-wide draws, e.g. `"fleet"`. */
  entity: string;
}
