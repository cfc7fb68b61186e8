/**
 * The report's autocorrelation curve and the validator's autocorrelation checks come from one series and one
 * estimator (issue 16 item 6): at 7 days the curve equals each group's `seasonality.acf_7d` measure.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { readManifest } from "@lib/lake/mod.ts";
import { CAPACITY_PROFILE } from "@lib/report/mod.ts";
import { summarizeSeasonality } from "@lib/report/_seasonality.ts";
import { validateDataset } from "@lib/validate/mod.ts";
import { inputOf, makeLake } from "./_fixtures.ts";

const { root, dirs } = await makeLake();
addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

Deno.test("the report's ACF at 7 days is the validator's acf_7d measure for every group", async () => {
  const manifest = await readManifest(dirs.capacity);
  const input = inputOf(dirs.capacity, manifest);
  const primary = input.tables[manifest.primary_table];
  const config = manifest.config as Record<string, unknown>;
  const summary = summarizeSeasonality(primary, { config, profile: CAPACITY_PROFILE });
  assert.ok(summary !== null, "capacity has a seasonality section");
  const validation = validateDataset(primary, manifest, { tables: input.tables, path: dirs.capacity });
  const checks = validation.results.filter((r) =>
    r.id.startsWith("seasonality.acf_7d:") && typeof r.measured === "number"
  );
  assert.ok(checks.length >= 3, `acf_7d measured for the groups, got ${checks.length}`);
  for (const c of checks) {
    const group = c.id.split(":")[1];
    const point = summary.acf.find((p) => p.group === group && p.lag === 7);
    assert.ok(point, `the curve of ${group} has lag 7 days`);
    assert.ok(
      Math.abs(point.r - (c.measured as number)) < 1e-4,
      `${group}: report ${point.r}, validator ${c.measured}`,
    );
  }
});
