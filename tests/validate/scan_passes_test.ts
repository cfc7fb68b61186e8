/**
 * Validation of a scanned table reads each file a bounded number of times, and holds per-file results, not the
 * rows: on 100 M hourly capacity rows (104 files) validity re-read every file six times and the seasonal daily
 * means stacked 4.5 M sampled rows per group (issue 18: 1.65 GB peak). Counted here by the reads of each file,
 * deterministically; the means per file must come out as over the whole table, also when a server spans files.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { ScannedTable, type TableFrame } from "@lib/lake/mod.ts";
import {
  checkValidity,
  columnRules,
  kindSpec,
  loadForValidation,
  validateDataset,
  type ValidationContext,
} from "@lib/validate/mod.ts";
import { seasonalMeasures } from "@lib/validate/seasonality.ts";
import { CREATED } from "./_fixtures.ts";

/** A scanned table that counts how often each of its files is read (a query built on the file's scan). */
class CountingTable extends ScannedTable {
  reads: number[] = [];
  #parts?: ScannedTable[];

  override parts(): ScannedTable[] {
    this.#parts ??= super.parts().map((part, i) => {
      this.reads[i] = 0;
      return new Proxy(part, {
        get: (target, key) => {
          if (key === "lazy") {
            return () => {
              this.reads[i]++;
              return target.lazy();
            };
          }
          const value = Reflect.get(target, key, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    });
    return this.#parts;
  }

  /** Forgets the reads so far. */
  reset(): void {
    this.reads = this.reads.map(() => 0);
  }

  /** The most reads of any one file. */
  most(): number {
    return Math.max(...this.reads);
  }
}

async function inTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "opslab-passes-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A daily capacity dataset of 40 servers over a year in 14 part files, loaded scanned; its kind's context. */
async function scanned(dir: string) {
  const config = resolveConfig(CapacityConfig, {
    flags: { servers: 40, years: 1, rows_per_file: 3 * 365, seed: 5, preset: "textbook" },
    what: "capacity",
  });
  await writeCapacityDataset(config, `${dir}/capacity`, { created: CREATED });
  const loaded = await loadForValidation(`${dir}/capacity`, { inMemoryRows: 0 });
  const files = (loaded.tables.capacity as ScannedTable).files;
  const table = new CountingTable(files, { rows: loaded.tables.capacity.height });
  const spec = kindSpec("capacity")!;
  const ctx = (df: TableFrame): ValidationContext => ({
    tables: { capacity: df },
    primary: "capacity",
    manifest: loaded.manifest,
    config: spec.parseConfig!(loaded.manifest!.config),
  });
  return { table, files, spec, ctx, manifest: loaded.manifest! };
}

Deno.test("validity counts every rule of a scanned table in one read of each file (and its strings in one each)", async () => {
  await inTempDir(async (dir) => {
    const { table, spec, ctx } = await scanned(dir);
    assert.equal(table.parts().length, 14);
    const t = spec.tables(ctx(table)).capacity; // reads the timestamps' range
    table.reset();
    const results = checkValidity(table, columnRules(t.record!), { derived: t.derived, prepare: t.prepare });
    assert.ok(results.length > 15 && results.every((r) => r.passed), results.map((r) => r.id).join(", "));
    // One read for every range, enum and derived column (was: extremes, then one per four rules: 4), the string
    // rules (server_id's pattern, app_name's length) counted in it too (was: one more read each, 3 in all).
    assert.equal(table.most(), 1, `a file was read ${table.most()} times: ${table.reads}`);
    // A string rule some value breaks reads its distinct values for an example, as before.
    const ids = table.files.map((f) => pl.readParquet(f.path));
    const broken = new ScannedTable(
      ids.map((df, i) => {
        const path = `${dir}/broken-${String(i).padStart(2, "0")}.parquet`;
        (i === 3 ? df.withColumns(pl.lit("host-9").alias("server_id")) : df).writeParquet(path);
        return path;
      }),
    );
    const pattern = checkValidity(broken, columnRules(t.record!), { derived: t.derived, prepare: t.prepare })
      .find((r) => r.id === "validity.pattern:server_id")!;
    assert.equal(pattern.measured, ids[3].height);
    assert.match(pattern.message, /e\.g\. "host-9"/);
  });
});

Deno.test("seasonal daily means go file by file in one read for every group, as over the whole table", async () => {
  await inTempDir(async (dir) => {
    const { table, files, ctx, manifest } = await scanned(dir);
    const config = ctx(table).config as CapacityConfig;
    const options = {
      metric: "net_in_p95",
      entity: "server_id",
      group: "server_type",
      cadenceMs: 86_400_000,
      targets: { web: { eoq: config.eoq, weekendMultiplier: 0.5 } },
    };
    const measured = seasonalMeasures(table, options);
    const groups = measured.length;
    assert.equal(groups, 4);
    // The median series, one read per group; the daily means of every group's entities, one read in all (was:
    // one per group, stacking the sampled rows first); the members, by the glob, none.
    assert.ok(table.most() <= groups + 1, `a file was read ${table.most()} times: ${table.reads}`);
    // And a group's median series reads only the files holding its rows (was: every file, 5 reads each).
    const held = files.map((f) => pl.readParquet(f.path).getColumn("server_type").nUnique());
    assert.ok(held.some((n) => n < groups), `some file lacks a group: ${held}`);
    assert.deepEqual(table.reads, held.map((n) => 1 + n));

    // The same figures in memory; and when a server's day spans two files (then group by group over the stacked
    // rows), the same as that table in memory.
    const all = pl.concat(files.map((f) => pl.readParquet(f.path)));
    const first = String(all.getColumn("server_id").get(0));
    const rows = all.withRowIndex("__i");
    const ofFirst = pl.col("server_id").eq(pl.lit(first));
    // Day 100 of the first server in both files, with another value in the second.
    const a = rows.filter(ofFirst.not().or(pl.col("__i").ltEq(100))).drop("__i");
    const b = rows.filter(ofFirst.and(pl.col("__i").gtEq(100))).withColumns(
      pl.when(pl.col("__i").eq(100)).then(pl.col("net_in_p95").mul(1.5)).otherwise(pl.col("net_in_p95"))
        .alias("net_in_p95"),
    ).drop("__i");
    await Deno.mkdir(`${dir}/split`);
    a.writeParquet(`${dir}/split/a.parquet`);
    b.writeParquet(`${dir}/split/b.parquet`);
    const split = new ScannedTable([`${dir}/split/a.parquet`, `${dir}/split/b.parquet`]);
    assert.equal(split.height, manifest.tables.capacity.rows + 1);
    // Measured in slices of days (as above 3 M sampled values a group): the same figures.
    const sliced = seasonalMeasures(table, { ...options, medianValues: 2_000 });
    const pairs = [[measured, seasonalMeasures(all, options)], [measured, sliced], [
      seasonalMeasures(pl.concat([a, b]), options),
      seasonalMeasures(split, options),
    ]];
    for (const [expected, other] of pairs) {
      assert.equal(other.length, groups);
      other.forEach((m, i) => {
        const e = expected[i];
        assert.equal(m.group, e.group);
        for (const k of ["weekendRatioEntities", "eoqUpliftEntities", "weekendRatio", "eoqUplift"] as const) {
          const [x, y] = [m[k], e[k]];
          assert.equal(x === undefined, y === undefined, `${e.group} ${k}`);
          if (x && y) {
            assert.ok(
              Math.abs(x.value - y.value) <= 1e-12 * Math.abs(y.value),
              `${e.group} ${k} ${x.value} ${y.value}`,
            );
            assert.ok(Math.abs(x.se - y.se) <= 1e-9 * Math.abs(y.se), `${e.group} ${k} se ${x.se} ${y.se}`);
            assert.equal(x.n, y.n, `${e.group} ${k} n`);
          }
        }
      });
    }
  });
});

/**
 * The reads of each Parquet file by the queries `run` collects, from their optimized plans: a file's scan counts
 * once per query, however many branches share it (Polars caches a subplan used twice), and a glob's scan once for
 * every file below its folder.
 */
function countScans(files: readonly string[], run: () => void): number[] {
  const native = Object.getPrototypeOf((pl.DataFrame({ a: [1] }).lazy() as unknown as { _ldf: object })._ldf);
  const collect = native.collectSync;
  const reads = files.map(() => 0);
  native.collectSync = function (this: { describeOptimizedPlan(): string }, ...args: unknown[]) {
    const seen = new Set<string>();
    let skipBelow = -1;
    for (const line of this.describeOptimizedPlan().split("\n")) {
      const depth = line.search(/\S/);
      if (skipBelow >= 0 && depth > skipBelow) continue;
      skipBelow = -1;
      const cache = /CACHE\[id: ([^\]]+)\]/.exec(line)?.[1];
      if (cache !== undefined) {
        if (seen.has(cache)) skipBelow = depth;
        seen.add(cache);
        continue;
      }
      const scan = /Parquet SCAN \[(.*)\]/.exec(line)?.[1];
      if (scan === undefined) continue;
      files.forEach((f, i) => {
        if (scan === f || (/ other sources$/.test(scan) && scan.startsWith(`${f.slice(0, f.lastIndexOf("/"))}/`))) {
          reads[i]++;
        }
      });
    }
    return collect.apply(this, args);
  };
  try {
    run();
  } finally {
    native.collectSync = collect;
  }
  return reads;
}

Deno.test("a whole validation of a scanned table reads each file a few times in all", async () => {
  await inTempDir(async (dir) => {
    const { files, manifest } = await scanned(dir);
    const table = new ScannedTable(files, { rows: manifest.tables.capacity.rows });
    let ok = false;
    const reads = countScans(files.map((f) => f.path), () => ok = validateDataset(table, manifest).ok());
    assert.ok(ok);
    // Null counts, validity counts and string rules in one read of each file (were four); the time index tells
    // that no server spans two files from its facts (was a read of its own); a group's median series only reads
    // the files holding its rows. Was 17.
    assert.ok(Math.max(...reads) <= 12, `a file was read ${Math.max(...reads)} times: ${reads}`);
  });
});
