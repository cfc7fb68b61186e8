/**
 * Reports built from the validator's real results: the figures shown are the validator's, to the digit.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { readManifest } from "@lib/lake/mod.ts";
import { buildReport } from "@lib/report/mod.ts";
import { type DatasetValidation, validateDataset } from "@lib/validate/mod.ts";
import { inputOf, makeLake } from "./_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;
const parse = (page: string): Doc => (parseHTML(page) as unknown as { document: Doc }).document;

const SHORT: Record<string, string> = { cpu_p95: "cpu", mem_p95: "mem", disk_p95: "disk", net_in_p95: "net" };

const { root, dirs } = await makeLake();
addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

Deno.test("a validated capacity report shows the validator's correlations and calendar factors exactly", async () => {
  const manifest = await readManifest(dirs.capacity);
  const base = inputOf(dirs.capacity, manifest);
  const validation = JSON.parse(JSON.stringify(
    validateDataset(base.tables[manifest.primary_table], manifest, { tables: base.tables, path: dirs.capacity }),
  )) as DatasetValidation;
  const doc = parse(buildReport({ ...base, validation }).html);

  const correlations = validation.results.filter((r) => r.id.startsWith("correlation.pearson:"));
  assert.ok(correlations.length > 0, "the validator measures correlations");
  const rows = [...doc.querySelectorAll("#correlation table.correlations tbody tr")];
  const measured = correlations.filter((r) => typeof r.measured === "number");
  assert.equal(rows.length, measured.length);
  const shown = new Map(rows.map((tr: Doc) => {
    const td = tr.querySelectorAll("td");
    const [x, y] = [...td[1].querySelectorAll("code")].map((c: Doc) => SHORT[c.textContent]);
    const key = `correlation.pearson:${td[0].textContent}:${x}_${y}`;
    return [key, { value: Number(td[2].getAttribute("data-value")), verdict: td[6].textContent }];
  }));
  for (const r of measured) {
    const got = shown.get(r.id);
    assert.ok(got, `row for ${r.id}`);
    assert.equal(got.value, r.measured, r.id);
    assert.equal(/within/.test(got.verdict), r.passed, `${r.id} verdict`);
  }

  const factors = validation.results.filter((r) =>
    /^seasonality\.(weekend_ratio|eoq_uplift|holiday_dip):/.test(r.id) && typeof r.measured === "number"
  );
  assert.ok(factors.length > 0, "the validator measures calendar factors");
  const effects = [...doc.querySelectorAll("#seasonality table.effects tbody tr")]
    .filter((tr: Doc) => tr.querySelectorAll("td")[6].textContent === "validator");
  assert.equal(effects.length, factors.length);
  for (const r of factors) {
    const [, kind, group] = /^seasonality\.(\w+):(.+)$/.exec(r.id)!;
    const label = {
      weekend_ratio: "Weekend / weekday",
      eoq_uplift: "Quarter-end peak / plain day",
      holiday_dip: "Holiday / plain day",
    }[kind]!;
    const tr = effects.find((x: Doc) =>
      x.querySelectorAll("td")[0].textContent === group && x.querySelectorAll("td")[1].textContent === label
    );
    assert.ok(tr, `row for ${r.id}`);
    const value = Number(tr.querySelectorAll("td")[2].getAttribute("data-value"));
    const expected = kind === "eoq_uplift"
      ? 1 + (r.measured as number)
      : kind === "holiday_dip"
      ? 1 - (r.measured as number)
      : r.measured;
    assert.equal(value, expected, r.id);
    assert.equal(tr.querySelectorAll("td")[7].textContent === "as configured", r.passed, `${r.id} verdict`);
  }

  const table = [...doc.querySelectorAll("#quality table.results tbody tr")];
  assert.equal(table.length, validation.results.length, "every check is listed");
});
