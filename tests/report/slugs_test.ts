import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import type { CatalogEntry } from "@lib/lake/mod.ts";
import { reportSlugs } from "../../tasks/report.ts";

const entry = (dir: string): CatalogEntry => ({ dir, error: "not read in this test" });

Deno.test("reportSlugs() gives every dataset its own page folder, short for data/synthetic/<name>", () => {
  const dirs = [
    "data/synthetic/capacity",
    "data/synthetic/raw", // a synthetic dataset named like a layer
    "data/synthetic/foo",
    "data/foo", // a dataset directly below the root takes "foo": the synthetic one gets its full path
    "data/synthetic/a/b",
    ...Array.from({ length: 4 }, (_, i) => `data/processed/site${i}/cloudfront`),
    ...Array.from({ length: 4 }, (_, i) => `data/raw/logs${i}/cloudfront`),
    "data",
  ];
  const slugs = reportSlugs(dirs.map(entry), "data");
  assert.equal(slugs.size, dirs.length);
  assert.equal(new Set(slugs.values()).size, dirs.length, "no two datasets share a page");
  assert.equal(slugs.get("data/synthetic/capacity"), "capacity");
  assert.equal(slugs.get("data/synthetic/raw"), "raw");
  assert.equal(slugs.get("data/foo"), "foo");
  assert.equal(slugs.get("data/synthetic/foo"), "synthetic/foo");
  assert.equal(slugs.get("data/synthetic/a/b"), "synthetic/a/b");
  assert.equal(slugs.get("data/processed/site2/cloudfront"), "processed/site2/cloudfront");
  assert.equal(slugs.get("data"), "_root");
  for (const slug of slugs.values()) assert.doesNotMatch(slug, /(^|\/)\.\.?(\/|$)|^\//);
});
