/**
 * The incidents fleet's capacity metrics come from `generate capacity` with the same seed and preset: realistic by
 * default (servers that differ, persistent noise), textbook on request. Rows no incident touches are exactly the
 * capacity generator's.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";
import { capacityMetricChunks, IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";

const METRICS = ["cpu_p95", "mem_p95", "disk_p95"];

function cleanRowsMatch(preset: "realistic" | "textbook"): void {
  const config = IncidentsConfig.parse({ seed: 11, from: "2024-03-04", to: "2024-03-11", incidents_per_week: 6 });
  assert.equal(IncidentsConfig.parse({}).capacity_preset, "realistic");
  const plan = planIncidents(IncidentsConfig.parse({ ...config, capacity_preset: preset }));
  const [{ frame }] = capacityMetricChunks(plan, { from: 0, to: 16 });
  const capacity = generateCapacity(
    CapacityConfig.parse({
      preset,
      seed: 11,
      servers: config.servers,
      start_date: "2024-03-04",
      end_date: "2024-03-10",
      granularity: "hourly",
    }),
    { from: 0, to: 16 },
  );
  assert.equal(frame.height, capacity.height);
  const clean = frame.getColumn("incident_id").isNull();
  for (const m of METRICS) {
    const got = frame.getColumn(m).filter(clean).toArray();
    const want = capacity.getColumn(m).filter(clean).toArray();
    assert.deepEqual(got, want, `${preset} ${m}`);
  }
}

Deno.test("incidents' capacity metrics are generate capacity's rows (realistic by default, textbook on request)", () => {
  cleanRowsMatch("realistic");
  cleanRowsMatch("textbook");
});

Deno.test("incidents' realistic fleet differs per server (the textbook one has every archetype's servers alike)", () => {
  const spread = (preset: "realistic" | "textbook") => {
    const plan = planIncidents(
      IncidentsConfig.parse({ seed: 11, from: "2024-03-04", to: "2024-03-11", capacity_preset: preset }),
    );
    const [{ frame }] = capacityMetricChunks(plan, { from: 0, to: 64 });
    const means = frame.groupBy("server_id").agg(pl.col("cpu_p95").mean().alias("m"));
    return means.select(pl.col("m").std()).getColumn("m").get(0) as number;
  };
  const realistic = spread("realistic"), textbook = spread("textbook");
  assert.ok(realistic > 1.5 * textbook, `per-server mean CPU sd: realistic ${realistic}, textbook ${textbook}`);
});
