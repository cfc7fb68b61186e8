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
 * FNV-1a 32-bit hash of a string's UTF-16 code units.
 * @param s the string
 * @returns an unsigned 32-bit hash
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function termCounts(text: string, dims: number, bigrams: boolean, minLen: number): Map<number, number> {
  const toks = tokenize(text, minLen);
  const tf = new Map<number, number>();
  for (let i = 0; i < toks.length; i++) {
    const d = fnv1a(toks[i]) % dims;
    tf.set(d, (tf.get(d) ?? 0) + 1);
    if (bigrams && i > 0) {
      const b = fnv1a(`${toks[i - 1]} ${toks[i]}`) % dims;
      tf.set(b, (tf.get(b) ?? 0) + 1);
    }
  }
  return tf;
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
    const counts = texts.map((t) => termCounts(t ?? "", dims, bigrams, minTokenLength));
    const df = new Float64Array(dims);
    let nnz = 0;
    for (const tf of counts) {
      for (const d of tf.keys()) df[d]++;
      nnz += tf.size;
    }
    const n = texts.length;
    const idf = new Float64Array(dims);
    for (let d = 0; d < dims; d++) idf[d] = Math.log((1 + n) / (1 + df[d])) + 1;
    const indptr = new Int32Array(n + 1);
    const dim = new Int32Array(nnz);
    const weight = new Float32Array(nnz);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const entries = [...counts[i].entries()].sort((a, b) => a[0] - b[0]);
      let norm = 0;
      const w = entries.map(([d, c]) => {
        const v = (1 + Math.log(c)) * idf[d];
        norm += v * v;
        return v;
      });
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < entries.length; j++, k++) {
        dim[k] = entries[j][0];
        weight[k] = w[j] / norm;
      }
      indptr[i + 1] = k;
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
    const entries = [...termCounts(text, dims, bigrams, minTokenLength).entries()].sort((a, b) => a[0] - b[0]);
    const w = entries.map(([d, c]) => (1 + Math.log(c)) * this.#idf[d]);
    const norm = Math.sqrt(w.reduce((a, b) => a + b * b, 0)) || 1;
    return { dim: Int32Array.from(entries.map((e) => e[0])), weight: Float32Array.from(w.map((x) => x / norm)) };
  }

  /**
   * The `k` tickets most similar to a text, by cosine similarity, best first (ties by ticket id); tickets
   * sharing no token with the text are never returned.
   * @param text the query
   * @param k how many @default 5
   * @returns ticket ids and scores
   */
  similarTickets(text: string, k = 5): SimilarTicket[] {
    const q = new Float32Array(this.options.dims);
    const e = this.embed(text);
    for (let i = 0; i < e.dim.length; i++) q[e.dim[i]] = e.weight[i];
    const scores: SimilarTicket[] = [];
    for (let i = 0; i < this.#docs; i++) {
      let s = 0;
      for (let j = this.#indptr[i]; j < this.#indptr[i + 1]; j++) s += q[this.#dim[j]] * this.#weight[j];
      if (s > 0) scores.push({ ticket_id: this.#ids[i], score: Math.min(1, s) });
    }
    scores.sort((a, b) => b.score - a.score || a.ticket_id - b.ticket_id);
    return scores.slice(0, k);
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
