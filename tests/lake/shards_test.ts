import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { Project, SMALL } from "./_project.ts";

Deno.test("a finished shard is never taken for the dataset: generate names its folder, lake list says shard k/n of <name>, validate and report skip or refuse it", async () => {
  const p = await Project.make();
  try {
    const gen = await p.run("generate", [...SMALL, "--name", "wk", "--shard", "0/2"]);
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /-> data\/synthetic\/wk\.shards\/part-0-of-2 \(shard 0\/2 of data\/synthetic\/wk\)/);
    assert.ok(!gen.stdout.includes("-> data/synthetic/wk "), gen.stdout);

    const list = await p.run("lake", ["list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /data\/synthetic\/wk\.shards\/part-0-of-2 +shard 0\/2 of wk /);

    const all = await p.run("validate", ["--json"]);
    assert.deepEqual(JSON.parse(all.stdout), [], `no dataset to validate:\n${all.stdout}`);
    const byName = await p.run("validate", ["wk"]);
    assert.notEqual(byName.code, 0);
    assert.match(byName.stdout + byName.stderr, /no dataset of that name/);
    const path = await p.run("validate", ["data/synthetic/wk.shards/part-0-of-2"]);
    assert.notEqual(path.code, 0);
    assert.match(path.stdout + path.stderr, /it is shard 0\/2 of wk, not a dataset; merge the shards first/);
    assert.deepEqual(
      await p.names("data", "synthetic", "wk.shards", "part-0-of-2").then((n) => n.includes("validation.json")),
      false,
    );

    const named = await p.run("report", ["data/synthetic/wk.shards/part-0-of-2", "--out", "reports"]);
    assert.equal(named.code, 2, named.stderr);
    assert.match(
      named.stderr,
      /Cannot report "data\/synthetic\/wk\.shards\/part-0-of-2": it is shard 0\/2 of wk, not a dataset/,
    );
    const report = await p.run("report", ["--out", "reports"]);
    assert.equal(report.code, 0, report.stderr);
    assert.deepEqual((await p.names("reports")).filter((n) => n.includes("wk")), []);
    assert.ok(!(await Deno.readTextFile(p.path("reports", "index.html"))).includes("wk"));
  } finally {
    await p.remove();
  }
});

Deno.test("a malformed --shard is a usage error for every generate kind: exit 2, one line, nothing written", async () => {
  const p = await Project.make();
  try {
    for (const kind of ["capacity", "anomalies", "incidents", "msp"]) {
      for (const bad of ["3/2", "x", "1/0"]) {
        const r = await p.run("generate", [kind, "--name", "bad", "--shard", bad]);
        assert.equal(r.code, 2, `${kind} --shard ${bad}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`^error: --shard: Invalid shard "${bad}"`));
      }
    }
    assert.deepEqual(await p.names("data", "synthetic"), []);
  } finally {
    await p.remove();
  }
});
