import pl from "nodejs-polars";

/** Options of the hashed TF-IDF embedding. */
export interface HashedTfidfOptions {
  /** Vector length (hash buckets). @default 4096 */
  dims?: number;
  /** Also hash word pairs (`vpn connection`), which tell "password reset" from "reset password" less, but "not working" more. @default true */
  bigrams?: boolean;
  /** Shortest token kept. @default 2 */
  minTokenLength?: number;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Splits text into lower-case word tokens (letters and digits of any script), NFKC-normalized.
 * @param text the text
 * @param minLength shortest token kept @default 2
 * @returns the tokens, in order
 */
export function tokenize(text: string, minLength = 2): string[] {
  const out: string[] = [];
  for (const m of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) if (m[0].length >= minLength) out.push(m[0]);
  return out;
}

/**
 * FNV-1a 32-bit hash of a string's UTF-16 code units, optionally continuing from an earlier state (so a word pair
 * hashes as its first word, a space, then its second word, without building the string).
 * @param s the string
 * @param from the state to continue from @default the FNV offset basis
 * @returns an unsigned 32-bit hash
 */
export function fnv1a(s: string, from = 0x811c9dc5): number {
  let h = from;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const spaceStep = (h: number) => Math.imul(h ^ 32, 0x01000193) >>> 0;

/** Counts the hashed terms of one text into a reusable accumulator. */
class TermCounter {
  readonly #counts: Int32Array;
  readonly #dims: number;
  readonly #bigrams: boolean;
  readonly #minLen: number;

  constructor(dims: number, bigrams: boolean, minLen: number) {
    this.#counts = new Int32Array(dims);
    this.#dims = dims;
    this.#bigrams = bigrams;
    this.#minLen = minLen;
  }

  /** The buckets a text touches, ascending, and their counts (the accumulator is reset before returning). */
  count(text: string): { dims: number[]; counts: number[] } {
    const c = this.#counts;
    const touched: number[] = [];
    let prev = -1;
    // NFKC is slow and changes nothing in ASCII text.
    const folded = ASCII.test(text) ? text.toLowerCase() : text.normalize("NFKC").toLowerCase();
    for (const m of folded.matchAll(TOKEN)) {
      if (m[0].length < this.#minLen) continue;
      const h = fnv1a(m[0]);
      const d = h % this.#dims;
      if (c[d]++ === 0) touched.push(d);
      if (this.#bigrams && prev >= 0) {
        const b = fnv1a(m[0], spaceStep(prev)) % this.#dims;
        if (c[b]++ === 0) touched.push(b);
      }
      prev = h;
    }
    touched.sort((a, b) => a - b);
    const counts = touched.map((d) => c[d]);
    for (const d of touched) c[d] = 0;
    return { dims: touched, counts };
  }
}

/** One of the most similar tickets. */
export interface SimilarTicket {
  /** The ticket. */
  ticket_id: number;
  /** Cosine similarity in [0, 1]. */
  score: number;
}

/**
 * A search index over hashed TF-IDF vectors: no downloaded model, deterministic, stored as two small Parquet
 * tables (`embeddings`: one row per non-zero weight; `idf`).
 *
 * Each text is tokenized, its tokens (and word pairs) hashed into `dims` buckets with FNV-1a, counted,
 * weighted `(1 + ln tf) * idf` with `idf = ln((1 + N) / (1 + df)) + 1`, and scaled to unit length, so the dot
 * product of two vectors is their cosine similarity.
 *
 * @example
 * ```ts
 * import { TicketIndex } from "@lib/ingest/tickets/mod.ts";
 * const index = TicketIndex.build(["vpn is down again", "printer out of toner", "cannot connect to vpn"], [1, 2, 3]);
 * index.similarTickets("vpn connection fails", 2).map((t) => t.ticket_id); // [3, 1]
 * ```
 */
export class TicketIndex {
  /** The embedding options. */
  readonly options: Required<HashedTfidfOptions>;
  readonly #ids: Float64Array;
  readonly #indptr: Int32Array;
  readonly #dim: Int32Array;
  readonly #weight: Float32Array;
  readonly #idf: Float64Array;
  readonly #docs: number;

  private constructor(
    options: Required<HashedTfidfOptions>,
    ids: Float64Array,
    indptr: Int32Array,
    dim: Int32Array,
    weight: Float32Array,
    idf: Float64Array,
    docs: number,
  ) {
    this.options = options;
    this.#ids = ids;
    this.#indptr = indptr;
    this.#dim = dim;
    this.#weight = weight;
    this.#idf = idf;
    this.#docs = docs;
  }

  /**
   * Builds the index of a corpus.
   * @param texts one text per ticket (null or empty gives an all-zero vector)
   * @param ids the ticket ids, same order
   * @param options dims, bigrams, token length
   * @returns the index
   */
  static build(
    texts: readonly (string | null)[],
    ids: readonly number[],
    options: HashedTfidfOptions = {},
  ): TicketIndex {
    const { dims = 4096, bigrams = true, minTokenLength = 2 } = options;
    if (!Number.isInteger(dims) || dims < 16 || dims > 1 << 20) {
      throw new RangeError(`Cannot build a ticket index: dims must be an integer in [16, 1048576], got ${dims}`);
    }
    if (texts.length !== ids.length) {
      throw new RangeError(`Cannot build a ticket index: ${texts.length} texts but ${ids.length} ids`);
    }
    const counter = new TermCounter(dims, bigrams, minTokenLength);
    const n = texts.length;
    const indptr = new Int32Array(n + 1);
    const dimParts: number[][] = [];
    const countParts: number[][] = [];
    const df = new Float64Array(dims);
    for (let i = 0; i < n; i++) {
      const { dims: ds, counts } = counter.count(texts[i] ?? "");
      for (const d of ds) df[d]++;
      dimParts.push(ds);
      countParts.push(counts);
      indptr[i + 1] = indptr[i] + ds.length;
    }
    const idf = new Float64Array(dims);
    for (let d = 0; d < dims; d++) idf[d] = Math.log((1 + n) / (1 + df[d])) + 1;
    const dim = new Int32Array(indptr[n]);
    const weight = new Float32Array(indptr[n]);
    for (let i = 0; i < n; i++) {
      const ds = dimParts[i];
      const cs = countParts[i];
      let norm = 0;
      for (let j = 0; j < ds.length; j++) {
        const v = (1 + Math.log(cs[j])) * idf[ds[j]];
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0, k = indptr[i]; j < ds.length; j++, k++) {
        dim[k] = ds[j];
        weight[k] = ((1 + Math.log(cs[j])) * idf[ds[j]]) / norm;
      }
    }
    return new TicketIndex(
      { dims, bigrams, minTokenLength },
      Float64Array.from(ids),
      indptr,
      dim,
      weight,
      idf,
      n,
    );
  }

  /**
   * Rebuilds an index from its stored tables.
   * @param embeddings columns `ticket_id`, `dim`, `weight`, sorted by ticket then dim
   * @param idf columns `dim`, `idf`, one row per dim
   * @param options the embedding options it was built with
   * @returns the index
   */
  static fromFrames(embeddings: pl.DataFrame, idf: pl.DataFrame, options: HashedTfidfOptions = {}): TicketIndex {
    const { dims = 4096, bigrams = true, minTokenLength = 2 } = options;
    const sorted = embeddings.sort(["ticket_id", "dim"]);
    const tid = Float64Array.from(sorted.getColumn("ticket_id").cast(pl.Float64).toArray() as number[]);
    const dim = Int32Array.from(sorted.getColumn("dim").toArray() as number[]);
    const weight = Float32Array.from(sorted.getColumn("weight").toArray() as number[]);
    const ids: number[] = [];
    const indptr: number[] = [0];
    for (let i = 0; i < tid.length; i++) {
      if (i === 0 || tid[i] !== tid[i - 1]) {
        if (i > 0) indptr.push(i);
        ids.push(tid[i]);
      }
    }
    if (tid.length > 0) indptr.push(tid.length);
    const idfArr = new Float64Array(dims);
    const idfSorted = idf.sort("dim");
    const d = idfSorted.getColumn("dim").toArray() as number[];
    const v = idfSorted.getColumn("idf").toArray() as number[];
    for (let i = 0; i < d.length; i++) idfArr[d[i]] = v[i];
    return new TicketIndex(
      { dims, bigrams, minTokenLength },
      Float64Array.from(ids),
      Int32Array.from(indptr),
      dim,
      weight,
      idfArr,
      ids.length,
    );
  }

  /** Tickets indexed (those with at least one token when rebuilt from frames). */
  get size(): number {
    return this.#docs;
  }

  /**
   * The unit-length vector of a text under this index's idf.
   * @param text the text
   * @returns sparse vector: dims (ascending) and weights
   */
  embed(text: string): { dim: Int32Array; weight: Float32Array } {
    const { dims, bigrams, minTokenLength } = this.options;
    const { dims: ds, counts } = new TermCounter(dims, bigrams, minTokenLength).count(text);
    const w = ds.map((d, j) => (1 + Math.log(counts[j])) * this.#idf[d]);
    const norm = Math.sqrt(w.reduce((a, b) => a + b * b, 0)) || 1;
    return { dim: Int32Array.from(ds), weight: Float32Array.from(w.map((x) => x / norm)) };
  }

  /**
   * The `k` tickets most similar to a text, by cosine similarity, best first (ties by ticket id); tickets
   * sharing no token with the text are never returned.
   * @param text the query
   * @param k how many @default 5
   * @returns ticket ids and scores
   */
  similarTickets(text: string, k = 5): SimilarTicket[] {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`Cannot search tickets: k must be an integer >= 1, got ${k}`);
    }
    const q = new Float32Array(this.options.dims);
    const e = this.embed(text);
    for (let i = 0; i < e.dim.length; i++) q[e.dim[i]] = e.weight[i];
    const indptr = this.#indptr;
    const dim = this.#dim;
    const weight = this.#weight;
    const ids = this.#ids;
    // The k best so far, best first (ties by ticket id): a short sorted list beats sorting every score.
    const best: SimilarTicket[] = [];
    const below = (a: SimilarTicket, s: number, id: number) => a.score < s || (a.score === s && a.ticket_id > id);
    for (let i = 0; i < this.#docs; i++) {
      let s = 0;
      for (let j = indptr[i]; j < indptr[i + 1]; j++) s += q[dim[j]] * weight[j];
      if (s <= 0) continue;
      s = Math.min(1, s);
      if (best.length === k && !below(best[k - 1], s, ids[i])) continue;
      let at = best.length;
      while (at > 0 && below(best[at - 1], s, ids[i])) at--;
      best.splice(at, 0, { ticket_id: ids[i], score: s });
      if (best.length > k) best.pop();
    }
    return best;
  }

  /**
   * The stored tables.
   * @returns `embeddings` (ticket_id Int64, dim Int32, weight Float32) and `idf` (dim Int32, idf Float64)
   */
  toFrames(): { embeddings: pl.DataFrame; idf: pl.DataFrame } {
    const tid = new Float64Array(this.#dim.length);
    for (let i = 0; i < this.#docs; i++) tid.fill(this.#ids[i], this.#indptr[i], this.#indptr[i + 1]);
    const dims = new Int32Array(this.options.dims).map((_, i) => i);
    return {
      embeddings: pl.DataFrame([
        pl.Series("ticket_id", tid).cast(pl.Int64),
        pl.Series("dim", this.#dim, pl.Int32),
        pl.Series("weight", this.#weight, pl.Float32),
      ]),
      idf: pl.DataFrame([pl.Series("dim", dims, pl.Int32), pl.Series("idf", this.#idf, pl.Float64)]),
    };
  }
}
