import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Calibration of the statistical checks (issue 18): the family-wise level they are judged at inside a dataset, and
 * the realistic capacity generator's correlations centred on their targets as the validator measures them.
 */
import assert from "node:assert/strict";
import { binomInterval, coverageMultiplier, familyLevel } from "@lib/validate/_stats.ts";
import { check, familyWise, levelNote, statistical, ValidationResult } from "@lib/validate/result.ts";
import { validateDataset } from "@lib/validate/mod.ts";
import type { CheckResult } from "@lib/validate/types.ts";
import { capacityDataset } from "./_fixtures.ts";

/** A statistical check of a deviation `z` standard errors from its target (normal, infinite df). */
function zCheck(id: string, z: number): CheckResult {
  return statistical((level) => {
    const k = coverageMultiplier(Infinity, level.coverage);
    return check({
      id,
      severity: "error",
      passed: Math.abs(z) <= k,
      measured: z,
      threshold: `0 ± ${k.toFixed(2)}`,
      message: `z ${z}; ${levelNote(level, k)}`,
    });
  });
}

Deno.test("familyLevel(): Bonferroni at 0.1 % per dataset, 3 sigma for a check judged alone", () => {
  assert.equal(familyLevel(0).sigmas, 3);
  assert.equal(familyLevel(1).sigmas.toFixed(2), "3.29");
  assert.equal(familyLevel(16).sigmas.toFixed(2), "4.00");
  assert.equal(familyLevel(130).sigmas.toFixed(2), "4.47");
  // Never looser than 3 sigma, and stricter as the family grows.
  for (let m = 1; m < 300; m += 7) {
    assert.ok(familyLevel(m).sigmas >= 3 && familyLevel(m + 1).sigmas >= familyLevel(m).sigmas);
  }
});

Deno.test("familyWise(): statistical checks are judged again at the level of their number in the dataset", () => {
  const alone = zCheck("stat.a", 3.5);
  assert.equal(alone.passed, false, "3.5 s.e. fails a check judged alone (3 sigma)");
  const others = Array.from({ length: 129 }, (_, i) => zCheck(`stat.${i}`, 0.5));
  const plain = check({ id: "rows", severity: "error", passed: false, measured: 1, threshold: "= 0", message: "x" });
  const judged = familyWise([alone, ...others, plain]);
  assert.equal(judged[0].passed, true, "3.5 s.e. passes among 130 statistical checks (4.47 s.e.)");
  assert.match(judged[0].message, /tolerance at 4\.5 s\.e\. for 130 statistical checks/);
  assert.equal(judged[130], plain, "a check that is not statistical is left as it is");
  // A gross deviation still fails; a ValidationResult applies the level by itself, and again gives the same.
  const v = new ValidationResult({
    dataset: "d",
    path: "d",
    kind: "k",
    rows: 1,
    validated: "2026-01-01T00:00:00Z",
    results: [zCheck("stat.big", 6), zCheck("stat.mid", 3.4), zCheck("stat.small", 1)],
  });
  assert.deepEqual(v.results.map((r) => r.passed), [false, true, true]);
  assert.match(v.results[0].message, /for 3 statistical checks/);
  assert.deepEqual(familyWise(v.results).map((r) => r.message), v.results.map((r) => r.message));
});

Deno.test("anomaly type rates: the sweep's 42 of 995 'missing' events (1/14 configured) pass among 16 checks", () => {
  // anomalies default, seed 4, failed `anomalies.type_rate:missing` at 3 sigma: a 1-in-6000 draw of one check of 16.
  const share = 42 / 995;
  assert.ok(binomInterval(995, 1 / 14)[0] > share, "outside the 3-sigma interval");
  assert.ok(
    binomInterval(995, 1 / 14, { coverage: familyLevel(16).coverage })[0] <= share,
    "inside the family-wise interval",
  );
  // Half the configured share is still caught at the family-wise level.
  assert.ok(binomInterval(995, 1 / 14, { coverage: familyLevel(16).coverage })[0] > 0.5 / 14);
});

Deno.test("realistic capacity: residual correlations centre on their targets as the validator measures them", async () => {
  // 120 servers x 2 years, daily, realistic: the events' excess of the daily P95 used to pull every correlation
  // towards its own (mean |measured - target| over the 24 pairs 0.046, database mem_disk 0.573 against 0.70).
  const { df, manifest } = await capacityDataset({ servers: 120, years: 2, seed: 7 });
  const v = validateDataset(df, manifest, { validated: new Date("2026-01-02T00:00:00Z") });
  const pairs = v.results.filter((r) => r.id.startsWith("correlation.pearson:") && r.threshold.includes(" ± "));
  assert.equal(pairs.length, 24);
  const off = pairs.map((r) => Number(r.measured) - Number(r.threshold.split(" ± ")[0]));
  const meanAbs = off.reduce((a, b) => a + Math.abs(b), 0) / off.length;
  assert.ok(meanAbs < 0.03, `mean |measured - target| ${meanAbs.toFixed(3)}`);
  const mean = off.reduce((a, b) => a + b, 0) / off.length;
  assert.ok(Math.abs(mean) < 0.02, `mean measured - target ${mean.toFixed(3)}`);
});
