/**
 * Every check has a dataset that must trip it: a clean capacity dataset passes every check, and each corruption
 * fails the checks it should and no others.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { shuffleInTime, validateDataset } from "@lib/validate/mod.ts";
import { assertFailed, capacityDataset, editConfig, setAt, SMALL, spread } from "./_fixtures.ts";

const VALIDATED = new Date("2026-01-02T00:00:00Z");

Deno.test("validateDataset() passes a clean small capacity dataset with no failed check at all", async () => {
  const { df, manifest } = await capacityDataset();
  const v = validateDataset(df, manifest, { validated: VALIDATED });
  assertFailed(v, []);
  assert.ok(v.results.length > 100, `only ${v.results.length} checks ran`);
  for (
    const family of ["schema", "completeness", "validity", "uniqueness", "time", "correlation", "seasonality", "pii"]
  ) {
    assert.ok(v.results.some((r) => r.family === family), `no ${family} check ran`);
  }
});

Deno.test("validateDataset() trips on each corrupted capacity dataset, and only where it should", async (t) => {
  const { df, manifest } = await capacityDataset();
  const n = df.height;
  const run = (frame: pl.DataFrame, m = manifest) => validateDataset(frame, m, { validated: VALIDATED });

  await t.step("injected nulls fail the null rate of that column", () => {
    assertFailed(run(setAt(df, "cpu_p95", spread(n, 40), null)), ["completeness.null_rate:cpu_p95"]);
  });

  await t.step("NaN counts as missing too", () => {
    assertFailed(run(setAt(df, "disk_p95", spread(n, 5), NaN)), ["completeness.null_rate:disk_p95"]);
  });

  await t.step("out-of-range values fail the range of each column hit", () => {
    const bad = setAt(setAt(df, "cpu_p95", spread(n, 30), 130), "net_out_p95", spread(n, 10, 5), -4);
    assertFailed(run(bad), ["validity.range:cpu_p95", "validity.range:net_out_p95"]);
  });

  await t.step("a value outside an enum fails its enum check", () => {
    assertFailed(run(setAt(df, "region", spread(n, 3), "mars-north")), ["validity.enum:region"]);
  });

  await t.step("an id off its pattern fails the pattern check", () => {
    assertFailed(run(setAt(df, "server_id", [0], "SRV-1")), [
      "validity.pattern:server_id",
      // the renamed row takes srv-0001's first day and is a one-day series of its own
      "time.coverage:timestamp",
    ]);
  });

  await t.step("a calendar column that disagrees with the timestamp fails its derived check", () => {
    const bad = setAt(setAt(df, "is_weekend", spread(n, 12), pl.col("is_weekend").not()), "month", [3], 7);
    assertFailed(run(bad), ["validity.derived:is_weekend", "validity.derived:month"]);
  });

  await t.step("duplicated keys (rows copied) fail key uniqueness, exact copies, the row count and the order", () => {
    const copies = df.withRowIndex("__i").filter(pl.col("__i").isIn(spread(n, 25))).drop("__i");
    const bad = pl.concat([df, copies]);
    assertFailed(run(bad), [
      "uniqueness.key",
      "uniqueness.rows",
      "completeness.rows",
      "time.monotonic:timestamp",
    ]);
  });

  await t.step("shuffled rows fail the stored time order only", () => {
    const shuffled = df.sample({ frac: 1, withReplacement: false, shuffle: true, seed: 5 });
    assertFailed(run(shuffled), ["time.monotonic:timestamp"]);
  });

  await t.step("duplicated timestamps (a day repeated in place of the next) fail key, gaps and order", () => {
    // Row i takes the timestamp and calendar columns of row i - 1 (same server), keeping its own values.
    const rows = spread(n, 20, 101).filter((i) => i % 365 !== 0);
    const calendar = ["timestamp", "year", "month", "quarter", "dayofweek", "is_weekend", "is_eoq", "is_holiday"];
    const bad = df.withRowIndex("__i").withColumns(
      ...calendar.map((c) => pl.when(pl.col("__i").isIn(rows)).then(pl.col(c).shift(1)).otherwise(pl.col(c)).alias(c)),
    ).drop("__i");
    assertFailed(run(bad), ["uniqueness.key", "completeness.gaps", "time.monotonic:timestamp"]);
  });

  await t.step("a series that stops early fails coverage of the declared range", () => {
    const cut = df.filter(pl.col("server_id").neq(pl.lit("srv-0003")).or(pl.col("month").lt(12)));
    assertFailed(run(cut), ["time.coverage:timestamp", "completeness.rows"]);
  });

  await t.step("a correlation matrix changed in the manifest after generation fails that pair", () => {
    const edited = editConfig(manifest, (c) => {
      c.archetypes.web.correlations.cpu_net = 0.3;
      c.archetypes.database.correlations.mem_disk = 0.2;
    });
    assertFailed(run(df, edited), ["correlation.pearson:web:cpu_net", "correlation.pearson:database:mem_disk"]);
  });

  await t.step("memory decoupled from the other metrics in the data fails every memory pair", () => {
    // Each server's memory values shuffled in time: same values, same ranges, correlation gone.
    const bad = df.withColumns(pl.col("mem_p95").shuffle(11).over("server_id").alias("mem_p95"));
    const v = run(bad);
    assertFailed(v, [/^correlation\.pearson:[a-z]+:(cpu_mem|mem_disk|mem_net)$/]);
    // Every memory pair whose target lies outside its allowance around 0 (the decoupled figure) fails.
    const decidable = v.results.filter((r) => /:(cpu_mem|mem_disk|mem_net)$/.test(r.id) && r.severity === "error")
      .filter((r) => {
        const [target, allowed] = r.threshold.split(" ± ").map(Number);
        return Math.abs(target) > allowed;
      });
    assert.ok(decidable.length >= 8, `only ${decidable.length} memory pairs can be decided`);
    assert.deepEqual(decidable.filter((r) => r.passed).map((r) => r.id), []);
  });

  await t.step("a weekend factor changed in the manifest fails the weekend ratio", () => {
    const edited = editConfig(manifest, (c) => c.archetypes.web.weekend_multiplier = 0.8);
    assertFailed(run(df, edited), ["seasonality.weekend_ratio:web"]);
  });

  await t.step("an end-of-quarter uplift and holiday cut changed in the manifest fail those factors", () => {
    const edited = editConfig(manifest, (c) => {
      c.eoq.uplift = 0.9;
      c.holidays.reduction_min = 0.05;
      c.holidays.reduction_max = 0.1;
    });
    assertFailed(run(df, edited), [/^seasonality\.eoq_uplift:/, /^seasonality\.holiday_dip:/]);
  });

  await t.step("a real-looking e-mail address in a text column fails the PII check", () => {
    assertFailed(run(setAt(df, "app_name", spread(n, 4), "jane.doe@gmail.com")), ["pii.email:app_name"]);
  });

  await t.step("e-mails at the reserved domains pass", () => {
    assertFailed(run(setAt(df, "app_name", spread(n, 4), "ops@example.com")), []);
  });

  await t.step("a wrong dtype fails the dtype check and skips the value checks of that column", () => {
    const bad = df.withColumns(pl.col("cpu_p95").cast(pl.String));
    const v = run(bad);
    assert.ok(v.results.some((r) => r.id === "schema.dtype:cpu_p95" && !r.passed));
    assert.ok(!v.results.some((r) => r.id === "validity.range:cpu_p95"), "range checked on a string column");
  });

  await t.step("a missing column fails the schema and is reported, never thrown", () => {
    const v = run(df.drop("mem_p95"));
    assert.ok(v.results.some((r) => r.id === "schema.columns" && !r.passed && /mem_p95/.test(r.message)));
    assert.ok(!v.results.some((r) => r.id.endsWith(".error")), "a family crashed");
  });

  await t.step("an undeclared column is a warning", () => {
    const v = run(df.withColumns(pl.lit(1).alias("extra")));
    assertFailed(v, ["schema.unexpected"]);
    assert.equal(v.summary.errors, 0);
    assert.ok(v.ok() && !v.ok(true));
  });

  await t.step("a naive timestamp fails the UTC check", () => {
    const bad = df.withColumns(pl.col("timestamp").cast(pl.Datetime("ms")));
    const v = run(bad);
    assert.ok(v.results.some((r) => r.id === "time.utc:timestamp" && !r.passed && r.measured === "naive"));
  });
});

Deno.test("validateDataset() on a realistic capacity dataset: no error fails, and corrupted targets trip", async (t) => {
  // The default (realistic) preset: per-server calendars and scales, measured per server (method "calendar",
  // standardised residuals); 120 servers for two years, daily.
  const { df, manifest } = await capacityDataset({ servers: 120, years: 2, seed: 7 });
  const run = (frame: pl.DataFrame, m = manifest) => validateDataset(frame, m, { validated: VALIDATED });
  const errors = (v: ReturnType<typeof run>) =>
    v.results.filter((r) => r.passed === false && r.severity === "error").map((r) => r.id);
  await t.step("clean: no failed error check", () => {
    assert.deepEqual(errors(run(df)), []);
  });
  await t.step("a correlation target changed in the manifest fails that pair only", () => {
    const edited = editConfig(manifest, (c) => {
      c.archetypes.web.correlations.cpu_mem = 0.05;
      c.archetypes.database.correlations.mem_disk = 0.2;
    });
    assert.deepEqual(errors(run(df, edited)).sort(), [
      "correlation.pearson:database:mem_disk",
      "correlation.pearson:web:cpu_mem",
    ]);
  });
  await t.step("memory decoupled in the data fails the memory pairs with a real target", () => {
    const bad = df.withColumns(pl.col("mem_p95").shuffle(11).over("server_id").alias("mem_p95"));
    const failed = errors(run(bad));
    assert.ok(failed.length >= 8, failed.join(", "));
    assert.ok(failed.every((id) => /^correlation\.pearson:[a-z]+:(cpu_mem|mem_disk|mem_net)$/.test(id)), failed.join());
  });
  await t.step("a weekend factor changed in the manifest fails the weekend ratio", () => {
    const edited = editConfig(manifest, (c) => {
      c.archetypes.application.weekend_multiplier = 0.7;
    });
    assert.deepEqual(errors(run(df, edited)), ["seasonality.weekend_ratio:application"]);
  });
});

Deno.test("each autocorrelation check trips when the seasonal metric is shuffled in time per server", async (t) => {
  // A shuffle keeps each server's values and moves the calendar into the noise, so a check may also become
  // undecidable (skipped); none may pass.
  const acf = (v: ReturnType<typeof validateDataset>) =>
    v.results.filter((r) => r.id.startsWith("seasonality.acf_") && r.threshold !== "-");
  const tripped = new Set<string>();
  const cases = [
    { what: "daily, 60 servers x 4 y (textbook)", flags: { ...SMALL, years: 4 } },
    { what: "hourly, 24 servers x 1 y (textbook)", flags: { ...SMALL, servers: 24, granularity: "hourly" } },
  ];
  for (const c of cases) {
    await t.step(c.what, async () => {
      const { df, manifest } = await capacityDataset(c.flags);
      const clean = acf(validateDataset(df, manifest, { validated: VALIDATED }));
      assert.deepEqual(clean.filter((r) => !r.passed).map((r) => r.id), [], "a clean dataset fails a check");
      const bad = acf(
        validateDataset(shuffleInTime(df, "net_in_p95", { entity: "server_id" }), manifest, { validated: VALIDATED }),
      );
      assert.deepEqual(bad.filter((r) => r.passed).map((r) => r.id), [], "a shuffled dataset passes a check");
      for (const r of bad) tripped.add(r.id.split(":")[0]);
    });
  }
  // The quarter cycle is never passed on shuffled data (asserted above) but is skipped rather than failed at these
  // sizes: its sample (a few quarter ends) cannot decide once the calendar is noise.
  assert.deepEqual([...tripped].sort(), ["seasonality.acf_24h", "seasonality.acf_7d"]);
});
