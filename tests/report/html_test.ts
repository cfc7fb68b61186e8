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
