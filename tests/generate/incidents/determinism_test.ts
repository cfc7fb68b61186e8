import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { fixture, FIXTURE_INPUT, makeDataset } from "./_fixture.ts";

Deno.test("the same seed and config give byte-identical files, whatever the chunk size", async () => {
  const a = await fixture();
  const b = await makeDataset({ ...FIXTURE_INPUT, chunk_lines: 777 });
  const hashes = (m: typeof a.manifest) => Object.fromEntries(m.files.map((f) => [f.path, f.sha256]));
  const ha = hashes(a.manifest), hb = hashes(b.manifest);
  assert.deepEqual(Object.keys(hb), Object.keys(ha));
  const differ = Object.keys(ha).filter((p) => ha[p] !== hb[p] && p !== "config.json");
  assert.deepEqual(differ, [], "only config.json (it records chunk_lines) may differ");
  assert.notEqual(ha["config.json"], hb["config.json"]);
});

Deno.test("another seed gives another dataset", async () => {
  const a = await fixture();
  const c = await makeDataset({ ...FIXTURE_INPUT, seed: 8, modalities: ["tickets", "emails"] });
  const ha = Object.fromEntries(a.manifest.files.map((f) => [f.path, f.sha256]));
  const same = c.manifest.files.filter((f) => ha[f.path] === f.sha256 && f.path !== "config.json");
  assert.deepEqual(same, []);
  assert.deepEqual(Object.keys(c.manifest.tables).sort(), ["email_index", "incidents", "tickets"]);
});
