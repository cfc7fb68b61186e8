import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * The incidents page's own views, checked against direct Polars queries on the tables: the volume of every
 * modality around each incident, and the most severe incident followed across modalities.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { inMemory, readManifest } from "@lib/lake/mod.ts";
import { IncidentsConfig, writeIncidentsDataset } from "@lib/generate/incidents/mod.ts";
import { summarizeDataset, type ViewChart } from "@lib/report/mod.ts";
import { inputOf } from "./_fixtures.ts";
import { SMALL_INCIDENTS } from "./_kinds.ts";

const root = await Deno.makeTempDir({ prefix: "opslab-incident-views-" });
addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
await writeIncidentsDataset(
  IncidentsConfig.parse(SMALL_INCIDENTS),
  root,
  { created: new Date("2026-01-01T00:00:00Z") },
);
const input = inputOf(root, await readManifest(root));
const data = summarizeDataset(input);
const charts = data.views!.find((v) => v.id === "incidents")!.charts;
const ms = (c: string) => pl.col(c).cast(pl.Datetime("ms")).dt.timestamp().cast(pl.Float64);
const incidents = inMemory(input.tables.incidents).sort(["severity_level", "start", "incident_id"]);
const ids = incidents.getColumn("incident_id").toArray() as string[];

Deno.test("the volume around each incident counts every modality's rows in the incident's range", () => {
  const around = charts.find((c) => c.type === "around") as Extract<ViewChart, { type: "around" }>;
  assert.ok(around, "an around chart");
  assert.deepEqual(around.incidents.map((i) => i.id), ids.slice(0, 6), "most severe first, then earliest");
  for (const [k, inc] of around.incidents.entries()) {
    assert.ok(inc.lo < inc.start && inc.hi > inc.end, "a margin on both sides");
    for (const table of ["db_log_labels", "cloudfront_labels", "email_index"]) {
      const time = table === "email_index" ? "date" : "timestamp";
      const expected = inMemory(input.tables[table]).filter(ms(time).gtEq(inc.lo).and(ms(time).ltEq(inc.hi))).height;
      const got = around.rows.n.filter((_, i) => around.rows.incident[i] === k && around.rows.table[i] === table)
        .reduce((a, b) => a + b, 0);
      assert.equal(got, expected, `${inc.id} ${table}`);
    }
  }
  assert.ok(!around.rows.table.includes("incidents"), "the incidents table is the subject, not a modality");
});

Deno.test("one incident is followed through every table that labels it", () => {
  const follow = charts.find((c) => c.type === "follow") as Extract<ViewChart, { type: "follow" }>;
  assert.ok(follow, "a follow chart");
  const { incident, panels } = follow;
  assert.equal(incident.id, ids[0]);
  assert.deepEqual(incident.marks.map((m) => m.what), ["detected_at", "mitigated_at", "resolved_at"]);
  const within = (time: string) => ms(time).gtEq(incident.lo).and(ms(time).ltEq(incident.hi));
  const mine = pl.col("incident_id").eq(pl.lit(incident.id)).fillNull(false);
  const kinds = Object.fromEntries(panels.map((p) => [p.table, p.kind]));
  // A metric table gets a panel when the incident hits one of its entities; the log tables always do.
  for (const table of ["capacity_metrics", "service_metrics"]) {
    const hit = inMemory(input.tables[table]).filter(mine).height > 0;
    assert.equal(kinds[table], hit ? "series" : undefined, table);
  }
  assert.ok(kinds.capacity_metrics ?? kinds.service_metrics, "at least one metric panel");
  assert.equal(kinds.cloudfront_labels, "counts");
  assert.equal(kinds.db_log_labels, "counts");
  for (const p of panels) {
    const df = inMemory(input.tables[p.table]);
    const time = ({ email_index: "date", tickets: "opened_at", metric_anomalies: "first" } as Record<string, string>)[
      p.table
    ] ?? "timestamp";
    if (p.kind === "series") {
      const entity = p.table === "capacity_metrics" ? "server_id" : "service";
      const hits = df.filter(mine).groupBy(entity).agg(pl.len().alias("n")).sort(["n", entity], [true, false]);
      const target = hits.getColumn(entity).get(0) as string;
      assert.match(p.title, new RegExp(` of ${target}$`));
      const rows = df.filter(within(time).and(pl.col(entity).eq(pl.lit(target))));
      assert.equal(p.t.length, rows.height, p.title);
      assert.equal(p.mine.filter(Boolean).length, rows.filter(mine).height, p.title);
    } else if (p.kind === "counts") {
      const own = p.v.filter((_, i) => p.key[i] === "this incident").reduce((a, b) => a + b, 0);
      assert.equal(own, df.filter(within(time).and(mine)).height, p.title);
      assert.equal(p.v.reduce((a, b) => a + b, 0), df.filter(within(time)).height, p.title);
    } else {
      assert.equal(p.t.length, df.filter(within(time)).height, p.title);
      assert.equal(p.mine.filter(Boolean).length, df.filter(within(time).and(mine)).height, p.title);
    }
  }
  // Metric panels come first, then counts, then events.
  const order = panels.map((p) => ["series", "counts", "events"].indexOf(p.kind));
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
});
