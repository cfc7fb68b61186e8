import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { readNab } from "@lib/ingest/nab/mod.ts";
import {
  AnomaliesConfig,
  METRICS,
  nabFileLabels,
  nabTimestamp,
  writeAnomaliesDataset,
} from "@lib/generate/anomalies/mod.ts";
import { checkNabCorpus } from "./_nab_rules.ts";

const config = (flags: Record<string, unknown>) => resolveConfig(AnomaliesConfig, { flags, what: "anomalies" });

async function withDataset(
  flags: Record<string, unknown>,
  body: (dir: string, points: pl.DataFrame, events: pl.DataFrame) => Promise<void>,
): Promise<void> {
  const tmp = await Deno.makeTempDir();
  try {
    const dir = `${tmp}/ds`;
    await writeAnomaliesDataset(config(flags), dir, { exports: ["nab", "timeeval"] });
    await body(dir, pl.readParquet(`${dir}/points.parquet`), pl.readParquet(`${dir}/events.parquet`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

const ms = (d: unknown) => (d instanceof Date ? d.getTime() : Number(d));

Deno.test("nabTimestamp() writes NAB's timestamp formats", () => {
  const t = Date.parse("2024-03-05T07:08:09Z");
  assert.equal(nabTimestamp(t), "2024-03-05 07:08:09");
  assert.equal(nabTimestamp(t, true), "2024-03-05 07:08:09.000000");
});

Deno.test("the NAB export round-trips through the NAB reader: every value and every window comes back", async () => {
  // Include gaps: missing anomalies leave rows out of the NAB files, the reader must see the same points.
  await withDataset({ series: 12, points: 720, seed: 21, anomaly_ratio: 1, anomalies_per_series: [2, 3] }, async (
    dir,
    points,
    events,
  ) => {
    const nab = await readNab(`${dir}/nab`, { select: "all" });
    assert.equal(nab.report.rows_quarantined, 0, "nothing quarantined");
    // Values: the reader's series equal the points table, per metric, missing points left out, to 1e-6.
    const long = pl.concat(
      METRICS.map((m) =>
        points.filter(pl.col(m).isNotNull()).select(
          pl.concatString([pl.lit(m), pl.col("series_id")], "/").alias("series_id"),
          pl.col("timestamp"),
          pl.col(m).alias("want"),
        )
      ),
      { how: "vertical" },
    );
    assert.equal(nab.series.height, long.height, "one NAB row per non-missing value");
    const joined = long.join(nab.series, { on: ["series_id", "timestamp"], how: "inner" });
    assert.equal(joined.height, long.height, "every (series, timestamp) found");
    const worst = Number(joined.select(pl.col("want").sub(pl.col("value")).abs().max()).row(0)[0]);
    assert.ok(worst <= 5e-7, `values equal to 1e-6, worst ${worst}`);
    // Windows: one per event and affected metric, on rows the file has. An event with two rows or more in the file
    // spans exactly its first to its last present row; one with fewer (a one-point spike, a gap of the missing
    // type) is widened a row to each side.
    const present = new Map<string, number[]>();
    for (const r of nab.series.select("series_id", "timestamp").toRecords()) {
      const key = String(r.series_id);
      if (!present.has(key)) present.set(key, []);
      present.get(key)!.push(ms(r.timestamp));
    }
    const got = new Map<string, [number, number][]>();
    for (const w of nab.windows.toRecords()) {
      const key = String(w.series_id);
      if (!got.has(key)) got.set(key, []);
      got.get(key)!.push([ms(w.start), ms(w.end)]);
    }
    let wanted = 0, widened = 0;
    for (const e of events.toRecords()) {
      for (const m of String(e.metrics).split(",")) {
        wanted++;
        const key = `${m}/${e.series_id}`;
        const times = present.get(key)!;
        const inside = times.filter((t) => t >= ms(e.start) && t <= ms(e.end));
        const windows = got.get(key) ?? [];
        // the rows the window must hold: the event's own, or for a gap the row after it (or before, at the end)
        const anchor = inside.length > 0
          ? inside
          : [times.find((t) => t > ms(e.end)) ?? times.filter((t) => t < ms(e.start)).at(-1)!];
        const w = windows.find(([a, b]) => a <= anchor[0] && b >= anchor.at(-1)!);
        assert.ok(w, `${key}: a window for ${e.anomaly_id}`);
        assert.ok(times.includes(w[0]) && times.includes(w[1]), `${key}: boundaries on present rows`);
        if (inside.length >= 2) assert.deepEqual(w, [inside[0], inside.at(-1)!], `${key}: ${e.anomaly_id} exact`);
        else {
          widened++;
          assert.ok(times.filter((t) => t >= w[0] && t <= w[1]).length >= 2, `${key}: ${e.anomaly_id} two rows`);
        }
      }
    }
    assert.equal([...got.values()].reduce((a, l) => a + l.length, 0), wanted, "one window per event and metric");
    assert.ok(widened > 0, "the config has one-row or missing anomalies");
    // combined_labels.json: the start of each anomaly.
    assert.equal(nab.points.height, wanted);
  });
});

Deno.test("the TimeEval export is one timestamp,value-0,value-1,value-2,is_anomaly CSV per series with an index", async () => {
  await withDataset({ series: 6, points: 500, seed: 8, anomaly_ratio: 1 }, async (dir, points, events) => {
    const index = (await Deno.readTextFile(`${dir}/timeeval/datasets.csv`)).trimEnd().split("\n");
    const header = index[0].split(",");
    assert.deepEqual(header.slice(0, 4), ["collection_name", "dataset_name", "train_path", "test_path"]);
    assert.equal(index.length, 7);
    for (let s = 0; s < 6; s++) {
      const id = `series-${String(s).padStart(5, "0")}`;
      const row = Object.fromEntries(index[s + 1].split(",").map((v, i) => [header[i], v]));
      assert.equal(row.dataset_name, id);
      assert.equal(row.test_path, `${id}.csv`);
      assert.equal(Number(row.num_anomalies), events.filter(pl.col("series_id").eq(pl.lit(id))).height);
      const lines = (await Deno.readTextFile(`${dir}/timeeval/${id}.csv`)).trimEnd().split("\n");
      assert.equal(lines[0], "timestamp,value-0,value-1,value-2,is_anomaly");
      assert.equal(lines.length, 501);
      const want = points.filter(pl.col("series_id").eq(pl.lit(id))).toRecords();
      lines.slice(1).forEach((line, i) => {
        const cells = line.split(",");
        assert.equal(cells.length, 5, `5 cells on line ${i + 2}`);
        assert.equal(Date.parse(cells[0]), ms(want[i].timestamp));
        METRICS.forEach((m, k) => {
          const v = want[i][m] as number | null;
          if (v === null) assert.equal(cells[k + 1], "");
          else assert.ok(Math.abs(Number(cells[k + 1]) - v) <= 5e-7, `${m} on line ${i + 2}`);
        });
        assert.equal(cells[4], want[i].is_anomaly ? "1" : "0");
      });
      const labeled = want.filter((r) => r.is_anomaly).length;
      assert.ok(Math.abs(Number(row.contamination) - labeled / 500) < 1e-12);
    }
  });
});

Deno.test("every NAB export file satisfies NAB's rules, with exact and with NAB's windows", async (t) => {
  for (const seed of [42, 1337, 1211]) {
    for (const windowing of ["exact", "nab"] as const) {
      await t.step(`seed ${seed}, ${windowing} windows`, async () => {
        const tmp = await Deno.makeTempDir();
        try {
          const dir = `${tmp}/ds`;
          await writeAnomaliesDataset(
            config({ series: 40, points: 1440, seed, anomaly_ratio: 1, anomalies_per_series: [2, 4] }),
            dir,
            { exports: ["nab"], nabWindows: windowing },
          );
          const events = pl.readParquet(`${dir}/events.parquet`);
          assert.ok(events.filter(pl.col("type").eq(pl.lit("missing"))).height > 0, "the corpus has missing anomalies");
          const { violations, files, windows } = await checkNabCorpus(`${dir}/nab`);
          assert.equal(files, 120);
          assert.ok(windows > 0);
          assert.deepEqual(violations.slice(0, 5), [], `${violations.length} violations of NAB's rules`);
        } finally {
          await Deno.remove(tmp, { recursive: true });
        }
      });
    }
  }
});

Deno.test("nabFileLabels() draws NAB's labeler's windows: centred, 10 % of the rows over the anomalies", async (t) => {
  const minute = 60_000;
  const grid = (n: number) => Float64Array.from({ length: n }, (_, i) => i * minute);
  const at = (...rows: number[]) => rows.map((r) => ({ start_ms: r * minute, end_ms: r * minute }));
  const cases: [string, number, { start_ms: number; end_ms: number }[], [number, number][]][] = [
    ["one anomaly: int(0.1 * 1000 / 1) = 100 rows, 50 each side", 1000, at(500), [[450, 550]]],
    ["two anomalies: 50 rows each, 25 each side", 1000, at(300, 700), [[275, 325], [675, 725]]],
    ["odd length: int(0.1 * 1000 / 3) = 33, 16 each side", 1000, at(300, 500, 700), [[284, 316], [484, 516], [
      684,
      716,
    ]]],
    ["a first window starting in the probationary 15 % is dropped", 1000, at(160, 600), [[575, 625]]],
    ["probation is at most 750 rows (0.15 * 5000)", 10_000, at(1000, 5000), [[750, 1250], [4750, 5250]]],
    ["a first window starting before row 750 is dropped", 10_000, at(999, 5000), [[4750, 5250]]],
    ["overlapping windows merge", 1000, at(500, 510), [[475, 535]]],
    ["clipped at the file's end", 1000, at(400, 990), [[375, 425], [965, 999]]],
    ["a window of under two rows widens to two", 100, at(...Array.from({ length: 20 }, (_, i) => 16 + 4 * i)), [[
      15,
      17,
    ], [
      19,
      21,
    ]]],
  ];
  for (const [name, n, events, want] of cases) {
    await t.step(name, () => {
      const got = nabFileLabels(grid(n), events, { windowing: "nab" }).windows;
      assert.deepEqual(n === 100 ? got.slice(0, 2) : got, want);
    });
  }
  await t.step("exact windows: a gap's window runs from the row before it to the row after", () => {
    const times = Float64Array.from([0, 1, 2, 3, 7, 8, 9], (r) => r * minute); // rows 4..6 missing
    const f = nabFileLabels(times, [{ start_ms: 4 * minute, end_ms: 6 * minute }]);
    assert.deepEqual(f.windows, [[3, 4]]);
    assert.deepEqual(f.labels, [4], "the label is the first row after the gap");
    assert.deepEqual(nabFileLabels(times, [{ start_ms: 1 * minute, end_ms: 1 * minute }]).windows, [[0, 2]]);
    assert.deepEqual(nabFileLabels(times, [{ start_ms: 1 * minute, end_ms: 2 * minute }]).windows, [[1, 2]]);
  });
});
