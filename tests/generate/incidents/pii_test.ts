import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { scanPii } from "@lib/validate/mod.ts";
import { filesUnder, fixture, readText } from "./_fixture.ts";

function linesFrame(text: string): pl.DataFrame {
  return pl.DataFrame({ line: text.split(/\r?\n/) });
}

Deno.test("the validation engine's PII scan finds nothing in any generated modality", async (t) => {
  const fx = await fixture();
  await t.step("tables (incidents, tickets, e-mail index, metrics, labels)", () => {
    for (const name of Object.keys(fx.manifest.tables)) {
      const df = fx.table(name);
      const lists = Object.entries(df.schema).filter(([, d]) => String(d).includes("List")).map(([c]) => c);
      const flat = lists.length ? df.withColumns(...lists.map((c) => pl.col(c).lst.join(" "))) : df;
      assert.deepEqual(scanPii(flat), [], name);
    }
  });
  for (
    const [modality, prefix] of [["e-mails", "emails/"], ["database logs", "db_logs/"], [
      "CloudFront logs",
      "cloudfront/",
    ]]
  ) {
    await t.step(modality, async () => {
      const files = filesUnder(fx, prefix).filter((f) => !f.endsWith(".parquet"));
      assert.ok(files.length > 0);
      const texts = await Promise.all(files.map((f) => readText(fx.dir, f)));
      assert.deepEqual(scanPii(linesFrame(texts.join("\n")), ["line"]), [], modality);
    });
  }
});

Deno.test("the same PII scan trips on planted personal data, so the clean result above means something", async () => {
  const fx = await fixture();
  const file = filesUnder(fx, "cloudfront/")[0];
  const lines = (await readText(fx.dir, file)).split("\n").slice(0, 50);
  lines[10] = lines[10].replace(/\t(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+\t/, "\t8.8.4.4\t");
  lines.push("contact jane.doe@gmail.com or +44 20 7946 1234");
  const kinds = scanPii(pl.DataFrame({ line: lines }), ["line"]).map((f) => f.kind).sort();
  assert.deepEqual(kinds, ["email", "ipv4", "phone"]);
});
