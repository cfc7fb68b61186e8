import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Inputs named on the command line are read wherever they are, while writes stay narrow: each task as a user runs
 * it (`deno task …` in a throwaway copy of the project), with its inputs in a folder outside the project.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyProject, taskDefinitions } from "./_project.ts";

const project = await copyProject();
const outside = await Deno.makeTempDir({ prefix: "opslab-outside-" });
addEventListener("unload", () => {
  Deno.removeSync(project, { recursive: true });
  Deno.removeSync(outside, { recursive: true });
});

async function task(...args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command("deno", {
    args: ["task", ...args],
    cwd: project,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

const DENIED = /Requires read access|NotCapable/;

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("deno task generate reads a --config outside the project", async () => {
  const config = join(outside, "cfg.yaml");
  await Deno.writeTextFile(config, "servers: 2\nyears: 1\nname: ext\n");
  const run = await task("generate", "capacity", "--config", config);
  assert.doesNotMatch(run.text, DENIED);
  assert.equal(run.code, 0, run.text);
  assert.ok(await exists(join(project, "data/synthetic/ext/manifest.json")));
});

Deno.test("deno task validate reads a file outside the project and writes nothing beside it", async () => {
  const csv = join(outside, "ext.csv");
  await Deno.writeTextFile(
    csv,
    "timestamp,server_id,cpu_p95\n2024-01-01T00:00:00Z,s1,10.5\n2024-01-01T01:00:00Z,s1,11\n",
  );
  const run = await task("validate", csv);
  assert.doesNotMatch(run.text, DENIED);
  assert.equal(run.code, 0, run.text);
  assert.match(run.text, /ok\s+ext\s/);
  assert.equal(await exists(`${csv}.validation.json`), false, "nothing written outside the write folders");
});

Deno.test("deno task ingest reads an --input outside the project", async () => {
  const input = join(outside, "nab");
  const fixture = new URL("../fixtures/ingest/nab", import.meta.url).pathname;
  await new Deno.Command("cp", { args: ["-r", fixture, input] }).output();
  const run = await task("ingest", "nab", "--input", input);
  assert.doesNotMatch(run.text, DENIED);
  assert.equal(run.code, 0, run.text);
  assert.ok(await exists(join(project, "data/processed/metrics/nab/manifest.json")));
});

Deno.test("writes stay narrow: an --output outside the write folders is refused before anything starts", async () => {
  const target = join(outside, "out");
  const run = await task("generate", "capacity", "--servers", "2", "--years", "1", "--output", target);
  assert.equal(run.code, 2, run.text);
  assert.match(run.text, /outside the folders this task may write/);
  assert.equal(await exists(target), false);
});

Deno.test("deno.json: every task's writes are a list of folders, never all; no task runs with -A", async () => {
  for (const [name, command] of Object.entries(await taskDefinitions())) {
    assert.doesNotMatch(command, /(^|\s)(-A|--allow-all)(\s|$)/, name);
    assert.doesNotMatch(command, /--allow-write(\s|$)/, `${name}: --allow-write without a list`);
  }
});

Deno.test("deno task lake lists a lake root outside the project; prune there is refused, --dry-run only lists", async () => {
  const root = join(outside, "lake");
  // A dataset written by the generator into the outside lake (with the test's own write permission).
  const gen = await new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${outside}`,
      "tasks/generate.ts",
      "capacity",
      "--servers",
      "2",
      "--years",
      "1",
      "--output",
      join(root, "synthetic/outside"),
    ],
    cwd: project,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(gen.code, 0, new TextDecoder().decode(gen.stderr));
  const list = await task("lake", "list", "--root", root);
  assert.doesNotMatch(list.text, DENIED);
  assert.equal(list.code, 0, list.text);
  assert.match(list.text, /synthetic\/outside\s+capacity\s+730/);
  const prune = await task("lake", "prune", "--root", root);
  assert.equal(prune.code, 2, prune.text);
  assert.match(prune.text, /Cannot write --root .*outside the folders this task may write/);
  const dry = await task("lake", "prune", "--root", root, "--dry-run");
  assert.equal(dry.code, 0, dry.text);
  assert.match(dry.text, /0 of 1 datasets past retention/);
  assert.ok(await exists(join(root, "synthetic/outside/manifest.json")));
});
