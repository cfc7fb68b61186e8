import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { z } from "zod";
import { readManifest } from "@lib/lake/mod.ts";
import { kindDescriptor, listKinds } from "@lib/kinds/mod.ts";
import { kindColumns, renderColumnsDoc, undocumentedColumns } from "@lib/kinds/columns.ts";
import { ingestNab } from "@lib/ingest/nab/mod.ts";
import { ingestCloudFront } from "@lib/ingest/cloudfront/mod.ts";
import { ingestTickets } from "@lib/ingest/tickets/mod.ts";
import { GWA_HEADER, ingestGwa } from "@lib/ingest/gwa/mod.ts";
import { tempFixture } from "../ingest/_util.ts";

/** Small but real runs of every generator: what they write is what must be documented. */
const RUNS: Record<string, string[]> = {
  capacity: ["--servers", "3", "--start-date", "2024-01-01", "--end-date", "2024-01-31", "--granularity", "hourly"],
  anomalies: ["--series", "4", "--points", "720"],
  incidents: [
    "--from",
    "2024-03-04",
    "--to",
    "2024-03-11",
    "--servers",
    "8",
    "--cloudfront-requests-per-day",
    "500",
    "--db-records-per-server-hour",
    "2",
  ],
  msp: ["--clients", "4", "--technicians", "3", "--start", "2024-01-01", "--end", "2024-01-31"],
};

async function generate(kind: string, dir: string): Promise<Record<string, string[]>> {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${dir}`,
      "tasks/generate.ts",
      kind,
      ...RUNS[kind],
      "--output",
      `${dir}/${kind}`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `generate ${kind} failed: ${new TextDecoder().decode(out.stderr)}`);
  const manifest = await readManifest(`${dir}/${kind}`);
  return Object.fromEntries(Object.entries(manifest.tables).map(([t, e]) => [t, Object.keys(e.schema)]));
}

Deno.test("every column every generator writes has a description, and the docs list no column it does not write", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-columns-" });
  try {
    for (const kind of Object.keys(RUNS)) {
      await t.step(kind, async () => {
        const written = await generate(kind, dir);
        const descriptor = kindDescriptor(kind)!;
        assert.deepEqual(undocumentedColumns(descriptor, written), [], `undocumented columns of ${kind}`);
        const extra = Object.entries(kindColumns(descriptor)).flatMap(([table, cols]) =>
          cols.filter((c) => !(written[table] ?? []).includes(c.column)).map((c) => `${table}.${c.column}`)
        );
        assert.deepEqual(extra, [], `documented but not written by ${kind}`);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Ingests of the test fixtures (real formats, small): what the ingesters write is what must be documented. */
const INGESTS: Record<string, (out: string) => Promise<unknown>> = {
  nab: async (out) => ingestNab(await tempFixture("nab"), out),
  cloudfront: async (out) => ingestCloudFront(await tempFixture("cloudfront"), out),
  tickets: async (out) => ingestTickets(await tempFixture("tickets"), out),
  gwa: async (out) => {
    const t0 = 1_375_000_000;
    const row = (ts: number, mem = "500.0") =>
      `${ts};\t2;\t5000.0;\t500.0;\t10.0;\t1000.0;\t${mem};\t1.0;\t2.0;\t3.0;\t4.0`;
    const lines = [GWA_HEADER, row(t0), row(t0 + 300, "0.0"), row(t0 + 300), "1375000900;\t2"];
    return ingestGwa(await tempFixture({ "2013-8/7.csv": lines.join("\n") + "\n", "LICENSE": "BSD-2-Clause\n" }), out);
  },
};

Deno.test("every column every ingester writes has a description, and the docs list no column it does not write", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-columns-" });
  try {
    for (const [kind, ingest] of Object.entries(INGESTS)) {
      await t.step(kind, async () => {
        await ingest(`${dir}/${kind}`);
        const manifest = await readManifest(`${dir}/${kind}`);
        assert.equal(manifest.kind, kind);
        const written = Object.fromEntries(Object.entries(manifest.tables).map(([t, e]) => [t, Object.keys(e.schema)]));
        const descriptor = kindDescriptor(kind)!;
        assert.deepEqual(undocumentedColumns(descriptor, written), [], `undocumented columns of ${kind}`);
        const extra = Object.entries(kindColumns(descriptor)).flatMap(([table, cols]) =>
          cols.filter((c) => !(written[table] ?? []).includes(c.column)).map((c) => `${table}.${c.column}`)
        );
        // The quarantine's end_line is written only by sources whose records span lines (tickets).
        assert.deepEqual(extra.filter((c) => c !== "quarantine.end_line"), [], `documented but not written by ${kind}`);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("undocumentedColumns() names a column without a description, an empty one and one the docs lack", () => {
  const Row = z.object({ id: z.string().describe("row id"), value: z.number(), blank: z.number().describe(" ") });
  const kind = { kind: "x", origin: "generated" as const, description: "x", primary: "t", tables: { t: Row } };
  assert.deepEqual(undocumentedColumns(kind, { t: ["id", "value", "blank", "extra"], u: ["a"] }), [
    "t.value",
    "t.blank",
    "t.extra",
    "u.a",
  ]);
});

Deno.test("docs/columns.md is the rendering of the registered kinds (run deno task docs)", async () => {
  assert.equal(await Deno.readTextFile("docs/columns.md"), renderColumnsDoc(listKinds()));
});

Deno.test("msp technician_productivity.utilization says why it exceeds 1", () => {
  const doc = kindColumns(kindDescriptor("msp")!).technician_productivity.find((c) => c.column === "utilization");
  assert.match(doc?.description ?? "", /exceeds 1/);
});
