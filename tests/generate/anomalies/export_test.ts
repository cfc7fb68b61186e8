import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveConfig } from "@lib/config/mod.ts";
import { readNab } from "@lib/ingest/nab/mod.ts";
import { AnomaliesConfig, METRICS, nabTimestamp, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";

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
    // Windows: one per event and affected metric, [start, end] inclusive.
    const want = events.toRecords().flatMap((e) =>
      String(e.metrics).split(",").map((m) => `${m}/${e.series_id} ${ms(e.start)} ${ms(e.end)}`)
    ).sort();
    const got = nab.windows.toRecords().map((w) => `${w.series_id} ${ms(w.start)} ${ms(w.end)}`).sort();
    assert.deepEqual(got, want);
    // combined_labels.json: the start of each anomaly.
    assert.equal(nab.points.height, want.length);
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
