import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { contentFingerprint, type ManifestFile } from "@lib/lake/mod.ts";

const files: ManifestFile[] = [
  { path: "capacity.parquet", bytes: 2_525_897, sha256: "a".repeat(64) },
  { path: "config.json", bytes: 3_047, sha256: "b".repeat(64) },
];

Deno.test("contentFingerprint() depends on every file's path, size and hash, not on their order", async (t) => {
  const base = contentFingerprint({ files });
  assert.match(base, /^sha256:[0-9a-f]{64}$/);
  assert.equal(contentFingerprint({ files: [...files].reverse() }), base);
  const changed: [string, ManifestFile[]][] = [
    ["a hash", [{ ...files[0], sha256: "c".repeat(64) }, files[1]]],
    ["a size", [{ ...files[0], bytes: 1 }, files[1]]],
    ["a path", [{ ...files[0], path: "capacity-0.parquet" }, files[1]]],
    ["a file less", [files[0]]],
    ["a file more", [...files, { path: "x.parquet", bytes: 0, sha256: "d".repeat(64) }]],
  ];
  for (const [what, list] of changed) {
    await t.step(what, () => assert.notEqual(contentFingerprint({ files: list }), base));
  }
});
