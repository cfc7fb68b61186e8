import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { Project, SMALL, symlink } from "./_project.ts";

const LONG_AGO = new Date("2001-01-01T00:00:00Z");

Deno.test("lake prune --root through a symbolic link out of the lake is refused, and nothing outside is removed", async () => {
  const p = await Project.make();
  const outside = await Deno.makeTempDir({ prefix: "opslab-outside-" });
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "x"])).code, 0);
    await Deno.rename(p.path("data", "synthetic", "x"), join(outside, "x"));
    await Deno.utime(join(outside, "x", "manifest.json"), LONG_AGO, LONG_AGO);
    await Deno.writeTextFile(join(outside, "precious.txt"), "keep\n");
    await symlink(outside, p.path("data", "link"));
    const r = await p.run("lake", ["prune", "--root", "data/link"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /Cannot use lake root "data\/link": it leads through a symbolic link to ".*opslab-outside-.*", outside the lake "data"/,
    );
    assert.deepEqual((await Array.fromAsync(Deno.readDir(outside))).map((e) => e.name).sort(), ["precious.txt", "x"]);
  } finally {
    await p.remove();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("a symbolic link to a dataset is listed with a warning and never followed by lake prune", async () => {
  const p = await Project.make();
  const outside = await Deno.makeTempDir({ prefix: "opslab-outside-" });
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "x"])).code, 0);
    await Deno.rename(p.path("data", "synthetic", "x"), join(outside, "x"));
    await Deno.utime(join(outside, "x", "manifest.json"), LONG_AGO, LONG_AGO);
    await symlink(join(outside, "x"), p.path("data", "synthetic", "ext"));
    const list = await p.run("lake", ["list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stderr,
      /warning: data\/synthetic\/ext is a symbolic link to .*opslab-outside-.*\/x: listed, never followed for deletion/,
    );
    assert.match(list.stdout, /data\/synthetic\/ext -> .*\/x +capacity/);
    const prune = await p.run("lake", ["prune"]);
    assert.equal(prune.code, 0, prune.stderr);
    assert.ok(!prune.stdout.includes("removed"), prune.stdout);
    assert.ok((await Deno.lstat(p.path("data", "synthetic", "ext"))).isSymlink);
    assert.ok((await Deno.stat(join(outside, "x", "manifest.json"))).isFile);
  } finally {
    await p.remove();
    await Deno.remove(outside, { recursive: true });
  }
});
