import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { readManifest } from "@lib/lake/mod.ts";
import { buildReport } from "@lib/report/mod.ts";
import { builtinProfile, checkFidelity, profileDataset } from "@lib/fidelity/mod.ts";
import { inputOf, makeLake } from "./_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;
const { root, dirs } = await makeLake();
addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

Deno.test("buildReport() adds the fidelity section side by side with the reference when a fidelity report is given", async () => {
  const manifest = await readManifest(dirs.capacity);
  const profile = await profileDataset(dirs.capacity);
  const fidelity = checkFidelity(profile, [
    { name: "bitbrains_rnd", profile: await builtinProfile("bitbrains_rnd") },
    { name: "issue-targets", profile: null },
  ]);
  const without = buildReport(inputOf(dirs.capacity, manifest));
  assert.doesNotMatch(without.html, /id="fidelity"/);
  const report = buildReport({ ...inputOf(dirs.capacity, manifest), fidelity });
  const doc = (parseHTML(report.html) as unknown as { document: Doc }).document;
  const section = doc.querySelector("section#fidelity");
  assert.ok(section, "a fidelity section");
  assert.ok([...doc.querySelectorAll("nav.toc a")].some((a: Doc) => a.textContent === "Fidelity"));
  // One table per reference with the 11 rows of the table.
  const tables = section.querySelectorAll("table");
  assert.equal(tables.length, 2);
  for (const t of tables) assert.equal(t.querySelectorAll("tbody tr").length, 11);
  const labels = [...section.querySelectorAll("svg[aria-label]")].map((s: Doc) => s.getAttribute("aria-label"));
  assert.ok(
    labels.some((l: string) => /^Quantiles of cpu: this dataset against bitbrains_rnd/.test(l)),
    labels.join("\n"),
  );
  assert.ok(labels.some((l: string) => /^Autocorrelation of cpu by lag in hours/.test(l)));
  assert.ok(labels.some((l: string) => /^Spread over entities of cpu mean level/.test(l)));
  assert.ok(report.bytes < 1.5 * 1024 * 1024);
});
