import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";

const REPO = new URL("../../", import.meta.url).pathname;
const README = await Deno.readTextFile(join(REPO, "README.md"));

Deno.test("the README sends readers to no file outside the repository", () => {
  const outside = [...README.matchAll(/(?:^|[\s`(])(\.\.\/[^\s`)]*)/gm)].map((m) => m[1]);
  assert.deepEqual(outside, []);
});

Deno.test("every file of the repository the README names exists", async () => {
  const named = new Set(
    [...README.matchAll(/`((?:lib|tasks|tests|notebooks|\.ci)\/[\w./-]+\.(?:ts|json|ipynb)|\.ci\/run)`/g)].map((m) =>
      m[1]
    ),
  );
  assert.ok(named.size > 5);
  const missing = [];
  for (const path of named) {
    if (!(await Deno.stat(join(REPO, path)).then(() => true, () => false))) missing.push(path);
  }
  assert.deepEqual(missing, []);
});
