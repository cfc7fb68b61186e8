import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import pl from "nodejs-polars";
import { ConfigError, resolveConfig } from "@lib/config/mod.ts";
import {
  archetypeCounts,
  ARCHETYPES,
  CapacityConfig,
  CapacityRow,
  generateCapacity,
  writeCapacityDataset,
} from "@lib/generate/capacity/mod.ts";
import { polarsSchema } from "@lib/schema/mod.ts";
import { dtypeName, schemaOf } from "@lib/lake/mod.ts";
import { usFederalHolidays } from "@lib/calendar/mod.ts";
import { residualCorrelations } from "@lib/validate/correlation.ts";

const config = (flags: Record<string, unknown> = {}) => resolveConfig(CapacityConfig, { flags, what: "capacity" });
const DEFAULT = config();
const FULL = generateCapacity(DEFAULT);

async function fileHash(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

function mean(df: pl.DataFrame, col: string): number {
  return Number(df.getColumn(col).mean());
}

Deno.test("generateCapacity() gives the default 175,320 rows matching the CapacityRow schema", () => {
  assert.equal(FULL.height, 175_320);
  const expected = Object.entries(polarsSchema(CapacityRow)).map(([k, v]) => [k, dtypeName(v)]);
  assert.deepEqual(Object.entries(schemaOf(FULL)), expected);
  assert.equal(FULL.nullCount().row(0).reduce((a: number, b: number) => a + b, 0), 0);
  const ranges = FULL.select(
    pl.col("cpu_p95").min().alias("cpu_min"),
    pl.col("cpu_p95").max().alias("cpu_max"),
    pl.col("mem_p95").max().alias("mem_max"),
    pl.col("disk_p95").max().alias("disk_max"),
    pl.col("net_in_p95").max().alias("net_in_max"),
    pl.col("net_out_p95").max().alias("net_out_max"),
    pl.minHorizontal([pl.col("mem_p95").min(), pl.col("disk_p95").min(), pl.col("net_in_p95").min()]).alias("lo"),
  ).toRecords()[0];
  assert.ok(Number(ranges.cpu_min) >= 0 && Number(ranges.cpu_max) <= 100);
  assert.ok(Number(ranges.mem_max) <= 100 && Number(ranges.disk_max) <= 100 && Number(ranges.lo) >= 0);
  assert.ok(Number(ranges.net_in_max) <= 1000 && Number(ranges.net_out_max) <= 600);
  const keys = FULL.select("server_id", "timestamp").unique().height;
  assert.equal(keys, FULL.height, "server_id + timestamp unique");
});

Deno.test("generateCapacity() is byte-identical for one seed and differs for another", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const small = config({ servers: 12, years: 1 });
    await writeCapacityDataset(small, `${dir}/a`);
    await writeCapacityDataset({ ...small, chunk_servers: 5 }, `${dir}/b`);
    await writeCapacityDataset({ ...small, chunk_servers: 1 }, `${dir}/c`);
    await writeCapacityDataset({ ...small, seed: 43 }, `${dir}/d`);
    const [a, b, c, d] = await Promise.all(["a", "b", "c", "d"].map((x) => fileHash(`${dir}/${x}/capacity.parquet`)));
    assert.equal(a, b, "chunk size 5");
    assert.equal(a, c, "chunk size 1");
    assert.notEqual(a, d, "another seed");
    for (const format of [{ format: "csv" as const }, { format: "csv" as const, compress: true }]) {
      await writeCapacityDataset({ ...small, ...format }, `${dir}/e`);
      await writeCapacityDataset({ ...small, ...format, chunk_servers: 3 }, `${dir}/f`);
      const file = format.compress ? "capacity.csv.gz" : "capacity.csv";
      assert.equal(await fileHash(`${dir}/e/${file}`), await fileHash(`${dir}/f/${file}`), file);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("generateCapacity() gives any server range the rows the whole fleet gives it", () => {
  const part = generateCapacity(DEFAULT, { from: 50, to: 53 });
  const whole = FULL.filter(pl.col("server_id").isIn(["srv-0051", "srv-0052", "srv-0053"]));
  assert.ok(part.frameEqual(whole));
  assert.throws(() => generateCapacity(DEFAULT, { from: 5, to: 500 }), { name: "RangeError", message: /\[0, 120\]/ });
});

Deno.test("generateCapacity() assigns exact archetype shares by seeded shuffle, not in blocks", async (t) => {
  assert.deepEqual(archetypeCounts(120, [0.35, 0.4, 0.15, 0.1]), [42, 48, 18, 12]);
  for (const seed of [42, 1337, 1211]) {
    await t.step(`seed ${seed}`, () => {
      const df = generateCapacity(config({ seed, years: 1, end_date: undefined }), { from: 0, to: 120 })
        .filter(pl.col("timestamp").eq(pl.col("timestamp").min()));
      const counts = Object.fromEntries(
        df.groupBy("server_type").len().toRecords().map((r) => [r.server_type, Number(r.len)]),
      );
      assert.deepEqual(counts, { web: 42, application: 48, database: 18, batch: 12 });
      const types = df.getColumn("server_type").toArray() as string[];
      const runs = types.filter((x, i) => i === 0 || x !== types[i - 1]).length;
      assert.ok(runs > 40, `archetypes interleave (${runs} runs)`);
    });
  }
});

Deno.test("generateCapacity() noise correlations per archetype are within ±0.15 of the targets", async (t) => {
  const TEXTBOOK = config({ preset: "textbook" });
  for (
    const [name, df, cfg] of [
      ["daily default", FULL, DEFAULT],
      [
        "hourly, seed 1337",
        generateCapacity(config({ granularity: "hourly", servers: 40, years: 1, seed: 1337 }))
          .withColumns(pl.col("timestamp").dt.hour().alias("hour")),
        DEFAULT,
      ],
      ["daily textbook", generateCapacity(TEXTBOOK), TEXTBOOK],
    ] as const
  ) {
    await t.step(name, () => {
      // Measured as the validator does: realistic servers each have their own calendar, so each server's own
      // calendar medians are removed and its residuals scaled by its own noise (see lib/validate/kinds/capacity.ts).
      const realistic = cfg.realism.enabled;
      const measured = residualCorrelations(df, ["cpu_p95", "mem_p95", "disk_p95", "net_in_p95"], {
        group: "server_type",
        calendar: [
          "year",
          "month",
          "is_weekend",
          "is_eoq",
          "is_holiday",
          ...(name.startsWith("hourly") ? ["hour"] : []),
        ],
        bounds: { cpu_p95: [0, 100], mem_p95: [0, 100], disk_p95: [0, 100], net_in_p95: [0, 1000] },
        ...(realistic ? { method: "calendar" as const, standardize: true } : {}),
      });
      assert.equal(measured.length, 4 * 6);
      for (const m of measured) {
        const key = `${m.x.replace("_p95", "").replace("_in", "")}_${m.y.replace("_p95", "").replace("_in", "")}`;
        const target = (cfg.archetypes as Record<string, { correlations: Record<string, number> }>)[m.group]
          .correlations[key];
        assert.ok(Math.abs(m.r - target) <= 0.15, `${m.group} ${key}: measured ${m.r.toFixed(3)}, target ${target}`);
      }
    });
  }
});

Deno.test("generateCapacity() weekend ratio per archetype matches the configured multiplier", () => {
  const plain = FULL.filter(pl.col("is_eoq").not().and(pl.col("is_holiday").not()));
  for (const a of ARCHETYPES) {
    const rows = plain.filter(pl.col("server_type").eq(pl.lit(a)));
    const ratio = mean(rows.filter(pl.col("is_weekend")), "net_in_p95") /
      mean(rows.filter(pl.col("is_weekend").not()), "net_in_p95");
    const target = DEFAULT.archetypes[a].weekend_multiplier;
    assert.ok(Math.abs(ratio - target) <= 0.08, `${a}: weekend ratio ${ratio.toFixed(3)}, configured ${target}`);
  }
});

Deno.test("generateCapacity() end-of-quarter uplift and holiday dips match the config", () => {
  // On the group's median series, as the validator measures: realistic levels span orders of magnitude, so a mean
  // over servers follows the few largest.
  const weekdays = FULL.filter(pl.col("is_weekend").not().and(pl.col("server_type").eq(pl.lit("database"))))
    .groupBy(["timestamp", "is_eoq", "is_holiday"]).agg(pl.col("net_in_p95").median());
  const base = mean(weekdays.filter(pl.col("is_eoq").not().and(pl.col("is_holiday").not())), "net_in_p95");
  const eoq = mean(weekdays.filter(pl.col("is_eoq").and(pl.col("is_holiday").not())), "net_in_p95");
  const { days, uplift } = DEFAULT.eoq;
  const expected = 1 + uplift * (days + 1) / (2 * days); // mean of the linear ramp
  assert.ok(Math.abs(eoq / base - expected) < 0.05, `eoq uplift ${(eoq / base).toFixed(3)}, expected ${expected}`);
  const holiday = mean(weekdays.filter(pl.col("is_holiday").and(pl.col("is_eoq").not())), "net_in_p95");
  const dip = 1 - holiday / base;
  const { reduction_min, reduction_max } = DEFAULT.holidays;
  assert.ok(dip > reduction_min - 0.05 && dip < reduction_max + 0.05, `holiday dip ${dip.toFixed(3)}`);
});

Deno.test("generateCapacity() marks holidays on the right dates, moveable ones included", () => {
  const flagged = FULL.filter(pl.col("is_holiday")).select(pl.col("timestamp").dt.strftime("%Y-%m-%d").alias("d"))
    .unique().sort("d").getColumn("d").toArray();
  const expected = [2022, 2023, 2024, 2025].flatMap((y) => usFederalHolidays(y).map((h) => h.date))
    .filter((d) => d >= "2022-01-01" && d <= "2025-12-31").sort();
  assert.deepEqual(flagged, expected);
  for (const d of ["2024-11-28", "2023-01-16", "2022-12-26", "2025-05-26", "2021-12-31"]) {
    assert.equal(flagged.includes(d), d !== "2021-12-31", d);
  }
  const eoqDays = FULL.filter(pl.col("is_eoq").and(pl.col("server_id").eq(pl.lit("srv-0001"))))
    .select(pl.col("timestamp").dt.strftime("%m-%d").alias("d")).getColumn("d").toArray().slice(0, 5);
  assert.deepEqual(eoqDays, ["03-27", "03-28", "03-29", "03-30", "03-31"]);
});

Deno.test("generateCapacity() shows a growth trend over the years", () => {
  const byYear = FULL.groupBy("year").agg(pl.col("disk_p95").mean().alias("disk")).sort("year").getColumn("disk")
    .toArray() as number[];
  for (let i = 1; i < byYear.length; i++) assert.ok(byYear[i] > byYear[i - 1], `year ${i}: ${byYear}`);
});

Deno.test("generateCapacity() hourly mode follows the business-hours profile", async (t) => {
  const noonNight = (df: pl.DataFrame, a: string) => {
    const rows = df.filter(pl.col("server_type").eq(pl.lit(a)));
    return mean(rows.filter(pl.col("hour").eq(13)), "net_in_p95") /
      mean(rows.filter(pl.col("hour").eq(3)), "net_in_p95");
  };
  const frame = (flags: Record<string, unknown>) =>
    generateCapacity(config({ granularity: "hourly", servers: 40, years: 1, ...flags }))
      .filter(pl.col("is_weekend").not().and(pl.col("server_type").isIn(["web", "batch"])))
      .withColumns(pl.col("timestamp").dt.hour().alias("hour"));
  await t.step("textbook: every server", () => {
    const df = frame({ preset: "textbook" });
    assert.equal(df.getColumn("hour").max(), 23);
    for (const [a, direction] of [["web", 1], ["batch", -1]] as const) {
      const r = noonNight(df, a);
      assert.ok(direction * (r - 1) > 0.15, `${a}: noon/night ${r.toFixed(2)}`);
    }
  });
  await t.step("realistic: the fleet leans the configured way, a share of servers strongly", () => {
    const df = frame({ servers: 120 });
    for (const [a, direction] of [["web", 1], ["batch", -1]] as const) {
      const r = noonNight(df, a);
      assert.ok(direction * (r - 1) > 0.01, `${a}: noon/night ${r.toFixed(3)}`);
    }
    // Per web server: most barely notice business hours, some follow them strongly.
    const per = df.filter(pl.col("server_type").eq(pl.lit("web"))).groupBy("server_id").agg(
      pl.col("net_in_p95").filter(pl.col("hour").eq(13)).mean().div(
        pl.col("net_in_p95").filter(pl.col("hour").eq(3)).mean(),
      ).alias("r"),
    ).getColumn("r").toArray() as number[];
    per.sort((x, y) => x - y);
    assert.ok(per[Math.floor(per.length / 2)] < 1.15, `median web noon/night ${per[Math.floor(per.length / 2)]}`);
    assert.ok(per.filter((x) => x > 1.3).length >= 0.1 * per.length, `strongly diurnal: ${per.slice(-8)}`);
  });
});

Deno.test("CapacityConfig rejects every kind of bad config with the key, the value and the rule", async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["negative servers", { servers: -3 }, /servers .*got -3/],
    ["fractional servers", { servers: 1.5 }, /servers .*expected int.*got 1.5/],
    ["unknown key", { serverz: 3 }, /serverz is not a known key/],
    ["wrong type", { granularity: "weekly" }, /granularity .*"daily".*got "weekly"/],
    ["bad date", { start_date: "2022-02-30" }, /start_date .*real calendar date/],
    ["end before start", { start_date: "2023-01-01", end_date: "2022-01-01" }, /end_date .*not be before/],
    ["years with end_date", { years: 2, end_date: "2024-01-01" }, /years .*together with end_date/],
    [
      "shares not summing to 1",
      { archetypes: { web: { share: 0.5 } } },
      /archetypes .*shares must sum to 1/,
    ],
    [
      "not positive definite",
      { archetypes: { web: { correlations: { cpu_mem: 0.99, cpu_net: 0.99, mem_net: -0.9 } } } },
      /archetypes\.web\.correlations .*positive definite/,
    ],
    ["correlation out of range", { archetypes: { batch: { correlations: { cpu_mem: 1.2 } } } }, /cpu_mem .*got 1.2/],
    ["negative std", { archetypes: { web: { cpu: { std: -1 } } } }, /archetypes\.web\.cpu\.std .*got -1/],
    ["holiday bounds", { holidays: { reduction_min: 0.6, reduction_max: 0.4 } }, /reduction_min .*<= reduction_max/],
  ];
  for (const [name, file, pattern] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => resolveConfig(CapacityConfig, { file, what: "capacity" }),
        // One line, or one line per problem under a count when there are several (issue 20: all are listed).
        (e: unknown) =>
          e instanceof ConfigError && pattern.test(e.message) &&
          (!e.message.includes("\n") || /^Invalid capacity config, \d+ problems:\n/.test(e.message)),
      );
    });
  }
  await t.step("environment override with a bad value", () => {
    assert.throws(
      () =>
        resolveConfig(CapacityConfig, {
          env: { OPSLAB_CAPACITY_SERVERS: "lots" },
          envPrefix: "OPSLAB_CAPACITY_",
          what: "capacity",
        }),
      /servers .*got "lots"/,
    );
  });
  await t.step("years gives the matching end date", () => {
    // 2024-03-01 .. 2026-02-28
    assert.equal(generateCapacity(config({ servers: 1, years: 2, start_date: "2024-03-01" })).height, 730);
  });
});

Deno.test("generateCapacity() flags a New Year's Day observed on the last day of the range", () => {
  // 2028-01-01 is a Saturday, observed on Friday 2027-12-31.
  const df = generateCapacity(config({ servers: 1, start_date: "2027-12-01", end_date: "2027-12-31" }));
  const flagged = df.filter(pl.col("is_holiday")).select(pl.col("timestamp").dt.strftime("%Y-%m-%d").alias("d"))
    .getColumn("d").toArray();
  assert.deepEqual(flagged, ["2027-12-24", "2027-12-31"]);
});
