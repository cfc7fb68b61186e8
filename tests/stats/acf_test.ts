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
