import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join, relative } from "node:path";
import { readManifest, readTable, sha256File } from "@lib/lake/mod.ts";
import { main as ingestNab } from "../../tasks/ingest_nab.ts";
import { main as ingestCloudFront } from "../../tasks/ingest_cloudfront.ts";
import { main as ingestTickets } from "../../tasks/ingest_tickets.ts";
import { FIXTURE_SETS } from "../fixtures/ingest/make_fixtures.ts";
import { tempFixture, withTemp } from "./_util.ts";

type Main = (args: string[]) => Promise<number>;
const TASKS: [string, Main, string, string][] = [
  ["nab", ingestNab, "hourly", "series"],
  ["cloudfront", ingestCloudFront, "requests", "requests"],
  ["tickets", ingestTickets, "tickets", "tickets"],
];

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) await walk(p);
      else out[relative(dir, p)] = await sha256File(p);
    }
  };
  await walk(dir);
  return out;
}

async function withEpoch<T>(fn: () => Promise<T>): Promise<T> {
  const old = Deno.env.get("SOURCE_DATE_EPOCH");
  Deno.env.set("SOURCE_DATE_EPOCH", "1700000000");
  try {
    return await fn();
  } finally {
    old === undefined ? Deno.env.delete("SOURCE_DATE_EPOCH") : Deno.env.set("SOURCE_DATE_EPOCH", old);
  }
}

for (const [source, main, primary, balanced] of TASKS) {
  Deno.test(`ingest ${source} writes Parquet, quarantine, report and a manifest with lineage and licence`, async () => {
    await withTemp(async (tmp) => {
      const input = await tempFixture(source as keyof typeof FIXTURE_SETS);
      const out = join(tmp, "out");
      assert.equal(await withEpoch(() => main(["--input", input, "--output", out])), 0);
      const m = await readManifest(out);
      assert.equal(m.layer, "processed");
      assert.equal(m.kind, source);
      assert.equal(m.primary_table, primary);
      assert.equal(m.created, "2023-11-14T22:13:20.000Z");
      assert.ok(m.source?.url?.startsWith("https://www.kaggle.com/datasets/"));
      assert.ok((m.source?.license ?? "").length > 0);
      assert.ok(m.lineage.length > 0);
      for (const l of m.lineage) {
        assert.equal(l.sha256, await sha256File(l.source), l.source);
      }
      const report = JSON.parse(await Deno.readTextFile(join(out, "report.json")));
      assert.equal(report.rows_read, report.rows_written + report.rows_quarantined);
      assert.equal(report.table, balanced);
      assert.deepEqual(m.stats, report);
      assert.equal(readTable(join(out, `${balanced}.parquet`)).height, report.rows_written);
      const q = readTable(join(out, "quarantine.parquet"));
      assert.equal(q.height, report.rows_quarantined);
      // Ticket records may span lines (quoted line breaks): their quarantine names each row's line span.
      assert.deepEqual(q.columns, ["source", "line", ...(source === "tickets" ? ["end_line"] : []), "reason", "raw"]);
      assert.ok(q.height > 0);
      assert.ok((await Deno.stat(join(out, "source", "LICENSE"))).isFile);
    });
  });

  Deno.test(`ingest ${source} gives byte-identical datasets for the same input`, async () => {
    await withTemp(async (tmp) => {
      const input = await tempFixture(source as keyof typeof FIXTURE_SETS);
      assert.equal(await withEpoch(() => main(["--input", input, "--output", join(tmp, "a")])), 0);
      assert.equal(await withEpoch(() => main(["--input", input, "--output", join(tmp, "b")])), 0);
      assert.deepEqual(await filesOf(join(tmp, "a")), await filesOf(join(tmp, "b")));
    });
  });

  Deno.test(`ingest ${source} answers --help, rejects bad flags (2) and bad input (1) and writes nothing`, async () => {
    await withTemp(async (tmp) => {
      assert.equal(await main(["--help"]), 0);
      assert.equal(await main(["--no-such-flag"]), 2);
      assert.equal(await main(["--input", join(tmp, "missing"), "--output", join(tmp, "out")]), 1);
      assert.deepEqual([...Deno.readDirSync(tmp)], []);
    });
  });
}

Deno.test("ingest nab takes its options from flags and from a config file", async () => {
  await withTemp(async (tmp) => {
    const input = await tempFixture("nab");
    const cfg = join(tmp, "nab.yaml");
    await Deno.writeTextFile(cfg, "agg: max\nwindows: [6]\nselect: all\n");
    assert.equal(
      await ingestNab(["--input", input, "--output", join(tmp, "o"), "--config", cfg, "--train-ratio", "0.5"]),
      0,
    );
    const m = await readManifest(join(tmp, "o"));
    assert.equal(m.config.agg, "max");
    assert.equal(m.config.train_ratio, 0.5);
    assert.deepEqual(m.config.windows, [6]);
    const hourly = readTable(join(tmp, "o", "hourly.parquet"));
    assert.ok(hourly.columns.includes("value_z_6"));
    assert.equal(new Set(hourly.getColumn("series_id").toArray()).size, 3);
    // A config value out of its rule is a usage error, as for generate.
    assert.equal(await ingestNab(["--input", input, "--output", join(tmp, "p"), "--agg", "p99"]), 2);
  });
});

Deno.test("ingest cloudfront never writes the salt of hashed addresses", async () => {
  await withTemp(async (tmp) => {
    const input = await tempFixture("cloudfront");
    assert.equal(
      await ingestCloudFront([
        "--input",
        input,
        "--output",
        join(tmp, "o"),
        "--ip-mode",
        "hash",
        "--ip-salt",
        "pepper-123",
      ]),
      0,
    );
    const text = await Deno.readTextFile(join(tmp, "o", "manifest.json"));
    assert.ok(!text.includes("pepper-123"));
    const rows = readTable(join(tmp, "o", "requests.parquet"));
    assert.equal(rows.filter(pl.col("c_ip").str.contains("^[0-9a-f]{16}$").not()).height, 0);
    assert.equal(await ingestCloudFront(["--input", input, "--output", join(tmp, "p"), "--ip-mode", "hash"]), 2);
  });
});

Deno.test("the static fixtures under tests/fixtures/ingest match their generators byte for byte", async () => {
  const root = new URL("../fixtures/ingest/", import.meta.url).pathname;
  for (const [name, make] of Object.entries(FIXTURE_SETS)) {
    for (const [path, content] of Object.entries(make())) {
      const want = typeof content === "string" ? new TextEncoder().encode(content) : new Uint8Array(content);
      const got = await Deno.readFile(join(root, name, path));
      assert.deepEqual(got, want, `${name}/${path}: run tests/fixtures/ingest/make_fixtures.ts`);
    }
  }
});

Deno.test("ingest refuses an --output outside the task's write scope before reading anything: exit 2, one line", async () => {
  await withTemp(async (tmp) => {
    const input = await tempFixture("tickets");
    // The tests may write /tmp and tests/.artifacts only: a folder at the file system root is out of scope.
    const outside = "/opslab-outside-the-write-scope/out";
    for (const main of [ingestNab, ingestCloudFront, ingestTickets]) {
      assert.equal(await main(["--input", input, "--output", outside]), 2);
    }
    assert.deepEqual([...Deno.readDirSync(tmp)], []);
  });
});
