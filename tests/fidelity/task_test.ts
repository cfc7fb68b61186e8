import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * `deno task fidelity` and `deno task validate --fidelity` as subprocesses on a small capacity dataset: the
 * table, fidelity.json beside the dataset, exit codes under --min-score, usage errors, validation.json results.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { capacityDataset } from "../validate/_fixtures.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function run(task: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      "--allow-write=/tmp",
      task,
      ...args,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function copyDataset(): Promise<string> {
  const { dir } = await capacityDataset();
  const copy = await Deno.makeTempDir({ prefix: "opslab-fidelity-" });
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && (!e.name.endsWith(".json") || e.name === "manifest.json" || e.name === "config.json")) {
      await Deno.copyFile(join(dir, e.name), join(copy, e.name));
    }
  }
  return copy;
}

Deno.test("deno task fidelity prints the 11 rows per reference, writes fidelity.json and exits 1 under --min-score", async () => {
  const dir = await copyDataset();
  try {
    const ok = await run("tasks/fidelity.ts", [dir, "--min-score", "0"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /reference bitbrains_rnd/);
    assert.match(ok.stdout, /reference issue-targets/);
    for (let row = 1; row <= 11; row++) assert.match(ok.stdout, new RegExp(`^  ${row} +\\w+ +(pass|FAIL|n/a) `, "m"));
    const report = JSON.parse(await Deno.readTextFile(join(dir, "fidelity.json")));
    assert.equal(report.format, "opslab-fidelity");
    assert.equal(report.comparisons.length, 2);
    assert.ok(report.score > 0 && report.score < 1, `today's capacity output fails some rows: ${report.score}`);
    const under = await run("tasks/fidelity.ts", [dir, "--min-score", "1", "--no-write"]);
    assert.equal(under.code, 1);
    assert.match(under.stderr, /below --min-score 1/);
    const self = await run("tasks/fidelity.ts", [dir, "--reference", join(dir, "fidelity.json"), "--min-score", "1"]);
    assert.equal(self.code, 0, `a dataset against its own profile scores 1:\n${self.stdout}${self.stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task fidelity rejects bad usage with one line and exit 2", async (t) => {
  const { dir } = await capacityDataset();
  for (
    const [args, pattern] of [
      [[dir, "--min-score", "2"], /--min-score must be a number from 0 to 1, got "2"/],
      [[dir, "--metric", "cpu"], /--metric "cpu": expected role=column/],
      [[dir, "--reference", "nope"], /Cannot load reference "nope"/],
      [["/nonexistent/x"], /no dataset folder/],
      [[], /exactly one dataset/],
    ] as [string[], RegExp][]
  ) {
    await t.step(args.join(" ") || "(none)", async () => {
      const r = await run("tasks/fidelity.ts", [...args, "--no-write"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    });
  }
});

Deno.test("deno task validate --fidelity adds the fidelity family as warnings; without it there is none", async () => {
  const dir = await copyDataset();
  try {
    const plain = await run("tasks/validate.ts", [dir]);
    assert.equal(plain.code, 0, plain.stdout);
    let v = JSON.parse(await Deno.readTextFile(join(dir, "validation.json")));
    assert.equal(v.results.filter((r: { family: string }) => r.family === "fidelity").length, 0);
    const withFidelity = await run("tasks/validate.ts", [dir, "--fidelity"]);
    assert.equal(withFidelity.code, 0, "fidelity failures are warnings");
    v = JSON.parse(await Deno.readTextFile(join(dir, "validation.json")));
    const fam = v.results.filter((r: { family: string }) => r.family === "fidelity");
    assert.equal(fam.length, 22, "11 rows x 2 references");
    assert.ok(
      fam.some((r: { id: string; passed: boolean; severity: string }) =>
        r.id === "fidelity.entity_mean_cpu:bitbrains_rnd" && !r.passed && r.severity === "warning"
      ),
    );
    await Deno.stat(join(dir, "fidelity.json"));
    const strict = await run("tasks/validate.ts", [dir, "--fidelity", "--strict", "--no-write"]);
    assert.equal(strict.code, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
