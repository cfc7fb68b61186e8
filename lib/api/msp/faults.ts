import { entityStream, type Seed } from "@lib/random/mod.ts";

/** The fault kinds the sandbox can inject into data requests. */
export const FAULT_KINDS = ["429", "500", "timeout", "truncate"] as const;
/** One of {@linkcode FAULT_KINDS}. */
export type FaultKind = typeof FAULT_KINDS[number];
/** Probability of each fault per data request. */
export type FaultRates = Partial<Record<FaultKind, number>>;

/**
 * Parses a fault spec such as `429=0.05,500=0.02,timeout=0.01,truncate=0.01`.
 * @param spec the spec; empty for no faults
 * @returns the rates
 * @throws {RangeError} naming the part, for an unknown kind, a rate outside 0..1 or rates summing above 1
 * @example
 * ```ts
 * import { parseFaults } from "@lib/api/msp/faults.ts";
 * parseFaults("429=0.05,timeout=0.01"); // { "429": 0.05, timeout: 0.01 }
 * ```
 */
export function parseFaults(spec: string): FaultRates {
  const out: FaultRates = {};
  for (const part of spec.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const m = /^([^=]+)=(.*)$/.exec(part);
    const kind = m?.[1].trim() as FaultKind;
    if (!m || !FAULT_KINDS.includes(kind)) {
      throw new RangeError(
        `Cannot parse --faults: "${part}" must be KIND=RATE with KIND one of ${FAULT_KINDS.join(", ")}`,
      );
    }
    const rate = Number(m[2]);
    if (!(m[2].trim() !== "" && rate >= 0 && rate <= 1)) {
      throw new RangeError(`Cannot parse --faults: rate of "${kind}" must be a number in 0..1, got "${m[2]}"`);
    }
    out[kind] = rate;
  }
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  if (sum > 1) throw new RangeError(`Cannot parse --faults: rates must sum to at most 1, got ${sum}`);
  return out;
}

/**
 * A seeded fault draw per request: the n-th request of a run meets the same fault for one seed and spec.
 * @param rates the rates
 * @param seed the seed
 * @returns a function giving the fault of the next request, or null
 */
export function faultDrawer(rates: FaultRates, seed: Seed): () => FaultKind | null {
  const rng = entityStream(seed, { dataset: "msp-api", entity: "faults" });
  return () => {
    const u = rng.next();
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += rates[kind] ?? 0;
      if (u < acc) return kind;
    }
    return null;
  };
}
