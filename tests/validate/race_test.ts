/**
 * Validation results are bound to the content they checked: a `deno task validate` whose dataset is replaced
 * while it runs (a regenerate of the same name) must never leave its result, pass or fail, in the new dataset.
 * A real race: the validator runs as a subprocess with the task's permissions and the test swaps the folder the
 * way a commit does (rename the old one away, rename the new one in) at several points of its run.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { contentFingerprint, type Manifest, readManifest } from "@lib/lake/mod.ts";
import { readStoredValidation } from "@lib/validate/mod.ts";
import { CREATED } from "./_fixtures.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const work = await Deno.makeTempDir({ prefix: "opslab-race-" });
addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

async function make(name: string, servers: number): Promise<{ dir: string; manifest: Manifest }> {
  const config = resolveConfig(CapacityConfig, { flags: { servers }, what: "capacity" });
  const dir = join(work, "made", name);
  return { dir, manifest: await writeCapacityDataset(config, dir, { created: CREATED }) };
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isFile && e.name !== "validation.json" && e.name !== "schema.json") {
      await Deno.copyFile(join(from, e.name), join(to, e.name));
    }
  }
}

function validate(dir: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${work}`,
      "tasks/validate.ts",
      dir,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; text: string }> {
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("a validation whose dataset is replaced while it runs never leaves its result in the new dataset", async () => {
  // Old: the default 120 servers (175,320 rows, passes); new: 10 servers, the same name and layout.
  const before = await make("before", 120);
  const after = await make("after", 10);
  const bound = contentFingerprint(after.manifest);
  assert.notEqual(contentFingerprint(before.manifest), bound);

  // Undisturbed, the result is written and bound to the content it checked.
  const lake = join(work, "lake", "synthetic", "capacity");
  await copyDir(before.dir, lake);
  const t0 = performance.now();
  const quiet = await finish(validate(lake));
  const took = performance.now() - t0;
  assert.equal(quiet.code, 0, quiet.text);
  const stored = await readStoredValidation(lake, before.manifest);
  assert.equal(stored.status, "pass");
  assert.equal(stored.validation?.content, contentFingerprint(before.manifest));
  assert.equal((await readStoredValidation(lake, after.manifest)).status, "stale");

  // Raced: swap the new dataset in at points spread over the run, until the swap has landed mid-run twice.
  const fractions = [0.5, 0.65, 0.8, 0.4, 0.7, 0.55, 0.75, 0.6];
  let hits = 0;
  for (const [trial, fraction] of fractions.entries()) {
    if (hits >= 2) break;
    await Deno.remove(join(work, "lake"), { recursive: true });
    await copyDir(before.dir, lake);
    const incoming = join(work, "lake", "synthetic", `.capacity.tmp-${trial}`);
    await copyDir(after.dir, incoming);
    const child = validate(lake);
    await new Promise((resolve) => setTimeout(resolve, took * fraction));
    await Deno.rename(lake, `${incoming}.old`);
    await Deno.rename(incoming, lake);
    const run = await finish(child);
    const current = await readManifest(lake);
    assert.equal(contentFingerprint(current), bound);
    const landed = await Deno.readTextFile(join(lake, "validation.json")).then(JSON.parse, () => null);
    if (landed !== null) {
      // Only a validation that read the new dataset from its start may have written here.
      assert.equal(landed.content, bound, `trial ${trial}: a result of other content landed:\n${run.text}`);
      assert.equal(run.code, 0, run.text);
    }
    const status = (await readStoredValidation(lake, current)).status;
    assert.ok(status === "not validated" || status === "pass", `trial ${trial}: ${status}`);
    if (/changed during validation/.test(run.text)) {
      hits++;
      assert.equal(run.code, 1, run.text);
      assert.match(run.text, /^error: ".*" changed during validation \(another run replaced it\)/m);
      assert.equal(landed, null);
    }
  }
  assert.ok(hits >= 1, "no trial replaced the dataset while validation ran: the race was never exercised");
});
