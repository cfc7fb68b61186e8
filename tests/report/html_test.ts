import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { escapeHtml, Html, html, unsafe } from "@lib/report/mod.ts";

Deno.test("html`` escapes interpolated text, attributes included, and keeps the literal parts", () => {
  const value = `<script>alert("x")</script> & 'q'`;
  const out = html`<td title="${value}">${value}</td>`.value;
  assert.equal(
    out,
    `<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">` +
      `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</td>`,
  );
  assert.ok(!out.includes("<script>"));
});

Deno.test("html`` renders arrays item by item, nests Html, and drops null, undefined and false", async (t) => {
  const cases: [string, Html, string][] = [
    [
      "array of text",
      html`<ul>${["a<", "b&"].map((x) => html`<li>${x}</li>`)}</ul>`,
      "<ul><li>a&lt;</li><li>b&amp;</li></ul>",
    ],
    ["nested Html kept", html`<p>${html`<b>${"<i>"}</b>`}</p>`, "<p><b>&lt;i&gt;</b></p>"],
    ["null, undefined, false", html`[${null}${undefined}${false}]`, "[]"],
    ["numbers and true", html`${1.5} ${0} ${true}`, "1.5 0 true"],
    ["non-finite numbers", html`${NaN} ${Infinity}`, "NaN Infinity"],
  ];
  for (const [name, got, want] of cases) await t.step(name, () => assert.equal(got.value, want));
});

Deno.test("unsafe() is the only way markup enters unescaped", () => {
  const svg = `<svg viewBox="0 0 1 1"><title>a & b</title></svg>`;
  assert.equal(html`<div>${svg}</div>`.value, `<div>${escapeHtml(svg)}</div>`);
  assert.equal(html`<div>${unsafe(svg)}</div>`.value, `<div>${svg}</div>`);
});

Deno.test("Html displays in Jupyter as text/html", () => {
  const h = html`<b>${"x<y"}</b>`;
  const display = (h as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")];
  assert.deepEqual(display.call(h), { "text/html": "<b>x&lt;y</b>" });
  assert.equal(String(h), "<b>x&lt;y</b>");
});

Deno.test("all HTML goes through lib/report/html.ts: no other module of lib/ escapes HTML or concatenates tags", async () => {
  const root = new URL("../../lib/", import.meta.url).pathname;
  const offenders: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}${e.name}`;
      if (e.isDirectory) await walk(`${path}/`);
      else if (e.name.endsWith(".ts") && path !== `${root}report/html.ts`) {
        const text = await Deno.readTextFile(path);
        // A private escaper: a function of that name, or the entity replacements themselves.
        if (/function\s+escapeHtml|["']&["']\s*[:,]\s*["']&amp;|&#\$\{/.test(text)) {
          offenders.push(`${path}: escapes HTML itself`);
        }
        // Markup built by concatenation: a tag at the start of a plain template or string that is added to.
        if (/(^|[^l])`<(tr|td|table|div|p)[ >][^`]*`\s*\+/m.test(text)) offenders.push(`${path}: concatenates tags`);
      }
    }
  };
  await walk(root);
  assert.deepEqual(offenders, []);
});

Deno.test("validation results and ingest reports shown in notebooks escape their text through html``", async () => {
  const { ValidationResult, ValidationReport } = await import("@lib/validate/result.ts");
  const { displayReport } = await import("@lib/ingest/common/mod.ts");
  const nasty = `<b>"x" & 'y'</b>`;
  const v = new ValidationResult({
    dataset: nasty,
    path: "p",
    kind: "k",
    rows: 1,
    validated: "2026-01-01T00:00:00Z",
    results: [{
      id: nasty,
      family: "f",
      severity: "error",
      passed: false,
      measured: nasty,
      threshold: "<1",
      message: nasty,
    }],
  });
  const escaped = "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;";
  for (
    const shown of [v, new ValidationReport([v])].map((x) =>
      (x as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]()["text/html"]
    )
  ) {
    assert.ok(shown.includes(escaped), shown);
    assert.ok(!shown.includes("<b>"), shown);
  }
  const ingest = displayReport({
    source: "x",
    table: nasty,
    files_read: 1,
    rows_read: 1,
    rows_written: 1,
    rows_quarantined: 0,
    quarantined: {},
    repaired: {},
    preprocessing: {},
    files_skipped: [],
  })[Symbol.for("Jupyter.display")]();
  assert.ok(ingest["text/html"].includes(`<td>table</td><td>${escaped}</td>`), ingest["text/html"]);
});
