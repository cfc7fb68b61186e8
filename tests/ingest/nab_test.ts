import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { NabFormatError, parseNabWindows, processNab, readNab } from "@lib/ingest/nab/mod.ts";
import { assertBalanced } from "@lib/ingest/common/mod.ts";
import { schemaOf } from "@lib/lake/mod.ts";
import { nabStamp, UNTIDY } from "../fixtures/ingest/_nab.ts";
import { tempFixture } from "./_util.ts";

const ms = (df: pl.DataFrame, c: string) =>
  (df.select(pl.col(c).dt.timestamp()).getColumn(c).toArray() as (number | bigint)[]).map(Number);

Deno.test("readNab() counts and handles every quirk of the untidy file", async (t) => {
  const dir = await tempFixture("nab");
  const d = await readNab(dir, { select: UNTIDY.key });
  const r = d.report;
  await t.step("rows in = rows out + rows quarantined", () => {
    assertBalanced(r);
    assert.equal(r.rows_read, UNTIDY.rowsRead);
    assert.equal(r.rows_written, UNTIDY.rowsWritten);
    assert.equal(d.series.height, UNTIDY.rowsWritten);
  });
  await t.step("bad rows quarantined by reason, with file, line and raw text", () => {
    assert.deepEqual(r.quarantined, UNTIDY.quarantined);
    assert.equal(d.quarantine.height, r.rows_quarantined);
    const bad = d.quarantine.filter(pl.col("reason").eq(pl.lit("bad_value"))).row(0);
    assert.equal(bad[0], `data/${UNTIDY.key}`);
    assert.ok((bad[3] as string).endsWith(",abc"));
  });
  await t.step("CRLF, missing final newline and blank line repaired and counted", () => {
    assert.equal(r.repaired.crlf_files, 1);
    assert.equal(r.repaired.crlf_lines, UNTIDY.crlfLines);
    assert.equal(r.repaired.missing_final_newline_files, 1);
    assert.equal(r.repaired.blank_lines, UNTIDY.blankLines);
  });
  await t.step("rows out of order and steps backwards sorted into place and counted", () => {
    assert.equal(r.repaired.reordered_rows, UNTIDY.reorderedRows);
    assert.equal(r.repaired.backward_steps, UNTIDY.backwardSteps);
    const t = ms(d.series, "timestamp");
    assert.ok(t.every((x, i) => i === 0 || x > t[i - 1]), "strictly increasing, no duplicates");
  });
  await t.step("duplicated timestamps: the first in file order kept", () => {
    const at10 = d.series.filter(pl.col("timestamp").dt.timestamp().eq(Date.UTC(2014, 2, 1, 0, 50)));
    assert.deepEqual(at10.getColumn("value").toArray(), [100]);
  });
  await t.step("gaps and irregular steps measured", () => {
    assert.equal(r.preprocessing.gaps, UNTIDY.gaps);
    assert.equal(r.preprocessing.missing_steps, UNTIDY.missingSteps);
    assert.equal(r.preprocessing.irregular_steps, UNTIDY.irregularSteps);
    const info = d.info.row(0);
    assert.equal(d.info.getColumn("cadence_s").toArray()[0], 300);
    assert.equal(info[0], "realAWSCloudwatch/ec2_network_in_untidy");
  });
  await t.step("types: series_id, timestamp Datetime(ms, UTC), value Float64", () => {
    assert.deepEqual(d.series.columns, ["series_id", "timestamp", "value"]);
    assert.deepEqual(schemaOf(d.series), { series_id: "String", timestamp: "Datetime(ms,UTC)", value: "Float64" });
  });
});

Deno.test("readNab() policies: keep the last duplicate, or quarantine late rows", async () => {
  const dir = await tempFixture("nab");
  const last = await readNab(dir, { select: UNTIDY.key, duplicates: "last" });
  const at10 = last.series.filter(pl.col("timestamp").dt.timestamp().eq(Date.UTC(2014, 2, 1, 0, 50)));
  assert.deepEqual(at10.getColumn("value").toArray(), [999]);
  const q = await readNab(dir, { select: UNTIDY.key, outOfOrder: "quarantine" });
  assertBalanced(q.report);
  // The swapped row and the three rows after the step back: the swapped one is late, the other three late too.
  assert.equal(q.report.quarantined.out_of_order, UNTIDY.reorderedRows);
  assert.equal(q.report.quarantined.duplicate_timestamp, 1);
  assert.equal(q.report.repaired.reordered_rows, 0);
});

Deno.test("readNab() selects realAWSCloudwatch by default, or all, categories and keys", async () => {
  const dir = await tempFixture("nab");
  const ids = async (
    select?: string | string[],
  ) => [
    ...new Set((await readNab(dir, select === undefined ? {} : { select })).series.getColumn("series_id").toArray()),
  ];
  assert.deepEqual(await ids(), [
    "realAWSCloudwatch/ec2_cpu_utilization_clean",
    "realAWSCloudwatch/ec2_network_in_untidy",
  ]);
  assert.equal((await ids("all")).length, 3);
  assert.deepEqual(await ids(["realKnownCause/machine_temperature_other.csv"]), [
    "realKnownCause/machine_temperature_other",
  ]);
  await assert.rejects(() => readNab(dir, { select: "realTweets" }), {
    name: "RangeError",
    message: /realTweets.*realKnownCause/,
  });
});

Deno.test("readNab() reads label windows and points of the selected series as UTC", async () => {
  const dir = await tempFixture("nab");
  const d = await readNab(dir, { select: "all" });
  assert.equal(d.windows.height, 2);
  assert.deepEqual(d.windows.columns, ["series_id", "start", "end"]);
  const w = d.windows.filter(pl.col("series_id").eq(pl.lit("realAWSCloudwatch/ec2_network_in_untidy")));
  assert.deepEqual(ms(w, "start"), [Date.UTC(2014, 2, 1, 8)]);
  assert.deepEqual(ms(w, "end"), [Date.UTC(2014, 2, 1, 9, 30)]);
  assert.equal(d.points.height, 2);
  assert.equal(d.inputs.length, 5);
  assert.ok(d.inputs.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)));
  assert.match(d.license ?? "", /Numenta/);
});

Deno.test("readNab() reads the Kaggle copy's nested folders and a folder without labels", async () => {
  const csv = "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2\n";
  const dir = await tempFixture({
    "realAWSCloudwatch/realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv": csv,
    "realTweets/realTweets/Twitter_volume_AAPL.csv": csv,
    "README.md": "# NAB\n",
  });
  const d = await readNab(dir);
  assert.deepEqual([...new Set(d.series.getColumn("series_id").toArray())], [
    "realAWSCloudwatch/ec2_disk_write_bytes_1ef3de",
  ]);
  assert.equal(d.windows.height, 0);
  assert.equal(d.report.preprocessing.labels, "none");
});

Deno.test("readNab() converts wall-clock time in a zone with daylight saving, the repeated hour included", async () => {
  // 2014-11-02 01:00-02:00 happens twice in New York; a logger writing local time steps back one hour.
  const rows = ["00:30", "00:45", "01:00", "01:15", "01:30", "01:45", "01:00", "01:15", "01:30", "01:45", "02:00"];
  const csv = "timestamp,value\n" + rows.map((r, i) => `2014-11-02 ${r}:00,${i}`).join("\n") + "\n";
  const dir = await tempFixture({ "data/realAWSCloudwatch/dst.csv": csv, "labels/combined_windows.json": "{}" });
  const d = await readNab(dir, { timezone: "America/New_York" });
  assert.equal(d.report.rows_quarantined, 0);
  assert.equal(d.report.repaired.backward_steps, 1);
  const t = ms(d.series, "timestamp");
  // 00:30 EDT = 04:30 UTC, ..., the second 01:00 is EST = 06:00 UTC, 02:00 EST = 07:00 UTC: every 15 minutes.
  assert.equal(t[0], Date.UTC(2014, 10, 2, 4, 30));
  assert.deepEqual(t.map((x) => (x - t[0]) / 60_000), [0, 15, 30, 45, 60, 75, 90, 105, 120, 135, 150]);
  assert.deepEqual(d.series.getColumn("value").toArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

Deno.test("readNab() rejects a file that is not NAB, and malformed label windows, with one line", async () => {
  const bad = await tempFixture({ "data/realAWSCloudwatch/x.csv": "time,val\n1,2\n" });
  await assert.rejects(
    () => readNab(bad),
    (e: Error) => e instanceof NabFormatError && /header must be "timestamp,value", got "time,val"/.test(e.message),
  );
  assert.throws(
    () => parseNabWindows('{"a/b.csv": [["2014-01-02 00:00:00", "2014-01-01 00:00:00"]]}', "w.json"),
    /must start before it ends/,
  );
  assert.throws(() => parseNabWindows('{"a/b.csv": [["2014-01-02"]]}', "w.json"), /\[start, end\] pair/);
  assert.throws(() => parseNabWindows("[1]", "w.json"), NabFormatError);
  const empty = await tempFixture({ "labels/combined_windows.json": "{}" });
  await assert.rejects(() => readNab(empty), /no NAB data files/);
});

Deno.test("processNab() gives the tidy hourly table: labels overlap windows, features, split without leakage", async () => {
  const dir = await tempFixture("nab");
  const data = await readNab(dir);
  const { hourly, points, report } = processNab(data, { windows: [6, 24], trainRatio: 0.7 });
  for (
    const c of ["series_id", "timestamp", "value", "value_mean_6", "value_std_24", "value_z_24", "is_anomaly", "split"]
  ) {
    assert.ok(hourly.columns.includes(c), c);
  }
  const clean = hourly.filter(pl.col("series_id").eq(pl.lit("realAWSCloudwatch/ec2_cpu_utilization_clean")));
  assert.equal(clean.height, 72);
  // Window 09:30-12:30 on Feb 16 overlaps the hours 09, 10, 11 and 12.
  const hot = clean.filter(pl.col("is_anomaly"));
  assert.deepEqual(ms(hot, "timestamp"), [9, 10, 11, 12].map((h) => Date.UTC(2014, 1, 16, h)));
  assert.equal(report.preprocessing.hourly_anomalous, 6);
  assert.equal(Number(points.getColumn("is_anomaly").cast(pl.Int32).sum()), report.preprocessing.points_anomalous);
  // The spike in the window is far above its past.
  const z = hot.getColumn("value_z_24").toArray() as number[];
  assert.ok(Math.max(...z) > 3, `z ${z}`);
  for (const id of [...new Set(hourly.getColumn("series_id").toArray() as string[])]) {
    const s = hourly.filter(pl.col("series_id").eq(pl.lit(id)));
    const train = ms(s.filter(pl.col("split").eq(pl.lit("train"))), "timestamp");
    const test = ms(s.filter(pl.col("split").eq(pl.lit("test"))), "timestamp");
    assert.ok(Math.max(...train) < Math.min(...test), id);
    // Features of train rows are the same when computed without the test rows: nothing leaks back.
    const trainOnly = processNab({
      ...data,
      series: data.series.filter(pl.col("timestamp").dt.timestamp().lt(Math.min(...test))),
    }, { windows: [6, 24] }).hourly
      .filter(pl.col("series_id").eq(pl.lit(id)));
    const full = s.filter(pl.col("split").eq(pl.lit("train")));
    for (const c of ["value_mean_6", "value_std_24", "value_z_24", "is_anomaly"]) {
      assert.deepEqual(
        trainOnly.getColumn(c).toArray().slice(0, full.height - 1),
        full.getColumn(c).toArray().slice(0, full.height - 1),
        c,
      );
    }
  }
  const gapHour = hourly.filter(pl.col("n_obs").eq(0));
  assert.equal(gapHour.height, 1);
  assert.deepEqual(gapHour.getColumn("filled").toArray(), [true]);
});

Deno.test("processNab() aggregates by max and p95, and the hourly value follows", async () => {
  const dir = await tempFixture({
    "data/realAWSCloudwatch/s.csv": "timestamp,value\n" +
      Array.from({ length: 12 }, (_, i) => `${nabStamp(Date.UTC(2014, 0, 1, 0, i * 5))},${i + 1}`).join("\n") + "\n",
  });
  const data = await readNab(dir);
  const v = (agg: "mean" | "max" | "p95") => processNab(data, { agg }).hourly.getColumn("value").toArray()[0];
  assert.equal(v("mean"), 6.5);
  assert.equal(v("max"), 12);
  assert.ok(Math.abs((v("p95") as number) - 11.45) < 1e-9);
});

Deno.test("readNab() round-trips a NAB-layout export: every written point and window comes back", async () => {
  const t0 = Date.UTC(2015, 5, 1);
  const files: Record<string, string> = {};
  const windows: Record<string, string[][]> = {};
  for (const s of ["a", "b"]) {
    const rows = Array.from({ length: 500 }, (_, i) => `${nabStamp(t0 + i * 300_000)},${(i * 0.5).toFixed(1)}`);
    files[`data/synthetic/${s}.csv`] = "timestamp,value\n" + rows.join("\n") + "\n";
    windows[`synthetic/${s}.csv`] = [[`${nabStamp(t0 + 3_600_000)}.000000`, `${nabStamp(t0 + 7_200_000)}.000000`]];
  }
  files["labels/combined_windows.json"] = JSON.stringify(windows);
  const dir = await tempFixture(files);
  const d = await readNab(dir, { select: "all" });
  assert.equal(d.report.rows_quarantined, 0);
  assert.equal(d.series.height, 1000);
  assert.equal(d.windows.height, 2);
  assert.equal(join("data", "synthetic", "a.csv"), d.inputs[0].path);
});
