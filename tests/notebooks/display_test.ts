import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { frameView } from "@lib/report/frame_view.ts";

const frame = () =>
  pl.DataFrame({
    timestamp: [new Date("2022-01-01T00:00:00Z"), new Date("2022-01-01T01:00:00Z")],
    ratio: [1 / 14, 2 / 3],
    name: ["<b>web</b>", "x".repeat(80)],
  }).withColumns(pl.col("timestamp").cast(pl.Datetime("ms", "UTC")));

Deno.test("frameView() shows ISO timestamps and rounded floats, one line a row", () => {
  const view = frameView(frame());
  assert.deepEqual(view.rows[0].slice(0, 2), ["2022-01-01T00:00:00Z", "0.071"]);
  assert.equal(view.rows[1][1], "0.667");
  assert.doesNotMatch(view.text, /GMT|Coordinated Universal Time|0\.0714285/);
  assert.equal(view.text.split("\n").length, 1 + 2 + 2, "shape, header, dtypes, one line per row");
});

Deno.test("frameView() starts with a shape line and gives every column its dtype", () => {
  const view = frameView(frame());
  assert.equal(view.shape, "2 rows × 3 columns");
  assert.deepEqual(view.dtypes, ["Datetime(ms, UTC)", "Float64", "String"]);
  const [shape, header, dtypes] = view.text.split("\n");
  assert.equal(shape, "2 rows × 3 columns");
  assert.match(header, /^timestamp\s+ratio\s+name$/);
  assert.match(dtypes, /^Datetime\(ms, UTC\)\s+Float64\s+String$/);
});

Deno.test("frameView() truncates long frames, wide frames and long text", () => {
  const wide = pl.DataFrame(
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}`, [...Array(100).keys()]])),
  );
  const view = frameView(wide, { maxRows: 6, maxColumns: 5 });
  assert.equal(view.shape, "100 rows × 20 columns");
  assert.deepEqual(view.columns, ["c0", "c1", "c2", "c3", "…", "c19"]);
  assert.equal(view.rows.length, 7);
  assert.deepEqual(view.rows.map((r) => r[0]), ["0", "1", "2", "…", "97", "98", "99"]);
  const long = frameView(frame()).rows[1][2];
  assert.equal(long.length, 48);
  assert.ok(long.endsWith("…"));
});

Deno.test("frameView() displays in Jupyter as escaped HTML and as text", () => {
  const view = frameView(frame());
  const bundle = (view[Symbol.for("Jupyter.display")] as () => Record<string, string>)();
  assert.equal(bundle["text/plain"], view.text);
  assert.match(bundle["text/html"], /&lt;b&gt;web&lt;\/b&gt;/);
  assert.match(bundle["text/html"], /<small>2 rows × 3 columns<\/small>/);
});

Deno.test("frameView() and show() handle columns named like DataFrame methods (rows, head, height)", async () => {
  const df = pl.DataFrame({ rows: [1, 2], head: ["a", "b"], height: [0.5, 1.5] });
  const view = frameView(df);
  assert.deepEqual(view.rows, [["1", "a", "0.5"], ["2", "b", "1.5"]]);
  const { show } = await import("@lib/report/display.ts");
  const log = console.log;
  let printed = "";
  console.log = (t: unknown) => void (printed += String(t));
  try {
    await show(df);
  } finally {
    console.log = log;
  }
  assert.match(printed, /^2 rows × 3 columns/);
});
