/**
 * Recall and precision of the PII detectors on a labelled corpus (tests/fixtures/pii_corpus.json): strings with
 * the detectors that must fire, and hard negatives (versions, timestamps, log ids, reserved domains,
 * documentation and truncated addresses, fictional numbers and names, generator output). The "dev" part was used
 * to tune the detectors; the "holdout" part was written afterwards and is scored as it came. Floors sit just under
 * what the detectors reach, so a change that loses recall or precision fails here.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { detectPii, PII_KINDS, type PiiKind, scanPii } from "@lib/validate/mod.ts";
import { readCorpus, scoreCorpus } from "./_pii_corpus.ts";

Deno.test("the PII corpus holds at least 300 labelled strings, both sides, every detector among them", async () => {
  const corpus = await readCorpus();
  assert.ok(corpus.length >= 300, `${corpus.length} strings`);
  const positives = corpus.filter((e) => e.pii.length > 0).length;
  assert.ok(
    positives >= 150 && corpus.length - positives >= 150,
    `${positives} positive, ${corpus.length - positives} negative`,
  );
  for (const k of PII_KINDS) assert.ok(corpus.filter((e) => e.pii.includes(k)).length >= 10, k);
  assert.ok(corpus.filter((e) => e.split === "holdout").length >= 90);
});

Deno.test("the PII detectors reach their recall and precision floors on the corpus", async () => {
  const corpus = await readCorpus();
  const all = scoreCorpus(corpus);
  const floors: Record<PiiKind, [recall: number, precision: number]> = {
    email: [0.97, 0.97],
    ipv4: [0.97, 0.95],
    ipv6: [0.97, 0.97],
    phone: [0.95, 0.97],
    card: [0.97, 0.97],
    ssn: [0.97, 0.97],
    iban: [0.97, 0.97],
    name: [0.9, 0.9],
  };
  for (const k of PII_KINDS) {
    const s = all[k];
    const why = `${k}: recall ${s.recall.toFixed(3)} (missed ${JSON.stringify(s.missed)}), precision ` +
      `${s.precision.toFixed(3)} (false ${JSON.stringify(s.false)})`;
    assert.ok(s.recall >= floors[k][0] && s.precision >= floors[k][1], why);
  }
  assert.ok(all.overall.recall >= 0.97 && all.overall.precision >= 0.97, JSON.stringify(all.overall));
  const holdout = scoreCorpus(corpus.filter((e) => e.split === "holdout")).overall;
  assert.ok(holdout.recall >= 0.9 && holdout.precision >= 0.95, JSON.stringify(holdout));
});

Deno.test("scanPii() on a column of the corpus finds what the detectors find string by string", async () => {
  const corpus = await readCorpus();
  const df = pl.DataFrame({ text: corpus.map((e) => e.text) });
  const found = scanPii(df, ["text"], { kinds: PII_KINDS });
  for (const k of PII_KINDS) {
    const want = corpus.filter((e) => detectPii(e.text, { kinds: [k] }).length > 0).length;
    assert.equal(found.find((f) => f.kind === k)?.values ?? 0, want, k);
  }
});
