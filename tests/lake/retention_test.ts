import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { Project, SMALL } from "./_project.ts";

const EPOCH = { SOURCE_DATE_EPOCH: "86400" }; // 1970-01-02: every manifest's "created" is decades past retention

Deno.test("lake prune counts retention from when a dataset was written, not from a pinned SOURCE_DATE_EPOCH", async () => {
  const p = await Project.make();
  try {
    for (const name of ["fresh", "stale"]) {
      const r = await p.run("generate", [...SMALL, "--name", name], EPOCH);
      assert.equal(r.code, 0, r.stderr);
    }
    const m = JSON.parse(await Deno.readTextFile(p.path("data", "synthetic", "fresh", "manifest.json")));
    assert.equal(m.created, "1970-01-02T00:00:00.000Z", "created stays pinned");
    // Written 400 days ago (retention 365 by default): the manifest file's time says so.
    const old = new Date(Date.now() - 400 * 86_400_000);
    await Deno.utime(p.path("data", "synthetic", "stale", "manifest.json"), old, old);
    const list = await p.run("lake", ["list"]);
    const year = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 4);
    assert.match(list.stdout, new RegExp(`data/synthetic/fresh .* 1970-01-02 +${year}-`));
    const prune = await p.run("lake", ["prune"]);
    assert.equal(prune.code, 0, prune.stderr);
    assert.match(prune.stdout, /removed data\/synthetic\/stale/);
    assert.match(prune.stdout, /1 of 2 datasets past retention/);
    assert.deepEqual(await p.names("data", "synthetic"), ["fresh"]);
  } finally {
    await p.remove();
  }
});

const KINDS: [string, string[]][] = [
  ["capacity", SMALL.slice(1)],
  ["anomalies", ["--series", "4", "--points", "600"]],
  ["incidents", [
    "--from",
    "2024-03-04",
    "--to",
    "2024-03-05",
    "--servers",
    "8",
    "--cloudfront-requests-per-day",
    "300",
    "--db-records-per-server-hour",
    "2",
  ]],
  ["msp", ["--clients", "3", "--technicians", "2", "--start", "2024-01-01", "--end", "2024-01-20"]],
];

for (const [kind, args] of KINDS) {
  Deno.test(`generate ${kind}: two runs with one seed and SOURCE_DATE_EPOCH write byte-identical manifest.json`, async () => {
    const p = await Project.make();
    try {
      const texts: string[] = [];
      for (const name of ["a", "b"]) {
        const r = await p.run("generate", [kind, ...args, "--output", `data/synthetic/${kind}`, "--overwrite"], EPOCH);
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        texts.push(await Deno.readTextFile(p.path("data", "synthetic", kind, "manifest.json")));
      }
      assert.equal(texts[1], texts[0]);
    } finally {
      await p.remove();
    }
  });
}
