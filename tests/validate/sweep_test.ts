import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * A slice of the false-failure sweep of `deno task bench --sweep` (issue 18): valid generations of every kind at its
 * tiny size, and the and the sweep's reproductions, fail no error or warning check.
 */
import assert from "node:assert/strict";
import { runSweep, type SweepSize } from "../../tasks/bench.ts";

const SLICE: SweepSize[] = [
  // The reproductions: each failed a check before calibration.
  { kind: "capacity", size: "40 servers, seed 9", flags: ["--servers", "40", "--seed", "9"], runs: 1 },
  { kind: "capacity", size: "2 servers x 1 y", flags: ["--servers", "2", "--years", "1"], runs: 2 },
  { kind: "capacity", size: "10 servers", flags: ["--servers", "10"], runs: 1 },
  // The sweep's reproductions: each failed before the family-wise level and the generator's correlation fix.
  {
    kind: "capacity",
    size: "10 servers x 1 y, seed 15",
    flags: ["--servers", "10", "--years", "1", "--seed", "15"],
    runs: 1,
  },
  { kind: "capacity", size: "40 servers, seed 2", flags: ["--servers", "40", "--seed", "2"], runs: 1 },
  { kind: "anomalies", size: "20 series", flags: ["--series", "20"], runs: 2 },
  { kind: "anomalies", size: "20 series, seed 20", flags: ["--series", "20", "--seed", "20"], runs: 1 },
  { kind: "incidents", size: "8 servers x 4 d", flags: ["--servers", "8", "--to", "2024-03-08"], runs: 1 },
  {
    kind: "msp",
    size: "5 clients x 3 mo",
    flags: ["--clients", "5", "--end", "2024-03-31"],
    runs: 2,
  },
];

Deno.test("valid tiny generations of every kind fail no check (a slice of the sweep)", async () => {
  // Each run is two processes (generate, validate --json): about 5 s a run on a shared machine.
  const counts = await runSweep(SLICE);
  const failed = counts.filter((c) => c.failedRuns > 0).map((c) => `${c.kind} ${c.size}: ${JSON.stringify(c.checks)}`);
  assert.deepEqual(failed, []);
  assert.deepEqual(counts.flatMap((c) => c.generateErrors), []);
  assert.deepEqual([...new Set(counts.map((c) => c.kind))].sort(), ["anomalies", "capacity", "incidents", "msp"]);
  assert.equal(counts.reduce((a, c) => a + c.runs, 0), 12);
});
