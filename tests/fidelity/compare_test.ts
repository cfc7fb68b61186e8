import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import {
  builtinProfile,
  checkFidelity,
  compareProfiles,
  compareTargets,
  type FidelityProfile,
  NAMED_CHECKS,
  profileFrame,
} from "@lib/fidelity/mod.ts";
import { frame, normal } from "./_series.ts";

function profile(level: number, seed = 0): FidelityProfile {
  const df = frame(12, 24 * 21, {
    cpu: (e, i, u) => Math.max(0.5, level + e + 5 * Math.sin((2 * Math.PI * i) / 24) + normal(u) + seed),
    net: (e, i, u) => 100 + 10 * e + 20 * Math.sin((2 * Math.PI * i) / 24) + 5 * normal(u),
  });
  return profileFrame(df, {
    roles: { entity: "id", time: "timestamp", metrics: { cpu: "cpu", net: "net" } },
    source: { name: `level ${level}`, kind: "test" },
  });
}

Deno.test("compareProfiles() of a profile with itself passes every measured named check, in the table's order", () => {
  const p = profile(20);
  const c = compareProfiles(p, p);
  const named = c.checks.filter((k) => k.row !== null);
  assert.deepEqual(named.map((k) => k.row), NAMED_CHECKS.map((k) => k.row));
  assert.deepEqual(named.filter((k) => k.passed === false).map((k) => k.id), []);
  assert.equal(c.score, 1);
  assert.equal(named.find((k) => k.id === "fidelity.entity_mean_cpu")!.ks, 0);
  assert.equal(named.find((k) => k.id === "fidelity.difficulty")!.passed, null, "no labels: not measured");
  assert.ok(c.checks.some((k) => k.row === null && k.id === "fidelity.detail.cpu.acf_1"));
});

Deno.test("compareProfiles() fails the per-entity mean by KS when the levels differ, and the score counts it", () => {
  const c = compareProfiles(profile(70), profile(10));
  const row1 = c.checks.find((k) => k.row === 1)!;
  assert.equal(row1.passed, false);
  assert.equal(row1.ks, 1);
  assert.ok(c.score !== null && c.score < 1);
  assert.equal(c.named.total, 11);
});

Deno.test("compareTargets() applies the issue's figures: a fleet near 11 % CPU passes row 1, one at 60 % fails", () => {
  const low = frame(40, 24 * 14, {
    cpu: (e, _i, u) => Math.max(0.1, (e < 20 ? 2 + e / 4 : 12 + (e - 20) * 4.5) + normal(u)),
  });
  const roles = { entity: "id", time: "timestamp", metrics: { cpu: "cpu" } };
  const pLow = profileFrame(low, { roles });
  const lowRow1 = compareTargets(pLow).checks.find((k) => k.row === 1)!;
  assert.ok(pLow.metrics.cpu.entity.mean.sd! > 13.2, `sd ${pLow.metrics.cpu.entity.mean.sd}`);
  assert.equal(lowRow1.passed, true, JSON.stringify(pLow.metrics.cpu.entity.mean));
  const high = profileFrame(frame(40, 24 * 14, { cpu: (e, _i, u) => 60 + e / 10 + normal(u) }), { roles });
  assert.equal(compareTargets(high).checks.find((k) => k.row === 1)!.passed, false);
});

Deno.test("checkFidelity() scores named checks passed over measured across references", async () => {
  const p = profile(20);
  const r = checkFidelity(p, [{ name: "self", profile: p }, { name: "issue-targets", profile: null }]);
  const passed = r.comparisons.reduce((a, c) => a + c.named.passed, 0);
  const measured = r.comparisons.reduce((a, c) => a + c.named.measured, 0);
  assert.equal(r.score, Math.round((passed / measured) * 10000) / 10000);
  const bb = await builtinProfile("bitbrains_rnd");
  assert.equal(bb.source.commit, "0901a0da3024507c7732c782621e590077abca64");
  assert.match(bb.source.citation!, /Shen.*CCGrid/);
  assert.equal(bb.entities, 30);
  assert.equal(bb.granularity, "hourly");
});
