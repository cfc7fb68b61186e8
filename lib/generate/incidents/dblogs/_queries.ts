/**
 * A server's slow-query mix: a few statement shapes dominate (Zipf weights over the server's shapes, ranked per
 * server) and a small share are one-off ad-hoc queries whose shape never repeats.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { zipf } from "./_common.ts";

/** A statement with `$n` placeholders and a draw of its parameter values (SQL literals, quoted as needed). */
export interface Statement {
  /** The text with `$1`, `$2`, ... placeholders. */
  sql: string;
  /** Parameter values as SQL literals (`'abc'`, `42`). */
  params: string[];
  /** A one-off statement (shape never repeated). */
  oneOff: boolean;
}

type Shape = (table: string, rng: Rng) => { sql: string; params: string[] };

const ref = (rng: Rng) => `'C-${rng.int(1000, 99999)}'`;
const id = (rng: Rng) => String(rng.int(1, 9_000_000));
const day = (rng: Rng) => `'2024-0${rng.int(1, 3)}-${String(rng.int(10, 28))}'`;
const status = (rng: Rng) => rng.pick(["'new'", "'paid'", "'shipped'", "'cancelled'"]);

/** Statement shapes of an OLTP application (ranked per server). */
const SHAPES: Shape[] = [
  (t, r) => ({ sql: `SELECT * FROM ${t} WHERE customer_ref = $1 ORDER BY created_at DESC LIMIT 50`, params: [ref(r)] }),
  (t, r) => ({ sql: `UPDATE ${t} SET status = $1, updated_at = now() WHERE id = $2`, params: [status(r), id(r)] }),
  (t, r) => ({ sql: `SELECT count(*) FROM ${t} WHERE created_at >= $1 AND created_at < $2`, params: [day(r), day(r)] }),
  (t, r) => ({
    sql: `INSERT INTO ${t} (id, customer_ref, status, created_at) VALUES ($1, $2, $3, now())`,
    params: [id(r), ref(r), status(r)],
  }),
  (t) => ({ sql: `DELETE FROM ${t} WHERE expires_at < now() - interval '30 days'`, params: [] }),
  (t, r) => ({ sql: `SELECT id, status FROM ${t} WHERE id = ANY($1)`, params: [`'{${id(r)},${id(r)},${id(r)}}'`] }),
  (t, r) => ({
    sql: `SELECT status, count(*) FROM ${t} WHERE updated_at > $1 GROUP BY status ORDER BY 2 DESC`,
    params: [day(r)],
  }),
  (t, r) => ({
    sql: `SELECT * FROM ${t} WHERE status = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    params: [status(r), String(r.int(10, 500))],
  }),
  (t, r) => ({ sql: `UPDATE ${t} SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts`, params: [id(r)] }),
  (t, r) => ({
    sql: `SELECT t.*, c.segment FROM ${t} t JOIN customers c ON c.ref = t.customer_ref WHERE t.created_at > $1`,
    params: [day(r)],
  }),
  (t) => ({ sql: `VACUUM (ANALYZE) ${t}`, params: [] }),
  (t, r) => ({ sql: `COPY (SELECT * FROM ${t} WHERE created_at::date = $1) TO STDOUT WITH CSV`, params: [day(r)] }),
];

/** Indices of the shapes that write (a hot standby runs only the others). */
const WRITES = new Set([1, 3, 4, 8, 10]);

const COLUMNS = ["id", "customer_ref", "status", "total", "currency", "region", "channel", "created_at", "updated_at"];
const AGGREGATES = ["count(*)", "sum(total)", "avg(total)", "max(updated_at)", "count(DISTINCT customer_ref)"];

/** An ad-hoc analyst query: a random projection, filter and grouping, so its shape is (almost) never repeated. */
function adHoc(table: string, rng: Rng): { sql: string; params: string[] } {
  const cols = rng.shuffle(COLUMNS).slice(0, rng.int(1, 3));
  const agg = rng.pick(AGGREGATES);
  const filter = rng.pick(COLUMNS.filter((c) => !cols.includes(c)));
  const order = rng.bernoulli(0.5) ? ` ORDER BY ${rng.int(1, cols.length + 1)} DESC` : "";
  const limit = rng.bernoulli(0.4) ? ` LIMIT ${rng.pick([10, 20, 100, 1000])}` : "";
  return {
    sql: `SELECT ${cols.join(", ")}, ${agg} FROM ${table} WHERE ${filter} IS NOT NULL AND created_at > $1 GROUP BY ${
      cols.join(", ")
    }${order}${limit}`,
    params: [day(rng)],
  };
}

/** A server's query mix. */
export class QueryMix {
  readonly #shapes: { shape: Shape; table: string }[];
  readonly #weights: number[];
  /**
   * @param rng the server's stream (ranks the shapes)
   * @param tables the server's tables
   * @param oneOff share of one-off ad-hoc queries
   * @param readOnly only statements a hot standby accepts
   */
  constructor(rng: Rng, readonly tables: readonly string[], readonly oneOff = 0.04, readOnly = false) {
    const shapes = readOnly ? SHAPES.filter((_, i) => !WRITES.has(i)) : SHAPES;
    const pairs = shapes.flatMap((shape) => tables.map((table) => ({ shape, table })));
    this.#shapes = rng.shuffle(pairs);
    this.#weights = zipf(this.#shapes.length, 1.3);
  }
  /** Draws a statement. */
  draw(rng: Rng): Statement {
    if (rng.bernoulli(this.oneOff)) return { ...adHoc(rng.pick(this.tables), rng), oneOff: true };
    const { shape, table } = this.#shapes[rng.weightedIndex(this.#weights)];
    return { ...shape(table, rng), oneOff: false };
  }
}

/**
 * The statement with its parameters written in (what the simple query protocol sends).
 * @param s the statement
 * @returns SQL text without `$n`
 */
export function inline(s: Statement): string {
  return s.sql.replace(/\$(\d+)/g, (_, n) => s.params[Number(n) - 1]);
}
