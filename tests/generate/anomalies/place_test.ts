import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { entityStream } from "@lib/random/mod.ts";
import { fillStandardNormal } from "@lib/random/mod.ts";
import { AnomaliesConfig, enabledTypes, placeAnomalies, shrinkToFit } from "@lib/generate/anomalies/mod.ts";

Deno.test("shrinkToFit() shortens in proportion to what each can give, never below the minimums", () => {
  const lengths = [100, 50, 10];
  shrinkToFit(lengths, { mins: [20, 20, 10], budget: 120 });
  assert.equal(lengths.reduce((a, b) => a + b, 0), 120);
  assert.ok(lengths[0] >= 20 && lengths[1] >= 20 && lengths[2] === 10);
  assert.ok(lengths[0] - 20 > lengths[1] - 20, "the longer gives more");
  const fits = [5, 6];
  shrinkToFit(fits, { mins: [1, 1], budget: 20 });
  assert.deepEqual(fits, [5, 6], "untouched when it fits");
  assert.throws(() => shrinkToFit([30, 30], { mins: [25, 25], budget: 40 }), /minimums need 50/);
});

Deno.test("placeAnomalies() spreads anomalies over the whole series, min_gap apart, after warmup", () => {
  const config = AnomaliesConfig.parse({ anomalies_per_series: [3, 3], min_gap: 40 });
  const types = enabledTypes(config);
  const starts: number[] = [];
  for (let s = 0; s < 300; s++) {
    const placed = placeAnomalies(entityStream(1, { dataset: "anomalies", entity: `place-${s}` }), {
      config,
      types,
      tracks: [],
    });
    assert.equal(placed.length, 3);
    for (let k = 0; k < 3; k++) {
      const e = placed[k];
      assert.ok(e.start >= config.warmup && e.start + e.length <= config.points);
      if (k > 0) assert.ok(e.start - (placed[k - 1].start + placed[k - 1].length) >= 40);
      starts.push(e.start);
    }
  }
  // Positions cover the series: every sixth of it holds some starts.
  const sixths = new Set(starts.map((x) => Math.floor(6 * x / config.points)));
  assert.equal(sixths.size, 6);
});

Deno.test("fillStandardNormal() (ziggurat) has normal moments and tails", () => {
  const n = 2_000_000;
  const z = fillStandardNormal(entityStream(3, { dataset: "anomalies", entity: "normal-test" }), new Float64Array(n));
  let s = 0, s2 = 0, s4 = 0, t3 = 0, t4 = 0, neg = 0;
  for (const x of z) {
    s += x;
    s2 += x * x;
    s4 += x ** 4;
    if (Math.abs(x) > 3) t3++;
    if (Math.abs(x) > 4) t4++;
    if (x < 0) neg++;
  }
  assert.ok(Math.abs(s / n) < 0.003, `mean ${s / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.005, `variance ${s2 / n}`);
  assert.ok(Math.abs(s4 / n - 3) < 0.05, `kurtosis ${s4 / n}`);
  assert.ok(Math.abs(t3 / n - 0.0027) < 0.0003, `P(|z|>3) ${t3 / n}`);
  assert.ok(t4 / n > 2e-5 && t4 / n < 1.3e-4, `P(|z|>4) ${t4 / n}`);
  assert.ok(Math.abs(neg / n - 0.5) < 0.002);
  const again = fillStandardNormal(
    entityStream(3, { dataset: "anomalies", entity: "normal-test" }),
    new Float64Array(1000),
  );
  assert.deepEqual(again, z.subarray(0, 1000), "same stream, same draws");
});
