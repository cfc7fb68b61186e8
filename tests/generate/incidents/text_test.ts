import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { Rng } from "@lib/random/mod.ts";
import { fill, jaccard, nearDuplicates, shingles, wrap } from "@lib/generate/incidents/mod.ts";

Deno.test("fill() picks alternatives, keeps optional parts half the time and rejects unknown variables", () => {
  const rng = Rng.fromKey("fill");
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(fill(rng, "[Hi|Hello] {who}[?, thanks]", { who: "team" }));
  assert.deepEqual([...seen].sort(), ["Hello team", "Hello team, thanks", "Hi team", "Hi team, thanks"]);
  assert.throws(() => fill(rng, "{nope}"), RangeError);
  assert.throws(() => fill(rng, "[a|b"), /unbalanced/);
});

Deno.test("wrap() keeps lines within the width and words whole", () => {
  const lines = wrap("word ".repeat(60).trim(), 40);
  assert.ok(lines.every((l) => l.length <= 40));
  assert.equal(lines.join(" "), "word ".repeat(60).trim());
});

Deno.test("nearDuplicates() finds exactly the pairs at or above the Jaccard threshold", () => {
  const base = "the orders database ran out of disk space at noon and writes failed until the logs were rotated";
  const texts = [
    base,
    base.replace("noon", "midnight"),
    "a completely different message about a certificate that expired on the storefront origin server",
    base + " and the volume was grown",
  ];
  const got = nearDuplicates(texts);
  for (const [i, j, s] of got.pairs) {
    assert.ok(s >= 0.8);
    assert.equal(s, jaccard(shingles(texts[i]), shingles(texts[j])));
  }
  // Check every pair exactly: no pair at or above the threshold is missed.
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const s = jaccard(shingles(texts[i]), shingles(texts[j]));
      assert.equal(got.pairs.some(([a, b]) => a === i && b === j), s >= 0.8, `${i},${j} at ${s}`);
    }
  }
  assert.equal(got.flagged[2], false);
});
