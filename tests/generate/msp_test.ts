import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import pl from "nodejs-polars";
import { writeTable } from "@lib/lake/mod.ts";
import {
  businessSeconds,
  businessSecondsExpr,
  type CheckResult,
  fromBusinessSeconds,
  generateMsp,
  MSP_COLUMNS,
  MSP_TABLES,
  MspConfig,
  type MspTables,
  slaPolicyFrame,
} from "@lib/generate/msp/mod.ts";
import { validateMspTables } from "@lib/validate/mod.ts";
import { validatePath } from "@lib/validate/load.ts";

const SMALL = { clients: 14, technicians: 6, start: "2024-01-01", end: "2024-03-31" };
const cfg = (over: Record<string, unknown> = {}) => MspConfig.parse({ ...SMALL, ...over });
const BASE = generateMsp(cfg());
const T = BASE.tables;

/** Ids of failed checks (warnings included unless `errorsOnly`). */
function failing(results: CheckResult[], errorsOnly = false): string[] {
  return results.filter((r) => !r.passed && (!errorsOnly || r.severity === "error")).map((r) => r.id);
}

function sha(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A copy of the tables with one table replaced. */
function withTable(name: keyof MspTables, df: pl.DataFrame): MspTables {
  return { ...T, [name]: df };
}

/** Sets `column` to `value` on the rows where `key` equals `id`. */
function setCell(df: pl.DataFrame, key: string, id: string, column: string, value: pl.Expr): pl.DataFrame {
  const dtype = (df.schema as Record<string, pl.DataType>)[column];
  return df.withColumns(
    pl.when(pl.col(key).eq(pl.lit(id))).then(value.cast(dtype)).otherwise(pl.col(column)).alias(column),
  );
}

function firstId(df: pl.DataFrame, filter: pl.Expr, key = "ticket_id"): string {
  const hit = df.filter(filter);
  assert.ok(hit.height > 0, `no row matches ${filter}`);
  return String(hit.getColumn(key).get(0));
}

function datetime(ms: number): pl.Expr {
  return pl.lit(ms).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
}

Deno.test("MspConfig defaults are documented values and unknown keys are rejected", () => {
  const d = MspConfig.parse({});
  assert.equal(d.name, "msp");
  assert.equal(d.start, "2024-01-01");
  assert.equal(d.end, "2024-12-31");
  assert.equal(d.seed, 42);
  assert.equal(d.classification, "internal");
  assert.ok(!MspConfig.safeParse({ client: 3 }).success);
  assert.ok(!MspConfig.safeParse({ start: "2024-02-01", end: "2024-01-01" }).success);
  assert.ok(!MspConfig.safeParse({ technicians: 0 }).success);
});

Deno.test("generateMsp() tables pass every consistency check across seeds", async (t) => {
  for (const seed of [42, 1337, 1211]) {
    await t.step(`seed ${seed}`, () => {
      const ds = seed === 42 ? BASE : generateMsp(cfg({ seed }));
      const results = validateMspTables(ds.tables);
      assert.deepEqual(failing(results, true), []);
      assert.ok(results.length >= 50, `only ${results.length} checks ran`);
      assert.ok(ds.tables.tickets.height > 500, `${ds.tables.tickets.height} tickets`);
    });
  }
});

Deno.test("generateMsp() tables have exactly the MSP schema", () => {
  for (const name of MSP_TABLES) {
    const schema = Object.fromEntries(
      Object.entries(T[name].schema as Record<string, pl.DataType>).map(([k, v]) => [k, String(v)]),
    );
    assert.deepEqual(Object.keys(schema), Object.keys(MSP_COLUMNS[name]), name);
  }
  assert.equal(T.sla_metrics.height, 3 * T.tickets.height);
  assert.equal(T.service_delivery_daily.height, 91);
  assert.equal(T.technician_productivity.height, 6 * 3);
});

Deno.test("generateMsp() gives byte-identical files for one seed and different ones for another", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const again = generateMsp(cfg());
    const other = generateMsp(cfg({ seed: 7 }));
    for (const name of MSP_TABLES) {
      await writeTable(T[name], dir, { name: `a_${name}` });
      await writeTable(again.tables[name], dir, { name: `b_${name}` });
      const a = sha(await Deno.readFile(join(dir, `a_${name}.parquet`)));
      const b = sha(await Deno.readFile(join(dir, `b_${name}.parquet`)));
      assert.equal(a, b, name);
    }
    assert.ok(!other.tables.tickets.frameEqual(T.tickets));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("generateMsp() draws each client from its own stream, whatever the client count", () => {
  const more = generateMsp(cfg({ clients: 20 }));
  const cols = ["client_id", "name", "industry", "employees", "contract_type", "service_level", "contract_start"];
  const a = T.clients.select(...cols);
  const b = more.tables.clients.select(...cols).head(a.height);
  assert.ok(a.frameEqual(b));
});

Deno.test("generateMsp() arrivals follow business hours and weekdays", () => {
  const c = generateMsp(cfg({ bursts_per_month: 0, clients: 30 })).tables.tickets.select(
    pl.col("created_at").dt.hour().alias("h"),
    pl.col("created_at").dt.weekday().alias("wd"),
  );
  const n = c.height;
  const business = c.filter(pl.col("h").gtEq(8).and(pl.col("h").lt(18)).and(pl.col("wd").lt(6))).height;
  const weekend = c.filter(pl.col("wd").gtEq(6)).height;
  const monday = c.filter(pl.col("wd").eq(1)).height, friday = c.filter(pl.col("wd").eq(5)).height;
  assert.ok(business / n > 0.75, `business-hours share ${business / n}`);
  assert.ok(weekend / n < 0.05, `weekend share ${weekend / n}`);
  assert.ok(monday > friday * 1.15, `monday ${monday} vs friday ${friday}`);
});

Deno.test("generateMsp() uses a given incident timeline for bursts", () => {
  const start = Date.UTC(2024, 1, 14, 10), end = Date.UTC(2024, 1, 14, 14);
  const incidents = pl.DataFrame({
    start: [new Date(start).toISOString()],
    end: [new Date(end).toISOString()],
    severity: ["sev1"],
  });
  const withBurst = generateMsp(cfg({ clients: 30, technicians: 12 }), { incidents });
  const without = generateMsp(cfg({ clients: 30, technicians: 12, bursts_per_month: 0 }));
  assert.equal(withBurst.bursts.length, 1);
  const inWindow = (df: pl.DataFrame) =>
    df.filter(pl.col("created_at").gtEq(datetime(start)).and(pl.col("created_at").lt(datetime(end)))).height;
  const burst = inWindow(withBurst.tables.tickets), base = inWindow(without.tables.tickets);
  assert.ok(burst > base * 3 + 10, `burst window ${burst} tickets vs ${base} without`);
  assert.deepEqual(failing(validateMspTables(withBurst.tables)), []);
  const bad = pl.DataFrame({ start: [start], end: [end], severity: ["urgent"] });
  assert.throws(() => generateMsp(cfg(), { incidents: bad }), { name: "RangeError", message: /severity/ });
  assert.throws(() => generateMsp(cfg(), { incidents: pl.DataFrame({ start: [start] }) }), {
    name: "RangeError",
    message: /"end"/,
  });
});

Deno.test("generateMsp() work depends on priority and technician skill", () => {
  const ds = generateMsp(cfg({ clients: 30, technicians: 10 }));
  const t = ds.tables.tickets.filter(pl.col("resolved_at").isNotNull());
  const medianHours = (p: string) =>
    Number(
      t.filter(pl.col("priority").eq(pl.lit(p))).select(
        pl.col("resolved_at").sub(pl.col("created_at")).cast(pl.Int64).div(3_600_000).median().alias("h"),
      ).getColumn("h").get(0),
    );
  assert.ok(medianHours("critical") < medianHours("medium"), "critical resolves faster than medium");
  // skill: the ratio of actual to estimated hours falls with the technician's level in the category
  const techs = ds.tables.technicians.select("technician_id", "skills");
  const rows = t.join(techs, { on: "technician_id" }).select("category", "skills", "actual_hours", "estimated_hours")
    .toRecords() as { category: string; skills: string; actual_hours: number; estimated_hours: number }[];
  const ratio: Record<string, number[]> = { low: [], high: [] };
  for (const r of rows) {
    const level = Number(/(?:^|;)CAT:(\d)/.exec(r.skills.replaceAll(r.category, "CAT"))?.[1] ?? 1);
    if (level >= 4) ratio.high.push(r.actual_hours / r.estimated_hours);
    if (level <= 2) ratio.low.push(r.actual_hours / r.estimated_hours);
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  assert.ok(ratio.high.length > 50 && ratio.low.length > 50, `${ratio.high.length} / ${ratio.low.length}`);
  assert.ok(med(ratio.high) < med(ratio.low) * 0.85, `skilled ${med(ratio.high)} vs unskilled ${med(ratio.low)}`);
});

Deno.test("generateMsp() SLA targets come from priority and service level; an undersized desk breaches more", () => {
  const policy = slaPolicyFrame();
  const target = (p: string, l: string) =>
    Number(
      policy.filter(
        pl.col("priority").eq(pl.lit(p)).and(pl.col("service_level").eq(pl.lit(l))).and(
          pl.col("sla_type").eq(pl.lit("resolution")),
        ),
      ).getColumn("target_minutes").get(0),
    );
  assert.ok(target("high", "platinum") < target("high", "silver"));
  assert.ok(target("high", "silver") < target("low", "silver"));
  const rate = (ds: ReturnType<typeof generateMsp>) => ds.stats.sla_compliance_rate;
  // max_utilization: null keeps the drawn demand, so an undersized desk overloads (stress data).
  const lean = generateMsp(cfg({ clients: 30, technicians: 3, max_utilization: null }));
  const staffed = generateMsp(cfg({ clients: 30, technicians: 14, max_utilization: null }));
  assert.ok(rate(lean) < rate(staffed) - 0.1, `lean ${rate(lean)} vs staffed ${rate(staffed)}`);
  const lean_results = validateMspTables(lean.tables);
  assert.deepEqual(failing(lean_results), ["msp.desk.utilization"]);
});

Deno.test("by default a desk is staffed to its demand: utilization and SLA compliance stay realistic on every seed", () => {
  // 20 clients and 8 technicians overloaded 4 of 15 seeds before (utilization 0.95-1.00, SLA compliance 0.17-0.31).
  for (const seed of [5, 7, 9, 13]) {
    const ds = generateMsp(cfg({ clients: 20, technicians: 8, seed }));
    const results = validateMspTables(ds.tables);
    assert.deepEqual(failing(results), [], `seed ${seed}`);
    const util = results.find((r) => r.id === "msp.desk.utilization")!.measured as number;
    const sla = results.find((r) => r.id === "msp.tickets.sla_compliance")!.measured as number;
    assert.ok(util <= 0.8, `seed ${seed}: utilization ${util}`);
    assert.ok(sla >= 0.75, `seed ${seed}: SLA compliance ${sla}`);
    const stress = generateMsp(cfg({ clients: 20, technicians: 8, seed, max_utilization: null }));
    assert.ok(stress.tables.tickets.height >= ds.tables.tickets.height, "the cap only ever thins demand");
  }
});

Deno.test("businessSeconds() agrees with its Polars expression and fromBusinessSeconds() inverts it", () => {
  const times = Float64Array.from(
    { length: 500 },
    (_, i) => Date.UTC(2024, 0, 1) + ((i * 7919 * 60_000 + i * 13_000) % (400 * 86_400_000)),
  );
  const df = pl.DataFrame({ t: pl.Series("t", times) }).select(
    pl.col("t").cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias("t"),
  ).select(businessSecondsExpr("t").alias("b"));
  const polars = df.getColumn("b").toArray() as number[];
  times.forEach((ms, i) => assert.equal(polars[i], businessSeconds(ms), new Date(ms).toISOString()));
  const fri = Date.UTC(2024, 0, 5, 17), mon = Date.UTC(2024, 0, 8, 9);
  assert.equal(businessSeconds(mon) - businessSeconds(fri), 7200);
  assert.equal(fromBusinessSeconds(businessSeconds(Date.UTC(2024, 0, 6, 12))), Date.UTC(2024, 0, 8, 8));
  assert.equal(fromBusinessSeconds(businessSeconds(Date.UTC(2024, 0, 9, 11, 30))), Date.UTC(2024, 0, 9, 11, 30));
});

Deno.test("the engine's MSP validation (validateMspTables) trips on each kind of corruption", async (t) => {
  const tk = T.tickets;
  const resolved = firstId(tk, pl.col("resolved_at").isNotNull().and(pl.col("status").eq(pl.lit("closed"))));
  const surveyed = firstId(tk, pl.col("satisfaction").isNotNull());
  const breached = firstId(tk, pl.col("sla_status").eq(pl.lit("breached")));
  const met = firstId(tk, pl.col("sla_status").eq(pl.lit("met")));
  const client = firstId(
    T.clients,
    pl.col("client_id").eq(pl.lit(String(tk.getColumn("client_id").get(0)))),
    "client_id",
  );
  const cases: [string, () => MspTables, string][] = [
    ["a dropped column", () => withTable("tickets", tk.drop("due_at")), "schema.columns:tickets"],
    [
      "a duplicate client",
      () => withTable("clients", pl.concat([T.clients, T.clients.head(1)])),
      "uniqueness.key:clients",
    ],
    [
      "an unknown client",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "client_id", pl.lit("client-9999"))),
      "integrity.fk:tickets.client_id",
    ],
    [
      "an unknown technician",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "technician_id", pl.lit("tech-999"))),
      "integrity.fk:tickets.technician_id",
    ],
    [
      "an orphan SLA row",
      () => withTable("sla_metrics", setCell(T.sla_metrics, "ticket_id", met, "ticket_id", pl.lit("TKT-999999"))),
      "integrity.fk:sla_metrics.ticket_id",
    ],
    [
      "a productivity row of an unknown technician",
      () =>
        withTable(
          "technician_productivity",
          setCell(T.technician_productivity, "technician_id", "tech-001", "technician_id", pl.lit("tech-777")),
        ),
      "integrity.fk:technician_productivity.technician_id",
    ],
    [
      "a missing SLA row",
      () => withTable("sla_metrics", T.sla_metrics.slice(1, T.sla_metrics.height - 1)),
      "msp.sla_metrics.complete",
    ],
    [
      "an assigned ticket without technician",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "technician_id", pl.lit(null))),
      "msp.tickets.technician_assigned",
    ],
    [
      "an unknown priority",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "priority", pl.lit("urgent"))),
      "validity.enum:tickets.priority",
    ],
    [
      "resolution before creation",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "resolved_at", datetime(Date.UTC(2023, 0, 1)))),
      "msp.tickets.timestamps_ordered",
    ],
    [
      "a ticket created before the period",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "created_at", datetime(Date.UTC(2023, 5, 1)))),
      "msp.tickets.in_period",
    ],
    [
      "a contract starting after the client's tickets",
      () =>
        withTable(
          "clients",
          setCell(T.clients, "client_id", client, "contract_start", pl.lit(Date.UTC(2024, 2, 30) / 86_400_000)),
        ),
      "msp.tickets.in_contract",
    ],
    [
      "a closed ticket marked in progress",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "status", pl.lit("in_progress"))),
      "msp.tickets.status",
    ],
    [
      "a resolved ticket without actual hours",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "actual_hours", pl.lit(null))),
      "msp.tickets.hours",
    ],
    [
      "a wrong billing rate",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "billing_rate", pl.col("billing_rate").mul(2))),
      "msp.tickets.billing_rate",
    ],
    [
      "a wrong total cost",
      () => withTable("tickets", setCell(tk, "ticket_id", resolved, "total_cost", pl.col("total_cost").add(10))),
      "msp.tickets.total_cost",
    ],
    [
      "a satisfaction of 7",
      () => withTable("tickets", setCell(tk, "ticket_id", surveyed, "satisfaction", pl.lit(7))),
      "msp.tickets.satisfaction",
    ],
    [
      "a stale last_activity",
      () =>
        withTable(
          "clients",
          setCell(T.clients, "client_id", client, "last_activity", datetime(Date.UTC(2024, 0, 2))),
        ),
      "msp.clients.last_activity",
    ],
    [
      "a wrong SLA target",
      () => withTable("sla_metrics", setCell(T.sla_metrics, "ticket_id", met, "target_minutes", pl.lit(1e6))),
      "msp.sla_metrics.targets",
    ],
    [
      "wrong measured minutes",
      () =>
        withTable(
          "sla_metrics",
          setCell(T.sla_metrics, "ticket_id", met, "actual_minutes", pl.col("actual_minutes").add(1)),
        ),
      "msp.sla_metrics.actual_minutes",
    ],
    [
      "an SLA status drawn at random",
      () => withTable("sla_metrics", setCell(T.sla_metrics, "ticket_id", met, "status", pl.lit("breached"))),
      "msp.sla_metrics.status",
    ],
    [
      "a wrong due date",
      () => withTable("tickets", setCell(tk, "ticket_id", met, "due_at", datetime(Date.UTC(2024, 11, 1)))),
      "msp.tickets.due_at",
    ],
    [
      "a breached ticket marked met",
      () => withTable("tickets", setCell(tk, "ticket_id", breached, "sla_status", pl.lit("met"))),
      "msp.tickets.sla_status",
    ],
    [
      "a breach reason on a met ticket",
      () => withTable("tickets", setCell(tk, "ticket_id", met, "sla_breach_reason", pl.lit("dispatch_delay"))),
      "msp.tickets.sla_breach_reason",
    ],
    [
      "a daily revenue that does not add up",
      () =>
        withTable(
          "service_delivery_daily",
          T.service_delivery_daily.withColumns(pl.col("revenue").add(pl.lit(1))),
        ),
      "msp.service_delivery_daily.recompute",
    ],
    [
      "a productivity count that does not add up",
      () =>
        withTable(
          "technician_productivity",
          T.technician_productivity.withColumns(pl.col("tickets_resolved").add(pl.lit(1)).cast(pl.Int32)),
        ),
      "msp.technician_productivity.recompute",
    ],
  ];
  for (const [what, corrupt, id] of cases) {
    await t.step(`${what} -> ${id}`, () => {
      const results = validateMspTables(corrupt());
      const hit = results.find((r) => r.id === id);
      assert.ok(hit, `no result ${id}`);
      assert.equal(hit.passed, false, `${id} passed: ${hit.message}`);
      assert.equal(hit.severity, "error");
      assert.match(hit.message, /\S/);
    });
  }
});

Deno.test("generate msp task writes one dataset with tickets as the primary table", async () => {
  const { main } = await import("../../tasks/generate_msp.ts");
  const dir = await Deno.makeTempDir();
  const out = join(dir, "msp_small");
  const log = console.log, error = console.error;
  const lines: string[] = [];
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    const args = ["--clients", "5", "--technicians", "3", "--end", "2024-01-31", "--seed", "9", "--output", out];
    assert.equal(await main(args), 0, lines.join("\n"));
    const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
    assert.equal(manifest.primary_table, "tickets");
    assert.equal(manifest.kind, "msp");
    assert.deepEqual(Object.keys(manifest.tables).sort(), [...MSP_TABLES].sort());
    assert.equal(manifest.rows, manifest.tables.tickets.rows);
    assert.equal(manifest.config.end, "2024-01-31");
    assert.equal(manifest.stats.checks_failed, 0);
    // a CSV copy read back still passes every check (Datetime units and integer widths change on the way)
    const csv = join(dir, "msp_csv");
    assert.equal(await main([...args.slice(0, -1), csv, "--format", "csv"]), 0, lines.join("\n"));
    // read back as validate reads a dataset: the CSV columns coerced to the manifest's dtypes
    const { validation } = await validatePath(csv);
    assert.deepEqual(failing(validation.results, true), []);
    assert.equal(await main(["--clients=-3", "--output", join(dir, "bad")]), 2);
    assert.ok(lines.some((l) => /clients/.test(l) && /-3/.test(l)), lines.join("\n"));
    await assert.rejects(Deno.stat(join(dir, "bad")));
    assert.equal(await main(["--help"]), 0);
  } finally {
    console.log = log;
    console.error = error;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a foreign key that fails points at the referencing rows, keyed by their table's key", () => {
  const tk = T.tickets;
  const id = String(tk.getColumn("ticket_id").get(3));
  const bad = withTable("tickets", setCell(tk, "ticket_id", id, "client_id", pl.lit("client-9999")));
  const fk = validateMspTables(bad).find((r) => r.id === "integrity.fk:tickets.client_id")!;
  assert.equal(fk.passed, false);
  assert.deepEqual(fk.failing_rows, {
    key: ["ticket_id"],
    columns: ["ticket_id", "client_id"],
    rows: [[id, "client-9999"]],
    total: 1,
  });
});
