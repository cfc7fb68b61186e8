import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { lagCorrelation } from "@lib/stats/mod.ts";

const HOUR = 3_600_000;

function frame(hours: number[], f: (h: number) => number, g = "a"): pl.DataFrame {
  return pl.DataFrame({
    g: hours.map(() => g),
    t: pl.Series("t", hours.map((h) => h * HOUR)).cast(pl.Int64),
    x: hours.map(f),
  });
}

Deno.test("lagCorrelation() finds a daily cycle at 24 h and its trough at 12 h, per group", () => {
  const hours = Array.from({ length: 24 * 14 }, (_, i) => i);
  const df = pl.concat([
    frame(hours, (h) => Math.sin((2 * Math.PI * h) / 24), "daily"),
    frame(hours, (h) => ((h * 7919) % 13) - 6, "noise"),
  ]);
  const r = lagCorrelation(df, [12 * HOUR, 24 * HOUR]);
  const at = (g: string, lag: number) => r.find((x) => x.g === g && x.lag === lag * HOUR)!.r!;
  assert.ok(at("daily", 24) > 0.999, `r(24 h) = ${at("daily", 24)}`);
  assert.ok(at("daily", 12) < -0.999, `r(12 h) = ${at("daily", 12)}`);
  assert.ok(Math.abs(at("noise", 24)) < 0.5);
});

Deno.test("lagCorrelation() matches pairs by time, so a missing hour does not shift the lag", () => {
  const hours = Array.from({ length: 24 * 10 }, (_, i) => i).filter((h) => h % 37 !== 5);
  const r = lagCorrelation(frame(hours, (h) => Math.sin((2 * Math.PI * h) / 24)), [24 * HOUR])[0].r!;
  assert.ok(r > 0.999, `r(24 h) with gaps = ${r}`);
});

Deno.test("the report and the validator measure autocorrelation with lib/stats' one estimator", async () => {
  const read = (p: string) => Deno.readTextFile(new URL(`../../lib/${p}`, import.meta.url));
  for (const path of ["validate/seasonality.ts", "report/_seasonality.ts"]) {
    const text = await read(path);
    assert.match(text, /import \{[^}]*lagCorrelation[^}]*\} from "@lib\/stats\//, `${path} imports lagCorrelation`);
    assert.doesNotMatch(text, /pearsonCorr\("x", "x_lag"\)/, `${path} correlates lags itself`);
    assert.doesNotMatch(text, /function autocorrelation\(/, `${path} has no autocorrelation of its own`);
  }
});

Deno.test("lagCorrelation() pairs a small frame in memory exactly as the joins pair it: gaps, duplicate times, nulls, groups", () => {
  // Three groups: a regular series with gaps, one with a repeated hour (a join pairs every copy), one with nulls.
  const rows: { g: string; t: number; x: number | null }[] = [];
  for (let h = 0; h < 24 * 9; h++) {
    if (h % 29 !== 3) {
      rows.push({ g: "gaps", t: h * HOUR, x: Math.sin((2 * Math.PI * h) / 24) + ((h * 7919) % 11) / 20 });
    }
    rows.push({ g: "dup", t: h * HOUR, x: Math.cos((2 * Math.PI * h) / 24) + ((h * 104729) % 7) / 9 });
    if (h % 17 === 0) rows.push({ g: "dup", t: h * HOUR, x: 0.25 });
    rows.push({ g: "nulls", t: h * HOUR, x: h % 13 === 0 ? null : ((h * 31) % 19) / 19 });
  }
  // Shuffled: the result must not depend on row order.
  rows.sort((a, b) => ((a.t * 2654435761) % 97) - ((b.t * 2654435761) % 97) || a.g.localeCompare(b.g));
  const df = pl.DataFrame({
    g: rows.map((r) => r.g),
    t: pl.Series("t", rows.map((r) => r.t)).cast(pl.Int64),
    x: pl.Series("x", rows.map((r) => r.x), pl.Float64),
    // A constant extra key: the same pairs, always matched by joins.
    k: rows.map(() => 1),
  });
  const lags = [1, 2, 5, 12, 24, 48, 168, 500].map((h) => h * HOUR);
  const key = (r: { g: string; lag: number }) => `${r.g}@${r.lag}`;
  const paired = lagCorrelation(df, lags);
  const joined = new Map(lagCorrelation(df, lags, { on: ["k"] }).map((r) => [key(r), r]));
  assert.equal(paired.length, joined.size);
  for (const r of paired) {
    const j = joined.get(key(r))!;
    assert.equal(r.n, j.n, key(r));
    assert.ok(r.r !== null && j.r !== null && Math.abs(r.r - j.r) < 1e-12, `${key(r)}: ${r.r} against ${j.r}`);
  }
  // Lag-major, groups in order.
  assert.deepEqual(paired.slice(0, 3).map((r) => r.g), ["dup", "gaps", "nulls"]);
});
