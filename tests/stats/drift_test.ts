import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { entityStream } from "@lib/random/mod.ts";
import {
  categoryPsi,
  kolmogorovQ,
  ksStatistic,
  psi,
  quantileSorted,
  wasserstein1,
  wasserstein1Normalized,
} from "@lib/stats/mod.ts";

const f = (xs: number[]) => Float64Array.from(xs);

/** n draws of N(mean, std) from a stream of its own. */
function normal(n: number, options: { mean: number; std: number; entity: string }): Float64Array {
  const rng = entityStream(42, { dataset: "drift-test", entity: options.entity });
  return Float64Array.from({ length: n }, () => rng.normal(options.mean, options.std));
}

// The two samples scipy 1.17.1 was run on (values below): arithmetic, so both sides make them alike.
const A = Float64Array.from({ length: 300 }, (_, i) => ((i * 37) % 101) / 10);
const B = Float64Array.from({ length: 250 }, (_, i) => ((i * 53) % 97) / 9 + 0.4);

Deno.test("drift statistics of identical samples are 0 (p-value 1)", () => {
  const a = normal(5000, { mean: 10, std: 2, entity: "same" });
  const ks = ksStatistic(a, a);
  assert.equal(ks.d, 0);
  assert.equal(ks.pValue, 1);
  assert.equal(psi(a, a), 0);
  assert.equal(wasserstein1(a, a), 0);
  assert.equal(wasserstein1Normalized(a, a).normalized, 0);
});

Deno.test("ksStatistic() gives 1 for disjoint samples and the hand-computed D with ties", () => {
  assert.equal(ksStatistic(f([1, 2, 3]), f([10, 11])).d, 1);
  assert.equal(ksStatistic(f([10, 11]), f([1, 2, 3])).d, 1);
  // F_a - F_b at 5: 1 - 3/6 = 0.5, the largest gap (ties at 3, 4, 5 step both CDFs together).
  assert.equal(ksStatistic(f([1, 2, 3, 4, 5]), f([3, 4, 5, 6, 7, 8])).d, 0.5);
  // All ties: the same values in other multiplicities, D from the CDFs at the shared values.
  assert.equal(ksStatistic(f([1, 1, 1, 2]), f([1, 2, 2, 2])).d, 0.5);
  // NaN is left out.
  assert.equal(ksStatistic(f([1, NaN, 2]), f([1, 2])).d, 0);
});

Deno.test("ksStatistic() agrees with scipy.stats.ks_2samp(method='asymp') on the same samples", () => {
  const ks = ksStatistic(A, B);
  // scipy 1.17.1: statistic 0.102, pvalue 0.11003158667454432 (kstwo.sf at round(en)); Stephens' form
  // kstwobign.sf((sqrt(en) + 0.12 + 0.11/sqrt(en)) * D) = 0.10995145579680803.
  assert.ok(Math.abs(ks.d - 0.102) < 1e-12, `D = ${ks.d}`);
  assert.ok(Math.abs(ks.pValue - 0.10995145579680803) < 1e-9, `p = ${ks.pValue}`);
  assert.ok(Math.abs(ks.pValue - 0.11003158667454432) < 1e-3);
  assert.ok(Math.abs(ks.en - (300 * 250) / 550) < 1e-9);
});

Deno.test("kolmogorovQ() matches the Kolmogorov distribution's table values", () => {
  // scipy.stats.kstwobign.sf([0.5, 1.0, 1.358, 1.628]) = 0.96394524 0.26999967 0.0500268 0.00997552
  for (const [x, q] of [[0.5, 0.96394524], [1.0, 0.26999967], [1.358, 0.0500268], [1.628, 0.00997552]]) {
    assert.ok(Math.abs(kolmogorovQ(x) - q) < 1e-7, `Q(${x}) = ${kolmogorovQ(x)}, want ${q}`);
  }
  assert.equal(kolmogorovQ(0), 1);
  assert.ok(kolmogorovQ(5) < 1e-20);
});

Deno.test("a shifted normal sample is at W1 distance of the shift, and normalized by the reference IQR", () => {
  const a = normal(100_000, { mean: 50, std: 10, entity: "ref" });
  const b = normal(100_000, { mean: 53, std: 10, entity: "shifted" });
  const w = wasserstein1(a, b);
  assert.ok(Math.abs(w - 3) < 0.15, `W1 = ${w}`);
  const n = wasserstein1Normalized(a, b);
  // IQR of N(50, 10) = 2 * 0.6745 * 10 = 13.49
  assert.equal(n.by, "iqr");
  assert.ok(Math.abs(n.scale - 13.49) < 0.3, `IQR = ${n.scale}`);
  assert.ok(Math.abs(n.normalized - 3 / 13.49) < 0.015, `normalized = ${n.normalized}`);
  const s = wasserstein1Normalized(a, b, { scale: "std" });
  assert.ok(Math.abs(s.normalized - 0.3) < 0.02, `by std = ${s.normalized}`);
  // A shift of 0.3 standard deviations is a small but certain drift: D near 2Φ(0.15) - 1 = 0.119, p tiny.
  const ks = ksStatistic(a, b);
  assert.ok(Math.abs(ks.d - 0.119) < 0.01, `D = ${ks.d}`);
  assert.ok(ks.pValue < 1e-12);
});

Deno.test("wasserstein1() matches hand-computed areas and scipy.stats.wasserstein_distance", () => {
  assert.equal(wasserstein1(f([0, 1]), f([0, 3])), 1);
  assert.equal(wasserstein1(f([0]), f([0, 2])), 1);
  assert.equal(wasserstein1(f([0, 3]), f([0, 1])), 1);
  // scipy 1.17.1: wasserstein_distance(A, B) = 0.6893333333333336
  assert.ok(Math.abs(wasserstein1(A, B) - 0.6893333333333336) < 1e-9, `W1 = ${wasserstein1(A, B)}`);
});

Deno.test("wasserstein1Normalized() falls back to the standard deviation when the IQR is 0", () => {
  const a = f([5, 5, 5, 5, 5, 5, 5, 5, 0, 10]);
  const r = wasserstein1Normalized(a, a.map((v) => v + 1));
  assert.equal(r.by, "std");
  assert.ok(Math.abs(r.w1 - 1) < 1e-12);
  assert.ok(Math.abs(r.normalized - 1 / Math.sqrt(50 / 9)) < 1e-12);
  assert.ok(Number.isNaN(wasserstein1Normalized(f([2, 2, 2]), f([3])).normalized), "a constant reference");
});

Deno.test("psi() bins on the reference's quantiles and matches a hand computation", () => {
  const a = f([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // Two bins cut at the median 4.5: a holds 5 | 5, b holds 4 | 1, so 0.3 ln 1.6 + 0.3 ln 2.5 = 0.41589.
  const b = f([0, 0, 0, 1, 9]);
  const want = 0.3 * Math.log(1.6) + 0.3 * Math.log(2.5);
  assert.ok(Math.abs(psi(a, b, { bins: 2 }) - want) < 1e-12, `PSI = ${psi(a, b, { bins: 2 })}`);
  // An empty bin counts as epsilon: b all in the lower bin.
  const eps = 1e-4;
  const wantEmpty = (1 - 0.5) * Math.log(1 / 0.5) + (eps - 0.5) * Math.log(eps / 0.5);
  assert.ok(Math.abs(psi(a, f([0, 1]), { bins: 2 }) - wantEmpty) < 1e-12);
  assert.throws(() => psi(a, b, { bins: 1 }), { name: "RangeError", message: /bins/ });
});

Deno.test("psi() reads the rule of thumb: same distribution stable, a shift of one std significant", () => {
  const a = normal(50_000, { mean: 0, std: 1, entity: "psi-a" });
  const same = normal(50_000, { mean: 0, std: 1, entity: "psi-b" });
  const small = normal(50_000, { mean: 0.1, std: 1, entity: "psi-c" });
  const big = normal(50_000, { mean: 1, std: 1, entity: "psi-d" });
  assert.ok(psi(a, same) < 0.01, `same: ${psi(a, same)}`);
  assert.ok(psi(a, small) < 0.1, `0.1 std: ${psi(a, small)}`);
  assert.ok(psi(a, big) > 0.25, `1 std: ${psi(a, big)}`);
  // Quantile edges that coincide (a column piled on one value) merge into fewer bins instead of empty ones.
  const piled = f([...Array(90).fill(100), ...Array.from({ length: 10 }, (_, i) => i)]);
  assert.equal(psi(piled, piled), 0);
});

Deno.test("categoryPsi() compares shares of categories, missing ones as epsilon", () => {
  assert.equal(categoryPsi({ x: 5, y: 5 }, { y: 50, x: 50 }), 0);
  assert.ok(Math.abs(categoryPsi({ x: 5, y: 5 }, { x: 9, y: 1 }) - (0.4 * Math.log(1.8) + 0.4 * Math.log(5))) < 1e-12);
  const eps = 1e-4;
  const want = (0.5 - eps) * Math.log(0.5 / eps);
  assert.ok(Math.abs(categoryPsi({ x: 1 }, { x: 1, z: 1 }) - (0.5 - 1) * Math.log(0.5) - want) < 1e-12);
});

Deno.test("categoryPsi() gives the same bits whatever order the categories come in", () => {
  const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
  const a = keys.map((k, i) => [k, ((i * 7919) % 97) + 1] as const);
  const b = keys.map((k, i) => [k, ((i * 104729) % 89) + 3] as const);
  const forward = categoryPsi(Object.fromEntries(a), Object.fromEntries(b));
  const backward = categoryPsi(Object.fromEntries([...a].reverse()), Object.fromEntries([...b].reverse()));
  assert.equal(forward, backward);
});

Deno.test("quantileSorted() interpolates linearly between order statistics", () => {
  const s = f([1, 2, 3, 4, 10]);
  assert.equal(quantileSorted(s, 0), 1);
  assert.equal(quantileSorted(s, 0.5), 3);
  assert.ok(Math.abs(quantileSorted(s, 0.9) - 7.6) < 1e-12);
  assert.ok(Number.isNaN(quantileSorted(f([]), 0.5)));
});
