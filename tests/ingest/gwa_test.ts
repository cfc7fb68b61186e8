import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * The GWA-T-12 ingest on the real Bitbrains "Rnd" traces in ../shared/real (read at test time, never copied) and
 * on constructed files for the quirks the real ones lack.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { assertBalanced } from "@lib/ingest/common/mod.ts";
import { GWA_HEADER, GwaFormatError, hourlyP95, ingestGwa, readGwa } from "@lib/ingest/gwa/mod.ts";
import { readManifest } from "@lib/lake/mod.ts";
import { tempFixture } from "./_util.ts";

const REAL = new URL("../../../shared/real/bitbrains_rnd", import.meta.url).pathname;

async function realTraces(): Promise<string> {
  try {
    await Deno.stat(join(REAL, "2013-9", "50.csv"));
  } catch {
    throw new Error(
      `The real Bitbrains traces are missing at ${REAL}: these tests need ../shared/real/bitbrains_rnd (GWA-T-12 ` +
        `"Rnd", 30 VM-months) beside the project; see ../shared/real/README.md`,
    );
  }
  return REAL;
}

Deno.test("readGwa() on the real Bitbrains traces: every row accounted for, each quirk by its policy", async (t) => {
  const d = await readGwa(await realTraces());
  const r = d.report;
  await t.step("rows in = rows out + rows quarantined (260,973 data rows in 30 files)", () => {
    assertBalanced(r);
    assert.equal(r.files_read, 30);
    assert.equal(r.rows_read, 260_973);
    assert.equal(d.samples.height + d.quarantine.height, 260_973);
  });
  await t.step("powered-off rows quarantined: 1,267 in 2013-7/50, 164 in 2013-7/150, 19,819 in 2013-9/50", () => {
    const by = d.quarantine.filter(pl.col("reason").eq(pl.lit("powered_off"))).groupBy("source").agg(pl.len())
      .sort("source").toRecords().map((x) => [x.source, Number(x.len)]);
    assert.deepEqual(by, [["2013-7/150.csv", 164], ["2013-7/50.csv", 1267], ["2013-9/50.csv", 19_819]]);
    assert.deepEqual(r.quarantined, { powered_off: 21_250 });
  });
  await t.step("2013-9/50.csv keeps only its first stream: 1,726 live rows up to 2013-09-06 22:24 UTC", () => {
    const s = d.samples.filter(pl.col("vm_month").eq(pl.lit("2013-9/50")));
    assert.equal(s.height, 1726);
    const last = s.select(pl.col("timestamp").max()).row(0)[0] as Date;
    assert.equal(last.toISOString().slice(0, 16), "2013-09-06T22:24");
  });
  await t.step(
    "timestamps are seconds: the first month starts 2013-06-30 UTC, strictly increasing per VM-month",
    () => {
      const first = d.samples.select(pl.col("timestamp").min()).row(0)[0] as Date;
      assert.equal(first.toISOString().slice(0, 10), "2013-06-30");
      const steps = d.samples.select(pl.col("timestamp").cast(pl.Int64).diff(1, "ignore").over("vm_month").alias("d"));
      const dup = steps.select(pl.col("d").lt(1000).sum()).row(0)[0];
      assert.equal(Number(dup), 0);
    },
  );
  await t.step("CPU above 100 % kept and counted (5,539), memory 0 on live rows kept with mem_pct null (5,154)", () => {
    assert.equal(r.preprocessing.cpu_pct_over_100, 5539);
    assert.equal(r.repaired.memory_zero_live, 5154);
    assert.equal(d.samples.filter(pl.col("mem_kb").eq(0)).select(pl.col("mem_pct").isNull().all()).row(0)[0], true);
  });
  await t.step("hourly P95 per VM-month: at most 12-13 samples per hour, P95 between the hour's median and max", () => {
    const h = hourlyP95(d.samples);
    assert.equal(h.select(pl.col("vm_month").nUnique()).row(0)[0], 30);
    assert.ok(Number(h.select(pl.col("n_obs").max()).row(0)[0]) <= 13);
    const hour = d.samples.filter(pl.col("vm_month").eq(pl.lit("2013-8/100"))).withColumns(
      pl.col("timestamp").dt.truncate("1h").alias("h"),
    ).groupBy("h").agg(pl.col("cpu_pct").median().alias("med"), pl.col("cpu_pct").max().alias("max")).sort("h");
    const joined = h.filter(pl.col("vm_month").eq(pl.lit("2013-8/100"))).join(hour, {
      leftOn: "timestamp",
      rightOn: "h",
    });
    const bad = joined.filter(pl.col("cpu_pct").lt(pl.col("med")).or(pl.col("cpu_pct").gt(pl.col("max")))).height;
    assert.equal(bad, 0);
  });
});

Deno.test("readGwa() quarantines malformed lines, bad numbers, repeated and backward timestamps", async () => {
  const row = (ts: number, cores = 2, cpu = "10.0") =>
    `${ts};\t${cores};\t5000.0;\t500.0;\t${cpu};\t1000.0;\t500.0;\t1.0;\t2.0;\t3.0;\t4.0`;
  const t0 = 1_375_000_000;
  const lines = [
    GWA_HEADER,
    row(t0),
    row(t0 + 300),
    row(t0 + 300), // repeated timestamp
    row(t0 + 600, 2, "abc"), // not a number
    "1375000900;\t2;\t5000.0", // 3 fields
    row(t0 + 900, 0, "0.0"), // powered off
    row(t0 + 1200, 2, "2.097152E1"), // Java exponent
    row(t0 + 100), // backwards
  ];
  const dir = await tempFixture({ "2013-8/7.csv": lines.join("\n") + "\n", "LICENSE": "BSD-2-Clause\n" });
  const d = await readGwa(dir);
  assertBalanced(d.report);
  assert.equal(d.report.rows_read, 8);
  assert.deepEqual(d.report.quarantined, {
    bad_field_count: 1,
    bad_number: 1,
    duplicate_timestamp: 1,
    powered_off: 1,
    time_backwards: 1,
  });
  assert.deepEqual(d.samples.getColumn("cpu_pct").toArray(), [10, 10, 20.97152]);
  const q = d.quarantine.toRecords();
  assert.deepEqual(q.map((x) => [x.line, x.reason]), [
    [4, "duplicate_timestamp"],
    [5, "bad_number"],
    [6, "bad_field_count"],
    [7, "powered_off"],
    [9, "time_backwards"],
  ]);
  assert.equal(q[1].raw, row(t0 + 600, 2, "abc"));
  assert.deepEqual(d.report.files_skipped, [{ path: "LICENSE", reason: "not a <month>/<vm>.csv trace" }]);
  const bad = await tempFixture({ "2013-8/7.csv": "Timestamp;CPU\n1;2\n" });
  await assert.rejects(() => readGwa(bad), GwaFormatError);
});

Deno.test("ingestGwa() writes hourly, samples and quarantine with the source, commit and citation in the manifest", async () => {
  const out = join(await Deno.makeTempDir({ prefix: "opslab-gwa-" }), "bitbrains");
  try {
    const { report } = await ingestGwa(await realTraces(), out, { created: new Date("2026-01-01T00:00:00Z") });
    const m = await readManifest(out);
    assert.equal(m.kind, "gwa");
    assert.equal(m.primary_table, "hourly");
    assert.equal(m.tables.samples.rows, 239_723);
    assert.equal(m.tables.quarantine.rows, 21_250);
    assert.equal(m.tables.hourly.rows, report.preprocessing.hourly_rows);
    assert.equal(m.source?.commit, "0901a0da3024507c7732c782621e590077abca64");
    assert.match(m.source?.citation ?? "", /Statistical Characterization of Business-Critical Workloads/);
    assert.equal((m.config as { utc_offset_hours: number }).utc_offset_hours, 2);
    assert.equal(m.lineage.length, 30);
  } finally {
    await Deno.remove(join(out, ".."), { recursive: true });
  }
});

Deno.test("deno task ingest gwa runs with the task's permissions (reads its input wherever it is) and is byte-identical", async () => {
  const input = await realTraces();
  const root = new URL("../../", import.meta.url).pathname;
  const task = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))).tasks.ingest as string;
  // The task's own permission flags, but writes to the temp folder instead of data/.
  const flags = task.split(/\s+/).filter((f) => f.startsWith("--allow-") && !f.startsWith("--allow-write"));
  assert.ok(flags.includes("--allow-read"), `named inputs are readable anywhere (issue 20): ${task}`);
  const tmp = await Deno.makeTempDir({ prefix: "opslab-gwa-task-" });
  try {
    const sums: string[] = [];
    for (const name of ["a", "b"]) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-prompt",
          ...flags,
          `--allow-write=${tmp}`,
          "tasks/ingest.ts",
          "gwa",
          "--input",
          input,
          "--output",
          join(tmp, name),
        ],
        cwd: root,
        env: { SOURCE_DATE_EPOCH: "1700000000", NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.match(text, /260,973 rows read, 239,723 written, 21,250 quarantined \(powered_off 21,250\)/);
      sums.push(JSON.stringify((await readManifest(join(tmp, name))).files));
    }
    assert.equal(sums[0], sums[1]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
