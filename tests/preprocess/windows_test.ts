import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { sampleWindows, timeWindows } from "@lib/preprocess/mod.ts";
import { msOf, times } from "./_frames.ts";

const D = 86_400_000;
const start = Date.UTC(2020, 0, 1, 15);
const df = pl.DataFrame([times("timestamp", Array.from({ length: 40 }, (_, i) => start + i * D))]);

Deno.test("timeWindows() anchors 7-day windows at UTC midnight of the first row", () => {
  const r = timeWindows(df);
  const w = msOf(r, "window_start");
  assert.equal(w[0], Date.UTC(2020, 0, 1));
  assert.equal(w[7], Date.UTC(2020, 0, 8));
  assert.equal(new Set(w).size, 6);
  const e = timeWindows(df, { origin: "epoch" });
  assert.equal(msOf(e, "window_start")[0] % (7 * D), 0);
});

Deno.test("sampleWindows() keeps count windows, the same ones for a seed whatever the row order", () => {
  const a = sampleWindows(df, { count: 2, seed: 1 });
  const b = sampleWindows(df.sample(df.height, undefined, false, 3), { count: 2, seed: 1 });
  const wa = [...new Set(msOf(a, "window_start"))].sort();
  const wb = [...new Set(msOf(b, "window_start"))].sort();
  assert.equal(wa.length, 2);
  assert.deepEqual(wa, wb);
  assert.equal(sampleWindows(df).height, df.height);
  assert.throws(() => sampleWindows(df, { count: 0 }), { name: "RangeError", message: /count/ });
});
