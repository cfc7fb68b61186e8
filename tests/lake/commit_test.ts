import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { createHash } from "node:crypto";
import {
  commitDataset,
  datasetDir,
  expiredDatasets,
  listDatasets,
  lockDataset,
  type ManifestDraft,
  mergeShards,
  readManifest,
} from "@lib/lake/mod.ts";

function draft(name: string, rows = 2): ManifestDraft {
  return {
    name,
    kind: "test",
    layer: "synthetic",
    generator: { name: "t", version: "0" },
    config: {},
    seed: 1,
    primary_table: "t",
    tables: { t: { rows, schema: { a: "Int64" }, files: ["t.csv"] } },
    classification: "internal",
    retention_days: 30,
    lineage: [],
  };
}

async function leftovers(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).filter((n) => n.startsWith("."));
}

Deno.test("commitDataset() writes files and a manifest with their sizes and sha256", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = datasetDir("synthetic", "demo", { root: root });
    const manifest = await commitDataset(dir, async (tmp) => {
      await Deno.writeTextFile(join(tmp, "t.csv"), "a\n1\n2\n");
      return draft("demo");
    }, { created: new Date("2026-01-01T00:00:00Z") });
    assert.equal(manifest.rows, 2);
    assert.deepEqual(manifest.schema, { a: "Int64" });
    assert.equal(manifest.created, "2026-01-01T00:00:00.000Z");
    const bytes = await Deno.readFile(join(dir, "t.csv"));
    assert.deepEqual(manifest.files, [{
      path: "t.csv",
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    }]);
    assert.deepEqual(await readManifest(dir), manifest);
    assert.deepEqual(await leftovers(join(root, "synthetic")), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("commitDataset() leaves nothing behind and keeps the old dataset when writing fails", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = datasetDir("synthetic", "demo", { root: root });
    await commitDataset(dir, async (tmp) => {
      await Deno.writeTextFile(join(tmp, "t.csv"), "old");
      return draft("demo");
    });
    await assert.rejects(
      () =>
        commitDataset(dir, async (tmp) => {
          await Deno.writeTextFile(join(tmp, "t.csv"), "half");
          throw new Error("disk full");
        }),
      /disk full/,
    );
    assert.equal(await Deno.readTextFile(join(dir, "t.csv")), "old");
    assert.deepEqual(await leftovers(join(root, "synthetic")), []);
    const fresh = datasetDir("synthetic", "never", { root: root });
    await assert.rejects(() => commitDataset(fresh, () => Promise.reject(new Error("boom"))), /boom/);
    await assert.rejects(() => Deno.stat(fresh), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("commitDataset() rejects a draft whose primary table is missing", async () => {
  const root = await Deno.makeTempDir();
  try {
    const bad = { ...draft("x"), primary_table: "nope" };
    await assert.rejects(() => commitDataset(join(root, "x"), () => Promise.resolve(bad)), /primary table "nope"/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("commitDataset() replaces only an empty folder or a dataset of the same kind, and leaves nothing behind", async () => {
  const root = await Deno.makeTempDir();
  try {
    const fill = (kind: string) => async (tmp: string) => {
      await Deno.writeTextFile(join(tmp, "t.csv"), "a\n1\n2\n");
      return { ...draft("x"), kind };
    };
    const notes = join(root, "notes");
    await Deno.mkdir(notes);
    await Deno.writeTextFile(join(notes, "todo.txt"), "mine");
    await assert.rejects(() => commitDataset(notes, fill("test")), {
      name: "OutputRefusedError",
      message: /is not a dataset/,
    });
    assert.equal(await Deno.readTextFile(join(notes, "todo.txt")), "mine");
    const empty = join(root, "empty");
    await Deno.mkdir(empty);
    await commitDataset(empty, fill("test"));
    await assert.rejects(() => commitDataset(empty, fill("other")), {
      name: "OutputRefusedError",
      message: /holds a "test" dataset/,
    });
    assert.equal((await readManifest(empty)).kind, "test");
    await commitDataset(empty, fill("test"));
    assert.deepEqual(await leftovers(root), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeShards() refuses while a shard is still being written", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = join(root, "d");
    for (const index of [0, 1]) {
      await commitDataset(join(`${dir}.shards`, `part-${index}-of-2`), async (tmp) => {
        await Deno.writeTextFile(join(tmp, `t${index}.csv`), "a\n1\n");
        return {
          ...draft("d"),
          tables: { t: { rows: 1, schema: { a: "Int64" }, files: [`t${index}.csv`] } },
          shard: { index, count: 2 },
        };
      });
    }
    const writing = await lockDataset(join(`${dir}.shards`, "part-1-of-2"));
    try {
      await assert.rejects(() => mergeShards(dir), /part-1-of-2 is still being written by another run/);
    } finally {
      writing.release();
    }
    assert.equal((await mergeShards(dir)).rows, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("datasetDir() rejects names that would escape the lake", () => {
  assert.throws(() => datasetDir("synthetic", "../etc"), { name: "RangeError", message: /names are letters/ });
  assert.equal(datasetDir("processed", "nab/hourly", { root: "data" }), "data/processed/nab/hourly");
});

Deno.test("listDatasets() finds every manifest and expiredDatasets() picks those past retention", async () => {
  const root = await Deno.makeTempDir();
  try {
    const old = new Date("2020-01-01T00:00:00Z");
    for (const [layer, name, created] of [["synthetic", "a", old], ["processed", "nab/b", new Date()]] as const) {
      await commitDataset(datasetDir(layer, name, { root: root }), async (tmp) => {
        await Deno.writeTextFile(join(tmp, "t.csv"), "a\n1\n");
        return { ...draft(name.replace("/", "-")), layer };
      }, { created });
    }
    // Retention counts from when a dataset was written (its manifest file's time), not from "created".
    await Deno.utime(join(root, "synthetic", "a", "manifest.json"), old, old);
    await Deno.mkdir(join(root, "synthetic", "broken"), { recursive: true });
    await Deno.writeTextFile(join(root, "synthetic", "broken", "manifest.json"), "{}");
    const entries = await listDatasets(root);
    assert.deepEqual(entries.map((e) => e.dir), [
      join(root, "processed", "nab", "b"),
      join(root, "synthetic", "a"),
      join(root, "synthetic", "broken"),
    ]);
    assert.match(entries[2].error ?? "", /Invalid manifest/);
    assert.deepEqual(expiredDatasets(entries, new Date()).map((e) => e.manifest?.name), ["a"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("mergeShards() links every shard's own files and refuses a path two shards hold differently", async () => {
  const root = await Deno.makeTempDir();
  try {
    const dir = join(root, "d");
    const shard = async (index: number, logs: Record<string, string>) => {
      await commitDataset(`${dir}.shards/part-${index}-of-2`, async (tmp) => {
        await Deno.mkdir(join(tmp, "t"));
        await Deno.writeTextFile(join(tmp, "t", `part-${index}.csv`), "a\n1\n");
        await Deno.mkdir(join(tmp, "logs"));
        for (const [name, text] of Object.entries(logs)) await Deno.writeTextFile(join(tmp, "logs", name), text);
        return {
          ...draft("d"),
          tables: { t: { rows: 1, schema: { a: "Int64" }, files: [`t/part-${index}.csv`] } },
          shard: {
            index,
            count: 2,
          },
        };
      });
    };
    await shard(0, { "a.log": "a", "same.log": "s" });
    await shard(1, { "b.log": "b", "same.log": "s" });
    const merged = await mergeShards(dir);
    assert.deepEqual(merged.files.map((f) => f.path), [
      "logs/a.log",
      "logs/b.log",
      "logs/same.log",
      "t/part-0.csv",
      "t/part-1.csv",
    ]);
    assert.equal(merged.rows, 2);
    await shard(0, { "x.log": "one" });
    await shard(1, { "x.log": "two" });
    await assert.rejects(() => mergeShards(join(root, "d")), /logs\/x.log differs between shards/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
