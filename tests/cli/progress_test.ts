import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { Progress, type ProgressOptions } from "@lib/cli/progress.ts";

/** A Progress on a fake clock, collecting what it writes. */
function fake(total: number, options: ProgressOptions = {}) {
  const state = { clock: 0, text: "" };
  const progress = new Progress("capacity", total, {
    timer: false,
    now: () => state.clock,
    write: (t) => void (state.text += t),
    ...options,
  });
  return { progress, state };
}

Deno.test("Progress shows no rate or ETA from a reading a few milliseconds in (no '347,241,958/s ETA 0.0s')", () => {
  const { progress, state } = fake(10_000_000, { terminal: true });
  state.clock = 3;
  progress.tick(1_000_000);
  assert.match(state.text, /1,000,000\/10,000,000 rows/);
  assert.doesNotMatch(state.text, /\/s|ETA/);
  assert.match(state.text, /0\.0 s elapsed/);
});

Deno.test("Progress gives rate and ETA from the first reading once a second has passed", () => {
  const { progress, state } = fake(1_000, { terminal: true });
  state.clock = 2_000;
  progress.tick(100);
  assert.match(state.text, /50 rows\/s {2}ETA 18\.0 s/);
  state.clock = 200_000;
  progress.tick(100);
  assert.match(state.text, /ETA 13 min 20 s/);
});

Deno.test("Progress on a non-terminal prints a plain line every 5 s, nothing before, no carriage returns", () => {
  const { progress, state } = fake(12, { terminal: false });
  for (let s = 1; s <= 12; s++) {
    state.clock = s * 1_000;
    progress.tick(1);
  }
  progress.finish();
  assert.ok(!state.text.includes("\r") && !state.text.includes("\x1b"), state.text);
  assert.deepEqual(state.text.trimEnd().split("\n"), [
    "capacity: 5/12 rows (41%), 5.0 s elapsed, 1.0 rows/s, ETA 7.0 s",
    "capacity: 10/12 rows (83%), 10.0 s elapsed, 1.0 rows/s, ETA 2.0 s",
  ]);
});

Deno.test("Progress is one display for multi-part work: overall count, the current part named", () => {
  const { progress, state } = fake(300, { terminal: true, unit: "records" });
  progress.step("metrics");
  state.clock = 1_000;
  progress.tick(100);
  progress.step("db_logs");
  state.clock = 2_000;
  progress.tick(50);
  const last = state.text.split("\r").pop()!;
  assert.match(
    last,
    /^capacity db_logs \[#{12}\.{12}\] 150\/300 records {2}2\.0 s elapsed {2}75 records\/s {2}ETA 2\.0 s/,
  );
});

Deno.test("Progress without a count shows the step and the elapsed time; an estimate passed grows the total", () => {
  const { progress, state } = fake(0, { terminal: false, every: 1 });
  progress.step("generating and checking");
  state.clock = 1_500;
  progress.step("generating and checking");
  assert.equal(state.text, "capacity generating and checking: 1.5 s elapsed\n");
  const grown = fake(10, { terminal: true });
  grown.progress.tick(15);
  assert.match(grown.state.text, /15\/15 rows/);
});

Deno.test("Progress disabled writes nothing", () => {
  const { progress, state } = fake(10, { terminal: true, enabled: false });
  progress.tick(5);
  progress.finish();
  assert.equal(state.text, "");
});
