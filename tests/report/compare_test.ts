import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * `deno task report --compare A B` run as a user runs it, on two small capacity datasets and a CSV file derived from
 * one with a shifted column: the drifted column is flagged and an unchanged one is not, the sections are there, the
 * page is deterministic, and bad operands exit 2 with one line and nothing written.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseHTML } from "linkedom/worker";
import { makeCompareLake } from "./_compare.ts";

const repo = new URL("../../", import.meta.url).pathname;
const lake = await makeCompareLake();
const out = await Deno.makeTempDir({ prefix: "opslab-compare-out-" });
addEventListener("unload", () => {
  Deno.removeSync(lake.root, { recursive: true });
  Deno.removeSync(out, { recursive: true });
});

/** Runs the report task with the permissions deno.json gives it, widened only to the temp folders. */
async function report(args: string[], dest = out): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      `--allow-read=.,${lake.root},${dest}`,
      `--allow-write=${dest}`,
      "tasks/report.ts",
      "--root",
      lake.root,
      "--out",
      dest,
      ...args,
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: res.code, stdout: dec.decode(res.stdout), stderr: dec.decode(res.stderr) };
}

/** Copies a dataset folder (files and subfolders). */
async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

// deno-lint-ignore no-explicit-any
function page(text: string): any {
  return (parseHTML(text) as unknown as { document: unknown }).document;
}

// deno-lint-ignore no-explicit-any
function verdict(doc: any, column: string): string | null {
  return doc.querySelector(`table.drift tr[data-column="${column}"] [data-verdict]`)?.getAttribute("data-verdict") ??
    null;
}

// deno-lint-ignore no-explicit-any
function cell(doc: any, column: string, label: string): number {
  const td = doc.querySelector(`table.drift tr[data-column="${column}"] td[data-label="${label}"]`);
  assert.ok(td, `${column}: ${label}`);
  return Number(td.getAttribute("data-value"));
}

Deno.test("report --compare flags a shifted column as drifted and leaves an unchanged one stable", async () => {
  // A by its name in the lake, B a CSV file outside it (cpu_p95 + 25, the rest identical).
  const res = await report(["--compare", "capacity", lake.shifted, "--json"]);
  assert.equal(res.code, 0, res.stderr);
  const line = JSON.parse(res.stdout.trim());
  assert.equal(line.path, join(out, "compare", "capacity__vs__shifted.csv", "index.html"));
  const text = await Deno.readTextFile(line.path);
  assert.equal(new TextEncoder().encode(text).length, line.bytes);
  const doc = page(text);
  assert.equal(verdict(doc, "cpu_p95"), "drifted");
  assert.ok(cell(doc, "cpu_p95", "KS D") > 0.5, "cpu_p95 KS D");
  assert.ok(cell(doc, "cpu_p95", "PSI") > 0.25, "cpu_p95 PSI");
  assert.ok(Math.abs(cell(doc, "cpu_p95", "Mean B") - cell(doc, "cpu_p95", "Mean A") - 25) < 1e-6, "the shift");
  for (const column of ["mem_p95", "disk_p95", "net_in_p95"]) {
    assert.equal(verdict(doc, column), "stable", column);
    assert.equal(cell(doc, column, "KS D"), 0, `${column}: same values`);
    assert.equal(cell(doc, column, "PSI"), 0, `${column}: same values`);
  }
  // Text columns compared by category; the time column, read from CSV text, still drives the seasonality section.
  assert.ok(doc.querySelector('table.categories tr[data-column="server_type"]'));
  for (const id of ["drift", "categories", "correlation", "seasonality", "columns"]) {
    assert.ok(doc.querySelector(`section#${id}`), `section #${id}`);
  }
  assert.ok(doc.querySelectorAll("section#seasonality svg[role=img]").length >= 2, "hour and weekday profiles");
  assert.ok(doc.querySelector('table.acf-diff tr[data-metric="cpu_p95"]'));
  // The same data in both: every correlation unchanged except those with cpu_p95 (a shift keeps r too).
  for (const tr of doc.querySelectorAll("table.correlation-diff tbody tr")) {
    assert.ok(Math.abs(Number(tr.querySelectorAll("td")[3].getAttribute("data-value"))) < 1e-9);
  }
  assert.match(doc.querySelector("header").textContent, /1 column drifted/);
});

Deno.test("report --compare of two seeds by folder: the page is byte-identical run to run and names both", async () => {
  const args = ["--compare", lake.a, lake.b, "--sample-rows", "3000"];
  const first = await report(args);
  assert.equal(first.code, 0, first.stderr);
  const path = join(out, "compare", "capacity__vs__capacity-7", "index.html");
  assert.match(first.stdout, new RegExp(`capacity vs capacity-7 .* ${path.replaceAll("/", "\\/")}`));
  const text = await Deno.readTextFile(path);
  const again = await report(args);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await Deno.readTextFile(path), text, "same data, same page");
  const doc = page(text);
  assert.match(doc.querySelector("h1").textContent, /capacity\s+vs\s+capacity-7/);
  assert.match(doc.querySelector("table.sides").textContent, /capacity: 11,520 rows, 19 columns/);
  // 11,520 rows sampled down to 3,000 per table: the statistics say so.
  assert.match(doc.querySelector("section#drift").textContent, /at most\s+3000\s+rows per table/);
  assert.equal(cell(doc, "cpu_p95", "n A"), 11_520);
  // Calendar columns of the same dates do not move between seeds.
  for (const column of ["year", "month", "dayofweek"]) assert.equal(verdict(doc, column), "stable", column);
  assert.equal(doc.querySelector('dd[data-only="A"]').textContent.trim(), "none");
});

Deno.test("report --compare samples the same rows whether a table is read in memory or scanned file by file", async () => {
  const pages: string[] = [];
  for (const [name, extra] of [["memory", []], ["scanned", ["--in-memory-rows", "1000"]]] as const) {
    const dest = join(out, name);
    await Deno.mkdir(dest);
    const res = await report(["--compare", lake.a, lake.b, "--sample-rows", "2000", ...extra], dest);
    assert.equal(res.code, 0, res.stderr);
    pages.push(await Deno.readTextFile(join(dest, "compare", "capacity__vs__capacity-7", "index.html")));
  }
  const [memory, scanned] = pages.map(page);
  const rows = (doc: ReturnType<typeof page>) => [...doc.querySelectorAll("table.drift tbody tr")];
  assert.equal(rows(memory).length, 9);
  rows(memory).forEach((tr, i) => {
    const other = rows(scanned)[i];
    for (const td of tr.querySelectorAll("td.num")) {
      const label = td.getAttribute("data-label");
      const a = Number(td.getAttribute("data-value"));
      const b = Number(other.querySelector(`td[data-label="${label}"]`).getAttribute("data-value"));
      // Sample statistics agree exactly; means over all rows add up file by file when scanned (last digit).
      if (/^Mean/.test(label)) assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(a), `${label}: ${a} vs ${b}`);
      else assert.equal(a, b, `${tr.getAttribute("data-column")} ${label}`);
    }
  });
  const acf = (doc: ReturnType<typeof page>) =>
    [...doc.querySelectorAll("table.acf-diff td.num")].map((td) => Number(td.getAttribute("data-value")));
  acf(memory).forEach((r, i) => assert.ok(Math.abs(r - acf(scanned)[i]) < 1e-9));
});

Deno.test("report --compare names a dataset folder pair by the parts that differ", async () => {
  const other = join(out, "other", "capacity");
  await copyDir(lake.a, other);
  try {
    const res = await report(["--compare", lake.a, other, "--sample-rows", "1000"]);
    assert.equal(res.code, 0, res.stderr);
    await Deno.stat(join(out, "compare", "synthetic-capacity__vs__other-capacity", "index.html"));
    const doc = page(
      await Deno.readTextFile(join(out, "compare", "synthetic-capacity__vs__other-capacity", "index.html")),
    );
    // A dataset against itself: nothing drifted.
    assert.equal(doc.querySelectorAll('[data-verdict="drifted"]').length, 0);
    assert.equal(doc.querySelectorAll('[data-verdict="moderate"]').length, 0);
  } finally {
    await Deno.remove(join(out, "other"), { recursive: true });
  }
});

Deno.test("report --compare finds a dataset by its folder below the lake root; one against itself keeps its name", async () => {
  const res = await report(["--compare", "synthetic/capacity", "capacity", "--sample-rows", "1000", "--json"]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout).path, join(out, "compare", "capacity__vs__capacity", "index.html"));
});

Deno.test("report --compare refuses bad operands with one line naming the value, exit 2, nothing written", async (t) => {
  const empty = await Deno.makeTempDir({ prefix: "opslab-compare-none-" });
  const junk = join(lake.root, "junk.parquet");
  await Deno.writeTextFile(junk, "not parquet");
  const text = join(lake.root, "notes.txt");
  await Deno.writeTextFile(text, "hello");
  const cases: [string, string[], RegExp][] = [
    ["one operand", ["--compare", lake.a], /--compare takes two operands, A and B, got 1/],
    ["three operands", ["--compare", lake.a, lake.b, lake.b], /takes two operands, A and B, got 3/],
    ["a missing path", ["--compare", lake.a, join(lake.root, "nope")], /"[^"]*nope": no such file or folder/],
    ["an unknown name", ["--compare", lake.a, "no-such-set"], /"no-such-set": no dataset of that name/],
    ["an unreadable file", ["--compare", lake.a, junk], /junk\.parquet": the file cannot be read .*not a Parquet/],
    ["a file of another type", ["--compare", text, lake.a], /notes\.txt": not a data file/],
    ["no shared column", ["--compare", lake.a, lake.unrelated], /share no column name/],
    ["a bad sample size", ["--compare", lake.a, lake.b, "--sample-rows", "5"], /--sample-rows must be an integer/],
    ["a name two datasets share", ["--compare", "capacity", lake.b], /"capacity": 2 datasets have that name/],
  ];
  await copyDir(lake.a, join(lake.root, "copy", "capacity"));
  try {
    for (const [name, args, message] of cases) {
      await t.step(name, async () => {
        const res = await report(args, empty);
        assert.equal(res.code, 2, res.stderr);
        const lines = res.stderr.trim().split("\n");
        assert.equal(lines.length, 1, res.stderr);
        assert.match(lines[0], message);
        assert.deepEqual(await Array.fromAsync(Deno.readDir(empty)), [], "nothing written");
      });
    }
  } finally {
    await Deno.remove(empty, { recursive: true });
    await Deno.remove(join(lake.root, "copy"), { recursive: true });
  }
});

Deno.test("report --help describes --compare", async () => {
  const res = await report(["--help"]);
  assert.equal(res.code, 0);
  assert.match(res.stdout, /--compare A B/);
  assert.match(res.stdout, /compare\/<A>__vs__<B>\/index\.html/);
});
