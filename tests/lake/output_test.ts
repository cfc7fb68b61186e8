import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { copyTree, Project, SMALL } from "./_project.ts";
import { FIXTURE_SETS } from "../fixtures/ingest/make_fixtures.ts";
import { writeFixtureFiles } from "../fixtures/ingest/_write.ts";

const FIXTURES = new URL("../fixtures/ingest/cloudfront/", import.meta.url).pathname;

async function snapshot(p: Project, ...parts: string[]): Promise<string> {
  return await Deno.readTextFile(p.path(...parts, "manifest.json"));
}

Deno.test("generate --output refuses the lake root, a layer folder and a folder that is no dataset: exit 2, one line, nothing touched", async () => {
  const p = await Project.make();
  try {
    const made = await p.run("generate", [...SMALL, "--name", "keep"]);
    assert.equal(made.code, 0, made.stderr);
    const before = await snapshot(p, "data", "synthetic", "keep");
    await Deno.mkdir(p.path("data", "synthetic", "notes"));
    await Deno.writeTextFile(p.path("data", "synthetic", "notes", "todo.txt"), "mine\n");
    for (const output of ["data/synthetic", "data", "data/raw", ".", "data/synthetic/notes"]) {
      const r = await p.run("generate", [...SMALL, "--output", output]);
      assert.equal(r.code, 2, `--output ${output}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      // "data" and "." are refused already by the write-scope check (their parent is outside it), the rest by the claim.
      assert.match(r.stderr, new RegExp(`^error: Cannot write (--output )?"${output.replaceAll(".", "\\.")}": `));
    }
    assert.equal(await snapshot(p, "data", "synthetic", "keep"), before);
    assert.equal(await Deno.readTextFile(p.path("data", "synthetic", "notes", "todo.txt")), "mine\n");
    assert.deepEqual(await p.names("data", "synthetic"), ["keep", "notes"]);
    assert.deepEqual(await p.names("data"), ["synthetic"]);
  } finally {
    await p.remove();
  }
});

Deno.test("replacing a dataset needs --overwrite, and only a dataset of the same kind is replaced", async () => {
  const p = await Project.make();
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "c"])).code, 0);
    const first = await snapshot(p, "data", "synthetic", "c");
    const again = await p.run("generate", [...SMALL, "--name", "c", "--seed", "7"]);
    assert.equal(again.code, 2, again.stderr);
    assert.equal(
      again.stderr.trim(),
      `error: Cannot write "data/synthetic/c": it already holds a "capacity" dataset; add --overwrite to replace it`,
    );
    assert.equal(await snapshot(p, "data", "synthetic", "c"), first);
    const other = await p.run("generate", [
      "anomalies",
      "--series",
      "2",
      "--points",
      "600",
      "--output",
      "data/synthetic/c",
      "--overwrite",
    ]);
    assert.equal(other.code, 2, other.stderr);
    assert.match(other.stderr, /holds a "capacity" dataset; a "anomalies" run may not replace it/);
    assert.equal(await snapshot(p, "data", "synthetic", "c"), first);
    const over = await p.run("generate", [...SMALL, "--name", "c", "--seed", "7", "--overwrite"]);
    assert.equal(over.code, 0, over.stderr);
    assert.notEqual(await snapshot(p, "data", "synthetic", "c"), first);
    assert.deepEqual(await p.names("data", "synthetic"), ["c"]);
  } finally {
    await p.remove();
  }
});

Deno.test("--merge needs --overwrite to replace the dataset it merges into", async () => {
  const p = await Project.make();
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "m"])).code, 0);
    const before = await snapshot(p, "data", "synthetic", "m");
    for (const k of [0, 1]) {
      assert.equal((await p.run("generate", [...SMALL, "--name", "m", "--shard", `${k}/2`])).code, 0);
    }
    const merge = await p.run("generate", [...SMALL, "--name", "m", "--merge"]);
    assert.equal(merge.code, 2, merge.stderr);
    assert.match(merge.stderr, /add --overwrite/);
    assert.equal(await snapshot(p, "data", "synthetic", "m"), before);
    assert.deepEqual(await p.names("data", "synthetic", "m.shards"), ["part-0-of-2", "part-1-of-2"]);
    const over = await p.run("generate", [...SMALL, "--name", "m", "--merge", "--overwrite"]);
    assert.equal(over.code, 0, over.stderr);
    assert.deepEqual(await p.names("data", "synthetic"), ["m"]);
  } finally {
    await p.remove();
  }
});

Deno.test("a run never writes over its own inputs: ingest --output on its --input, generate --inject-into on its --output", async () => {
  const p = await Project.make();
  try {
    const raw = p.path("data", "raw", "logs", "cloudfront");
    await copyTree(FIXTURES, raw);
    const logs = await p.names("data", "raw", "logs", "cloudfront");
    for (const output of ["data/raw/logs/cloudfront", "data/raw/logs", "data/raw/logs/cloudfront/out"]) {
      const r = await p.run("ingest", [
        "cloudfront",
        "--input",
        "data/raw/logs/cloudfront",
        "--output",
        output,
        "--overwrite",
      ]);
      assert.equal(r.code, 2, `--output ${output}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`Cannot write "${output}": it (holds|lies inside) "data/raw/logs/cloudfront"`));
    }
    assert.deepEqual(await p.names("data", "raw", "logs", "cloudfront"), logs);
    assert.deepEqual(await p.names("data", "raw", "logs"), ["cloudfront"]);

    assert.equal((await p.run("generate", [...SMALL, "--name", "src"])).code, 0);
    const before = await snapshot(p, "data", "synthetic", "src");
    const inject = await p.run("generate", [
      "anomalies",
      "--inject-into",
      "data/synthetic/src",
      "--output",
      "data/synthetic/src",
      "--overwrite",
    ]);
    assert.equal(inject.code, 2, inject.stderr);
    assert.match(
      inject.stderr,
      /Cannot write "data\/synthetic\/src": it holds "data\/synthetic\/src", an input of this run/,
    );
    assert.equal(await snapshot(p, "data", "synthetic", "src"), before);
  } finally {
    await p.remove();
  }
});

const GENERATE: [string, string[]][] = [
  ["capacity", SMALL.slice(1)],
  ["anomalies", ["--series", "4", "--points", "600"]],
  ["incidents", ["--from", "2024-03-04", "--to", "2024-03-05", "--servers", "8", "--modalities", "tickets,emails"]],
  ["msp", ["--clients", "3", "--technicians", "2", "--start", "2024-01-01", "--end", "2024-01-20"]],
];

Deno.test("every generate kind and every ingest source needs --overwrite to replace its dataset", async (t) => {
  const p = await Project.make();
  try {
    const runs: [string, string[], string][] = GENERATE.map(([kind, args]) => [
      "generate",
      [kind, ...args, "--output", `data/synthetic/${kind}`],
      `data/synthetic/${kind}`,
    ]);
    for (const source of ["nab", "cloudfront", "tickets"]) {
      await writeFixtureFiles(p.path("data", "raw", source), FIXTURE_SETS[source as keyof typeof FIXTURE_SETS]());
      runs.push([
        "ingest",
        [source, "--input", `data/raw/${source}`, "--output", `data/processed/x/${source}`],
        `data/processed/x/${source}`,
      ]);
    }
    for (const [task, args, dir] of runs) {
      await t.step(`${task} ${args[0]}`, async () => {
        const first = await p.run(task, args);
        assert.equal(first.code, 0, first.stderr);
        const before = await Deno.readTextFile(p.path(dir, "manifest.json"));
        const again = await p.run(task, args);
        assert.equal(again.code, 2, again.stderr);
        assert.match(
          again.stderr,
          new RegExp(`Cannot write "${dir}": it already holds a "${args[0]}" dataset; add --overwrite`),
        );
        assert.equal(await Deno.readTextFile(p.path(dir, "manifest.json")), before);
        const over = await p.run(task, [...args, "--overwrite"]);
        assert.equal(over.code, 0, over.stderr);
      });
    }
  } finally {
    await p.remove();
  }
});
