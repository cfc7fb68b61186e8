import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { entityStream, fillStandardNormal, Rng } from "@lib/random/mod.ts";

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

Deno.test("entityStream() gives the same stream for the same (seed, dataset, entity)", () => {
  assert.deepEqual(
    draws(entityStream(7, { dataset: "capacity", entity: "srv-0001" }), 5),
    draws(entityStream(7, { dataset: "capacity", entity: "srv-0001" }), 5),
  );
});

Deno.test("entityStream() gives different streams when any part differs", async (t) => {
  const base = draws(entityStream(7, { dataset: "capacity", entity: "srv-0001" }), 3);
  for (
    const [name, rng] of [
      ["seed", entityStream(8, { dataset: "capacity", entity: "srv-0001" })],
      ["dataset", entityStream(7, { dataset: "anomalies", entity: "srv-0001" })],
      ["entity", entityStream(7, { dataset: "capacity", entity: "srv-0002" })],
      ["split point", entityStream(7, { dataset: "capacity/srv", entity: "0001" })],
    ] as const
  ) {
    await t.step(name, () => assert.notDeepEqual(draws(rng, 3), base));
  }
});

Deno.test("entityStream() does not depend on the order entities are drawn in", () => {
  const a1 = entityStream(1, { dataset: "d", entity: "a" }).next();
  entityStream(1, { dataset: "d", entity: "b" }).next();
  const a2 = entityStream(1, { dataset: "d", entity: "a" }).next();
  assert.equal(a1, a2);
});

function moments(xs: Float64Array | number[]): { mean: number; std: number } {
  let s = 0, s2 = 0;
  for (const x of xs) {
    s += x;
    s2 += x * x;
  }
  const mean = s / xs.length;
  return { mean, std: Math.sqrt(s2 / xs.length - mean * mean) };
}

Deno.test("Rng distributions have the requested moments across seeds", async (t) => {
  for (const seed of [42, 1337, 1211]) {
    await t.step(`seed ${seed}`, () => {
      const rng = entityStream(seed, { dataset: "test", entity: "moments" });
      const n = 200_000;
      const normal = moments(rng.fillNormal(new Float64Array(n), 10, 3));
      assert.ok(Math.abs(normal.mean - 10) < 0.05, `normal mean ${normal.mean}`);
      assert.ok(Math.abs(normal.std - 3) < 0.05, `normal std ${normal.std}`);
      const uni = moments(Array.from({ length: n }, () => rng.uniform(2, 4)));
      assert.ok(Math.abs(uni.mean - 3) < 0.01, `uniform mean ${uni.mean}`);
      for (const lambda of [0.5, 4, 50]) {
        const p = moments(Array.from({ length: n / 4 }, () => rng.poisson(lambda)));
        assert.ok(Math.abs(p.mean - lambda) < 0.05 * lambda + 0.02, `poisson(${lambda}) mean ${p.mean}`);
        assert.ok(Math.abs(p.std ** 2 - lambda) < 0.1 * lambda + 0.05, `poisson(${lambda}) var ${p.std ** 2}`);
      }
      const logn = Array.from({ length: n }, () => Math.log(rng.lognormal(1, 0.5)));
      assert.ok(Math.abs(moments(logn).mean - 1) < 0.01);
      const counts = [0, 0, 0];
      for (let i = 0; i < n; i++) counts[rng.weightedIndex([1, 2, 7])]++;
      assert.deepEqual(counts.map((c) => Math.round((c / n) * 10)), [1, 2, 7]);
    });
  }
});

Deno.test("Rng.shuffle() returns a permutation and leaves its input alone", () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  const out = entityStream(1, { dataset: "t", entity: "shuffle" }).shuffle(items);
  assert.deepEqual([...out].sort((a, b) => a - b), items);
  assert.notDeepEqual(out, items);
  assert.equal(items[0], 0);
});

Deno.test("Rng.weightedIndex() rejects weights that sum to zero", () => {
  assert.throws(() => entityStream(1, { dataset: "t", entity: "w" }).weightedIndex([0, 0]), {
    name: "RangeError",
    message: /sum must be > 0/,
  });
});

Deno.test("Rng draws tens of millions of values quickly enough to generate millions of rows", () => {
  // Not a timing assertion (those live in `deno task bench`): a smoke check that the fast path stays allocation-free.
  const out = entityStream(1, { dataset: "t", entity: "bulk" }).fillNormal(new Float64Array(1_000_000));
  assert.equal(out.length, 1_000_000);
  assert.ok(out.every(Number.isFinite));
});

Deno.test("fillStandardNormal() (ziggurat) has the moments and tails of a standard normal across seeds", async (t) => {
  for (const seed of [42, 1337, 1211]) {
    await t.step(`seed ${seed}`, () => {
      const z = fillStandardNormal(
        entityStream(seed, { dataset: "test", entity: "ziggurat" }),
        new Float64Array(400_000),
      );
      const { mean, std } = moments(z);
      assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
      assert.ok(Math.abs(std - 1) < 0.01, `std ${std}`);
      const beyond = (k: number) => z.filter((x) => Math.abs(x) > k).length / z.length;
      assert.ok(Math.abs(beyond(1.96) - 0.05) < 0.003, `P(|z| > 1.96) = ${beyond(1.96)}`);
      assert.ok(Math.abs(beyond(3.5) - 0.000465) < 0.0002, `P(|z| > 3.5) = ${beyond(3.5)}`);
    });
  }
});
