import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Checks files end to end, as a user runs them (`deno task validate` in a throwaway copy of the project): suggest
 * a checks file from a CSV outside the project, gate that file and a corrupted copy with it (failed checks with
 * their rows), warn and error levels and their exit codes, a bad checks file, and a dataset of a kind.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse } from "yaml";
import { copyProject } from "../tasks/_project.ts";

const project = await copyProject();
const outside = await Deno.makeTempDir({ prefix: "opslab-checks-" });
addEventListener("unload", () => {
  Deno.removeSync(project, { recursive: true });
  Deno.removeSync(outside, { recursive: true });
});

async function task(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command("deno", {
    args: ["task", "-q", ...args],
    cwd: project,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: o.code, out: d.decode(o.stdout), err: d.decode(o.stderr) };
}

/** 3 hosts x 200 five-minute rows; every 50th latency missing. */
function csv(edit: (cells: string[], i: number) => void = () => {}): string {
  const rows = ["timestamp,host,latency_ms,status"];
  let i = 0;
  for (const host of ["web-1", "web-2", "web-3"]) {
    for (let k = 0; k < 200; k++, i++) {
      const t = new Date(Date.UTC(2024, 0, 1) + k * 300_000).toISOString();
      const cells = [t, host, i % 50 === 7 ? "" : String(40 + ((i * 37) % 60)), i % 4 === 0 ? "error" : "ok"];
      edit(cells, i);
      rows.push(cells.join(","));
    }
  }
  return rows.join("\n") + "\n";
}

Deno.test("validate --suggest writes a checks file from a CSV outside the project; --checks gates it and a corrupted copy", async () => {
  const good = join(outside, "orders.csv");
  await Deno.writeTextFile(good, csv());
  const suggested = await task("validate", "--suggest", good);
  assert.equal(suggested.code, 0, suggested.err);
  const file = parse(suggested.out);
  assert.deepEqual(file.key, ["host", "timestamp"]);
  assert.deepEqual(file.time, { column: "timestamp", entity: "host", cadence: "5m" });
  assert.deepEqual(file.columns.status.values, ["error", "ok"]);
  assert.ok(file.columns.latency_ms.nulls.warn > 0 && file.columns.latency_ms.min < 40);
  const checks = join(outside, "orders.checks.yaml");
  await Deno.writeTextFile(checks, suggested.out);

  const pass = await task("validate", "--checks", checks, good, "--json");
  assert.equal(pass.code, 0, pass.out + pass.err);

  const bad = join(outside, "orders-bad.csv");
  await Deno.writeTextFile(
    bad,
    csv((c, i) => {
      if (i === 10) c[3] = "teapot";
      if (i === 20) c[2] = "9999";
      if (i % 10 === 3) c[2] = "";
    }),
  );
  const fail = await task("validate", "--checks", checks, bad, "--json");
  assert.equal(fail.code, 1, fail.err);
  const [v] = JSON.parse(fail.out);
  const failed = Object.fromEntries(
    v.results.filter((r: { passed: boolean }) => !r.passed).map((r: { id: string }) => [r.id, r]),
  );
  assert.equal(failed["validity.enum:status"].failing_rows.rows[0].at(-1), "teapot");
  assert.deepEqual(failed["validity.range:latency_ms"].failing_rows.columns, ["host", "timestamp", "latency_ms"]);
  const nulls = failed["completeness.null_rate:latency_ms"];
  assert.equal(nulls.severity, "error", "72 of 600 missing is above the error level");
  assert.match(nulls.threshold, /checks file/);
  assert.ok(nulls.failing_rows.total >= 60);
});

Deno.test("validate --checks: above warn only is a warning (exit 0, --strict 1); a bad checks file is one line, exit 2", async () => {
  const file = join(outside, "warn.csv");
  await Deno.writeTextFile(file, csv());
  const levels = join(outside, "levels.yaml");
  await Deno.writeTextFile(levels, "columns:\n  latency_ms:\n    nulls: { warn: 0.001, error: 0.5 }\n");
  const warned = await task("validate", "--checks", levels, file);
  assert.equal(warned.code, 0, warned.out + warned.err);
  assert.match(warned.out, /warn completeness\.null_rate:latency_ms/);
  assert.equal((await task("validate", "--checks", levels, file, "--strict")).code, 1);

  const typo = join(outside, "typo.yaml");
  await Deno.writeTextFile(typo, "colums:\n  x: { type: Float64 }\n");
  const bad = await task("validate", "--checks", typo, file);
  assert.equal(bad.code, 2);
  assert.equal(bad.err.trim().split("\n").length, 1, bad.err);
  assert.match(bad.err, /colums .*did you mean "columns"/);
  const order = join(outside, "order.yaml");
  await Deno.writeTextFile(order, "columns:\n  x: { nulls: { warn: 0.5, error: 0.1 } }\n");
  const wrong = await task("validate", "--checks", order, file);
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /columns\.x\.nulls\.warn .*warn must not be above error/);
  // --out never replaces a file.
  await Deno.mkdir(join(project, "data"), { recursive: true });
  await Deno.writeTextFile(join(project, "data", "taken.yaml"), "# mine\n");
  const refused = await task("validate", "--suggest", file, "--out", "data/taken.yaml");
  assert.equal(refused.code, 2);
  assert.equal(await Deno.readTextFile(join(project, "data", "taken.yaml")), "# mine\n");
});

Deno.test("a dataset of a kind keeps its own checks under --checks and takes the file's levels", async () => {
  const gen = await task("generate", "capacity", "--servers", "4", "--years", "1", "--name", "gated");
  assert.equal(gen.code, 0, gen.err);
  const levels = join(outside, "kind-levels.yaml");
  // A level by id on a built-in check: more than 100 rows is a warning here.
  await Deno.writeTextFile(levels, "checks:\n  completeness.rows: { warn: 100 }\n");
  const r = await task("validate", "gated", "--checks", levels, "--json", "--no-write");
  assert.equal(r.code, 0, r.err);
  const [v] = JSON.parse(r.out);
  assert.equal(v.kind, "capacity");
  const rows = v.results.find((x: { id: string }) => x.id === "completeness.rows");
  assert.deepEqual([rows.passed, rows.severity, rows.threshold], [false, "warning", "warn > 100 (checks file)"]);
  assert.ok(v.results.some((x: { id: string }) => x.id.startsWith("correlation.")), "the kind's own checks ran");
});
