import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";
import { kindProfile } from "@lib/report/mod.ts";
import { summarizeSeasonality } from "@lib/report/_seasonality.ts";
import { seasonalMeasures } from "@lib/validate/seasonality.ts";

const DAY_MS = 86_400_000;

Deno.test("the report's autocorrelation at 7 days equals the validator's measured acf_7d for every group", () => {
  const config = resolveConfig(CapacityConfig, { flags: {}, what: "capacity" });
  const df = generateCapacity(config);
  const measured = seasonalMeasures(df, {
    metric: "net_in_p95",
    entity: "server_id",
    group: "server_type",
    cadenceMs: DAY_MS,
  });
  const report = summarizeSeasonality(df, config as unknown as Record<string, unknown>, kindProfile("capacity"))!;
  assert.equal(report.metric, "net_in_p95");
  assert.equal(report.lagUnit, "day");
  assert.ok(measured.length >= 2, `${measured.length} groups`);
  for (const m of measured) {
    const point = report.acf.find((p) => p.group === m.group && p.lag === 7);
    assert.ok(point !== undefined && m.acf7d !== undefined, `group ${m.group}: no 7-day point`);
    assert.ok(Math.abs(point.r - m.acf7d) < 1e-9, `group ${m.group}: report ${point.r}, validator ${m.acf7d}`);
  }
});
