/**
 * Measures ingest throughput on generated inputs larger than the fixtures (not a test: run by hand).
 *
 *   deno run --allow-ffi=./node_modules --allow-sys --allow-env --allow-read --allow-write=/tmp \
 *     tests/ingest/throughput.ts <nab|cloudfront|tickets> [rows]
 *
 * Prints rows, seconds and rows/s for reading (parse, checks, quarantine) and for the whole ingest (read,
 * derived tables, Parquet, manifest).
 * @module
 */
import { join } from "node:path";
import { ingestNab, readNab } from "@lib/ingest/nab/mod.ts";
import { ingestCloudFront, readCloudFrontLogs } from "@lib/ingest/cloudfront/mod.ts";
import { ingestTickets, readTickets } from "@lib/ingest/tickets/mod.ts";
import { nabLarge } from "../fixtures/ingest/_nab.ts";
import { cloudfrontLarge } from "../fixtures/ingest/_cloudfront.ts";
import { ticketsLarge } from "../fixtures/ingest/_tickets.ts";
import { writeFixtureFiles } from "../fixtures/ingest/_write.ts";

const [source = "nab", rowsArg] = Deno.args;
const rows = Number(rowsArg ?? (source === "tickets" ? 100_000 : 1_000_000));
const tmp = await Deno.makeTempDir({ prefix: "opslab-throughput-" });
try {
  const input = join(tmp, "raw");
  const files = source === "nab"
    ? nabLarge(50, Math.ceil(rows / 50))
    : source === "cloudfront"
    ? cloudfrontLarge(rows, 100)
    : ticketsLarge(rows);
  await writeFixtureFiles(input, files);
  const t0 = performance.now();
  const read = source === "nab"
    ? (await readNab(input)).report
    : source === "cloudfront"
    ? (await readCloudFrontLogs(input)).report
    : (await readTickets(input)).report;
  const t1 = performance.now();
  const out = join(tmp, "out");
  const full = source === "nab"
    ? (await ingestNab(input, out)).report
    : source === "cloudfront"
    ? (await ingestCloudFront(input, out)).report
    : (await ingestTickets(input, out)).report;
  const t2 = performance.now();
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
  console.log(JSON.stringify({
    source,
    rows_read: read.rows_read,
    rows_quarantined: read.rows_quarantined,
    read_s: +((t1 - t0) / 1000).toFixed(2),
    read_rows_per_s: rate(read.rows_read, t1 - t0),
    ingest_s: +((t2 - t1) / 1000).toFixed(2),
    ingest_rows_per_s: rate(full.rows_read, t2 - t1),
    rss_mb: Math.round(Deno.memoryUsage().rss / 1048576),
  }));
} finally {
  await Deno.remove(tmp, { recursive: true });
}
