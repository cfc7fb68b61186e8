import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { findLeftovers, isLockHeld, lockDataset, lockPath } from "@lib/lake/mod.ts";

const LOCK = new URL("../../lib/lake/lock.ts", import.meta.url).href;

/** Tries the lock from another process; resolves to its one-line outcome. */
async function tryFromAnotherProcess(dir: string): Promise<string> {
  const code = `import { lockDataset } from "${LOCK}";
try { const l = await lockDataset(${JSON.stringify(dir)}); l.release(); console.log("acquired"); }
catch (e) { console.log(e.name + ": " + e.message); }`;
  const out = await new Deno.Command("deno", {
    args: ["eval", "--no-prompt", "--allow-read", "--allow-write=/tmp", "--allow-sys", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim() || new TextDecoder().decode(out.stderr);
}

Deno.test("lockDataset() excludes other processes, is re-entrant in one, and its lock file goes with the last release", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = join(root, "synthetic", "x");
    const a = await lockDataset(dir);
    const b = await lockDataset(dir);
    assert.ok(isLockHeld(lockPath(dir)));
    const owner = JSON.parse(await Deno.readTextFile(lockPath(dir)));
    assert.equal(owner.pid, Deno.pid);
    assert.match(
      await tryFromAnotherProcess(dir),
      new RegExp(`^DatasetBusyError: Cannot write ".*x": another run is writing it \\(pid ${Deno.pid} on `),
    );
    // A live run's lock and temporary folder are not leftovers.
    await Deno.mkdir(join(root, "synthetic", ".x.tmp-1-abc"));
    assert.deepEqual(await findLeftovers(root), []);
    a.release();
    assert.ok(isLockHeld(lockPath(dir)), "still held by the second hold");
    b.release();
    await assert.rejects(() => Deno.stat(lockPath(dir)), Deno.errors.NotFound);
    assert.equal(await tryFromAnotherProcess(dir), "acquired");
    assert.deepEqual((await findLeftovers(root)).map((l) => [l.what, l.path]), [
      ["temp", join(root, "synthetic", ".x.tmp-1-abc")],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
