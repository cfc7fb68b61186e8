/**
 * Seeded randomness for every generator: one {@linkcode Rng} per (seed, dataset, entity id).
 *
 * All randomness in `lib/` comes from here; the platform's unseeded generator is never used.
 *
 * @example
 * ```ts
 * import { entityStream } from "@lib/random/mod.ts";
 * const rng = entityStream(42, { dataset: "anomalies", entity: "series-0001" });
 * rng.poisson(3);
 * ```
 * @module
 */
export { Rng, type UniformSource } from "./rng.ts";
export { type EntityKey, entityStream, type Seed } from "./stream.ts";
export { fillStandardNormal } from "./ziggurat.ts";
