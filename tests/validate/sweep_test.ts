import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * A slice of the false-failure sweep of `deno task bench --sweep` (issue 18): valid generations of tiny and
 * small default configs, and the reproductions, fail no error or warning check.
 */
import assert from "node:assert/strict";
import { runSweep, type SweepSize } from "../../tasks/bench.ts";

const SLICE: SweepSize[] = [
  // The reproductions: each failed a check before calibration.
  { kind: "capacity", size: "40 servers, seed 9", flags: ["--servers", "40", "--seed", "9"], runs: 1 },
  { kind: "capacity", size: "2 servers x 1 y", flags: ["--servers", "2", "--years", "1"], runs: 3 },
  { kind: "capacity", size: "10 servers", flags: ["--servers", "10"], runs: 1 },
  { kind: "anomalies", size: "20 series", flags: ["--series", "20"], runs: 3 },
  {
    kind: "msp",
    size: "5 clients x 3 mo",
    flags: ["--clients", "5", "--end", "2024-03-31"],
    runs: 2,
  },
];

Deno.test("valid tiny generations of every kind fail no check (a slice of the sweep)", async () => {
  const counts = await runSweep(SLICE);
  const failed = counts.filter((c) => c.failedRuns > 0).map((c) => `${c.kind} ${c.size}: ${JSON.stringify(c.checks)}`);
  assert.deepEqual(failed, []);
  assert.equal(counts.reduce((a, c) => a + c.runs, 0), 10);
});
