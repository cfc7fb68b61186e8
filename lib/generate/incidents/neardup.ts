/**
 * Near-duplicate measurement of texts: word shingles, MinHash signatures and banded LSH to find candidate pairs,
 * then the exact Jaccard similarity of their shingle sets.
 * @module
 */

/** Options of {@linkcode nearDuplicates}. */
export interface NearDuplicateOptions {
  /** Words per shingle. @default 5 */
  shingle?: number;
  /** Jaccard similarity from which two texts are near-duplicates. @default 0.8 */
  threshold?: number;
  /** LSH bands (times `rows` hashes). @default 32 */
  bands?: number;
  /** Hashes per band. @default 2 */
  rows?: number;
}

/** What {@linkcode nearDuplicates} finds. */
export interface NearDuplicateResult {
  /** Texts compared. */
  texts: number;
  /** Pairs at or above the threshold, `[i, j, jaccard]` with i < j. */
  pairs: [number, number, number][];
  /** Per text: whether some other text is its near-duplicate. */
  flagged: boolean[];
  /** Share of texts that have a near-duplicate. */
  rate: number;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The set of word-shingle hashes of a text (lowercase words of letters and digits).
 * @param text the text
 * @param k words per shingle
 * @returns the shingle hashes
 */
export function shingles(text: string, k = 5): Set<number> {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const out = new Set<number>();
  if (words.length < k) {
    out.add(fnv1a(words.join(" ")));
    return out;
  }
  for (let i = 0; i + k <= words.length; i++) out.add(fnv1a(words.slice(i, i + k).join(" ")));
  return out;
}

/**
 * Jaccard similarity of two sets.
 * @param a a set
 * @param b a set
 * @returns |a ∩ b| / |a ∪ b| (1 for two empty sets)
 */
export function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Finds near-duplicate texts: pairs whose word-shingle sets have a Jaccard similarity at or above the threshold.
 * MinHash LSH proposes candidates (with 32 bands of 2, a pair at 0.8 is proposed with probability above 0.999);
 * every candidate is then checked exactly, so no pair below the threshold is reported.
 *
 * @param texts the texts
 * @param options shingle size, threshold and LSH shape
 * @returns pairs, flags and the rate
 * @example
 * ```ts
 * import { nearDuplicates } from "@lib/generate/incidents/neardup.ts";
 * nearDuplicates(["a b c d e f", "a b c d e f", "something else entirely here"]).rate; // 2 / 3
 * ```
 */
export function nearDuplicates(texts: readonly string[], options: NearDuplicateOptions = {}): NearDuplicateResult {
  const { shingle = 5, threshold = 0.8, bands = 32, rows = 2 } = options;
  const k = bands * rows;
  const sets = texts.map((t) => shingles(t, shingle));
  const sigs = sets.map((set) => {
    const sig = new Uint32Array(k).fill(0xffffffff);
    for (const x of set) {
      for (let i = 0; i < k; i++) {
        const h = mix(x ^ Math.imul(i + 1, 0x9e3779b1));
        if (h < sig[i]) sig[i] = h;
      }
    }
    return sig;
  });
  const candidates = new Set<string>();
  for (let b = 0; b < bands; b++) {
    const buckets = new Map<string, number[]>();
    sigs.forEach((sig, i) => {
      const key = Array.from(sig.subarray(b * rows, (b + 1) * rows)).join(",");
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    });
    for (const list of buckets.values()) {
      if (list.length < 2 || list.length > 5000) continue;
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) candidates.add(`${list[x]},${list[y]}`);
      }
    }
  }
  const pairs: [number, number, number][] = [];
  const flagged = new Array<boolean>(texts.length).fill(false);
  for (const key of [...candidates].sort()) {
    const [i, j] = key.split(",").map(Number);
    const s = jaccard(sets[i], sets[j]);
    if (s >= threshold) {
      pairs.push([i, j, s]);
      flagged[i] = flagged[j] = true;
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const n = flagged.filter(Boolean).length;
  return { texts: texts.length, pairs, flagged, rate: texts.length === 0 ? 0 : n / texts.length };
}
