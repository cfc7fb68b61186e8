import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { gzipSync } from "node:zlib";
import {
  anonymizeIp,
  anonymizeIpList,
  CLOUDFRONT_FIELDS,
  CLOUDFRONT_VARIANTS,
  CloudFrontParser,
  decodeRepeated,
  parseCloudFrontLog,
  processCloudFront,
  readCloudFrontLogs,
  REQUEST_COLUMNS,
  spillCloudFrontLogs,
  writeCloudFrontTables,
} from "@lib/ingest/cloudfront/mod.ts";
import { join } from "node:path";
import { readTable } from "@lib/lake/mod.ts";
import { main as ingestTask } from "../../tasks/ingest_cloudfront.ts";
import { assertBalanced } from "@lib/ingest/common/mod.ts";
import { entityStream } from "@lib/random/mod.ts";
import { CF, DOUBLE_UA, fieldsHeader, requestFields } from "../fixtures/ingest/_cloudfront.ts";
import { tempFixture, withTemp } from "./_util.ts";

const RAW_IP = /198\.51\.100\.[1-9]|2001:db8:85a3:\d:|2001:0db8:0000:0042|203\.0\.113\.9|10\.0\.0\.7/;

Deno.test("readCloudFrontLogs() reads gzipped and plain logs of every variant, quarantining bad lines by reason", async (t) => {
  const dir = await tempFixture("cloudfront");
  const d = await readCloudFrontLogs(dir);
  const r = d.report;
  await t.step("rows in = rows out + rows quarantined", () => {
    assertBalanced(r);
    const good = CF.mainRows + CF.secondRows + CF.legacyRows + CF.badGoodRows;
    assert.equal(r.rows_written, good);
    assert.equal(r.rows_read, good + Object.values(CF.badQuarantined).reduce((a, b) => a + b, 0));
    assert.deepEqual(r.quarantined, Object.fromEntries(Object.entries(CF.badQuarantined).sort()));
  });
  await t.step("variants from the #Fields headers, gzip detected, non-logs skipped", () => {
    assert.equal(r.preprocessing.variants, "12:1,19:1,26:1,33:1");
    assert.equal(r.preprocessing.gzip_files, 2);
    // Three files fit their header and go to Polars whole; the untidy one is read line by line.
    assert.equal(r.preprocessing.files_read_whole, 3);
    assert.deepEqual(r.files_skipped, [{ path: CF.skippedFile, reason: "not a CloudFront log" }]);
    assert.equal(d.inputs.length, 4);
    const legacy = d.rows.filter(pl.col("fields").eq(12));
    assert.equal(legacy.height, CF.legacyRows);
    assert.equal(legacy.getColumn("time_taken").nullCount(), CF.legacyRows);
  });
  await t.step("trailing tabs, CRLF and a missing final newline repaired", () => {
    assert.equal(r.repaired.trailing_tab_lines, CF.trailingTabRows);
    assert.equal(r.repaired.crlf_files, 1);
    assert.equal(r.repaired.missing_final_newline_files, 1);
  });
  await t.step("rows sorted by time (the main file is shuffled)", () => {
    assert.ok(Number(r.repaired.reordered_rows) > 0);
    const t = d.rows.select(pl.col("timestamp").dt.timestamp()).getColumn("timestamp").toArray() as number[];
    assert.ok(t.every((x, i) => i === 0 || Number(x) >= Number(t[i - 1])));
    assert.equal(String(d.rows.getColumn("timestamp").dtype), "DataType(Datetime(ms,UTC))");
  });
  await t.step("status 000 kept as 0, user agents decoded, doubly encoded ones too", () => {
    assert.equal(r.preprocessing.status_000_rows, CF.status000Rows + 1);
    assert.equal(d.rows.filter(pl.col("sc_status").eq(0)).height, CF.status000Rows + 1);
    assert.equal(r.repaired.ua_double_encoded_rows, CF.doubleUaRows);
    assert.equal(d.rows.filter(pl.col("cs_user_agent").eq(pl.lit(DOUBLE_UA.decoded))).height, CF.doubleUaRows);
    assert.equal(d.rows.filter(pl.col("cs_user_agent").str.contains("%", true)).height, 0);
  });
  await t.step("no raw client address and no cookie anywhere, in rows or quarantine", () => {
    assert.ok(!d.rows.columns.includes("cs_cookie"));
    assert.deepEqual(d.rows.columns, [...REQUEST_COLUMNS]);
    for (const frame of [d.rows, d.quarantine]) {
      for (const c of frame.columns) {
        if (String(frame.getColumn(c).dtype) !== "DataType(String)") continue;
        const hits = frame.filter(pl.col(c).str.contains(RAW_IP.source).or(pl.col(c).str.contains("s3cr3t", true)));
        assert.equal(hits.height, 0, `${c}: ${hits.head(1).getColumn(c).toArray()}`);
      }
    }
    assert.equal(d.rows.filter(pl.col("c_ip").eq(pl.lit("2001:db8:85a3::"))).height, CF.ipv6Rows);
    assert.deepEqual(d.rows.filter(pl.col("x_forwarded_for").isNotNull()).getColumn("x_forwarded_for").toArray(), [
      "203.0.113.0,10.0.0.0",
    ]);
  });
});

Deno.test("parseCloudFrontLog() reads generated 33-field logs back with zero quarantined rows", () => {
  const rng = entityStream(21, { dataset: "tests/cloudfront", entity: "synthetic" });
  const t0 = Date.UTC(2021, 2, 3, 4);
  const lines = Array.from(
    { length: 2000 },
    (_, i) => requestFields(rng, t0 + i * 997, { status: i % 97 === 0 ? 0 : 200 }).join("\t"),
  );
  const { rows, quarantine, report } = parseCloudFrontLog(fieldsHeader(33) + lines.join("\n") + "\n");
  assert.equal(quarantine.height, 0);
  assert.equal(rows.height, 2000);
  assert.equal(report.rows_read, 2000);
  assert.equal(rows.getColumn("time_to_first_byte").nullCount(), 0);
  assert.equal(rows.getColumn("fields").toArray()[0], 33);
});

Deno.test("parseCloudFrontLog() takes every historical variant, each a prefix of the 33 fields", async (t) => {
  assert.deepEqual(CLOUDFRONT_VARIANTS, [12, 19, 24, 26, 33]);
  for (const n of CLOUDFRONT_VARIANTS) {
    await t.step(`${n} fields`, () => {
      const rng = entityStream(1, { dataset: "tests/cloudfront", entity: String(n) });
      const line = requestFields(rng, Date.UTC(2016, 0, 1), { status: 404 }).slice(0, n).join("\t");
      const { rows, quarantine } = parseCloudFrontLog(fieldsHeader(n) + line + "\n");
      assert.equal(quarantine.height, 0);
      assert.equal(rows.getColumn("sc_status").toArray()[0], 404);
      assert.equal(rows.getColumn("fields").toArray()[0], n);
    });
  }
});

Deno.test("parseCloudFrontLog() follows a #Fields header that changes mid-text and quarantines lines before any", () => {
  const rng = entityStream(2, { dataset: "tests/cloudfront", entity: "mixed" });
  const a = requestFields(rng, Date.UTC(2016, 0, 1), { status: 200 });
  const text = a.slice(0, 12).join("\t") + "\n" + fieldsHeader(12) + a.slice(0, 12).join("\t") + "\n" +
    fieldsHeader(19) + a.slice(0, 19).join("\t") + "\n" + a.slice(0, 12).join("\t") + "\n";
  const { rows, quarantine, report } = parseCloudFrontLog(text);
  assert.equal(rows.height, 2);
  assert.deepEqual(report.quarantined, { field_count: 1, no_fields_header: 1 });
  assert.equal(quarantine.getColumn("line").toArray()[0], 1);
});

Deno.test("readCloudFrontLogs() stops on a corrupt gzip file, or skips and lists it", async () => {
  const good = gzipSync(new TextEncoder().encode(fieldsHeader(12)));
  const dir = await tempFixture({ "a.gz": good, "b.gz": good.subarray(0, 10) });
  await assert.rejects(() => readCloudFrontLogs(dir), /Cannot read "b.gz": corrupt or truncated gzip/);
  const d = await readCloudFrontLogs(dir, { onUnreadable: "skip" });
  assert.equal(d.report.files_skipped[0].path, "b.gz");
  const notLogs = await tempFixture({ "x.csv": "a,b\n" });
  await assert.rejects(() => readCloudFrontLogs(notLogs), /no log files/);
});

Deno.test("anonymizeIp() truncates to /24 and /48 or hashes with a salt, and never returns the raw address", async (t) => {
  const cases: [string, string | null][] = [
    ["192.0.2.77", "192.0.2.0"],
    ["2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"],
    ["2001:DB8::1", "2001:db8:0::"],
    ["::ffff:203.0.113.9", "203.0.113.0"],
    ["::1", "0:0:0::"],
    ["999.1.1.1", null],
    ["not-an-ip", null],
    ["1:2:3:4:5:6:7:8:9", null],
  ];
  for (const [ip, want] of cases) await t.step(ip, () => assert.equal(anonymizeIp(ip), want));
  const h1 = anonymizeIp("192.0.2.77", { mode: "hash", salt: "s1" });
  assert.match(h1 ?? "", /^[0-9a-f]{16}$/);
  assert.equal(h1, anonymizeIp("192.0.2.77", { mode: "hash", salt: "s1" }));
  assert.notEqual(h1, anonymizeIp("192.0.2.77", { mode: "hash", salt: "s2" }));
  assert.throws(() => anonymizeIp("192.0.2.77", { mode: "hash" }), { name: "RangeError", message: /salt/ });
  assert.equal(anonymizeIpList("203.0.113.9, junk, 2001:db8::1"), "203.0.113.0,2001:db8:0::");
  const parsed = parseCloudFrontLog(
    fieldsHeader(12) +
      requestFields(entityStream(1, { dataset: "t", entity: "h" }), 0, { status: 200, ip: "192.0.2.77" }).slice(0, 12)
        .join("\t"),
    { ipMode: "hash", ipSalt: "s1" },
  );
  assert.equal(parsed.rows.getColumn("c_ip").toArray()[0], h1);
});

Deno.test("decodeRepeated() decodes once, twice, and leaves malformed escapes and '+' alone", () => {
  assert.deepEqual(decodeRepeated("Mozilla/5.0%20(X11)"), { text: "Mozilla/5.0 (X11)", passes: 1 });
  assert.deepEqual(decodeRepeated(DOUBLE_UA.logged), { text: DOUBLE_UA.decoded, passes: 2 });
  assert.deepEqual(decodeRepeated("curl/7.64.1"), { text: "curl/7.64.1", passes: 0 });
  assert.deepEqual(decodeRepeated("a%2Bb+c%ZZ%20d"), { text: "a+b+c%ZZ d", passes: 1 });
  assert.equal(CLOUDFRONT_FIELDS.length, 33);
});

Deno.test("processCloudFront() tags the fixture's 5xx burst as one incident in a 7-day window", async () => {
  const d = await readCloudFrontLogs(await tempFixture("cloudfront"));
  const p = processCloudFront(d);
  assert.equal(p.requests.height, d.rows.height);
  assert.equal(p.report.preprocessing.windows, 2);
  assert.equal(p.incidents.height, 1);
  const start = Number(p.incidents.select(pl.col("start").dt.timestamp()).row(0)[0]);
  assert.ok(start >= CF.incidentStart && start < CF.incidentEnd, new Date(start).toISOString());
  assert.equal(p.incidents.getColumn("metric").toArray()[0], "rate_5xx");
  const minute = p.traffic.filter(pl.col("timestamp").dt.timestamp().eq(CF.incidentStart + 60_000));
  assert.ok((minute.getColumn("rate_5xx").toArray()[0] as number) > 0.2);
  const one = processCloudFront(d, { sampleWindows: 1, seed: 3 });
  assert.equal(one.report.preprocessing.windows_sampled, 1);
  assert.deepEqual(
    one.traffic.getColumn("window_start").toArray(),
    processCloudFront(d, { sampleWindows: 1, seed: 3 }).traffic.getColumn("window_start").toArray(),
  );
});

Deno.test("CloudFrontParser reads a file the same whole (Polars) as line by line", () => {
  const rng = entityStream(4, { dataset: "tests/cloudfront", entity: "paths" });
  const t0 = Date.UTC(2020, 1, 2);
  const lines = Array.from({ length: 300 }, (_, i) => {
    const f = requestFields(rng, t0 + ((i * 7919) % 300) * 1000, {
      status: i % 50 === 0 ? 0 : i % 9 === 0 ? 503 : 200,
    });
    if (i === 5) f[10] = DOUBLE_UA.logged;
    return f.join("\t") + (i % 40 === 0 ? "\t" : "");
  });
  const text = fieldsHeader(33) + lines.join("\n") + "\n";
  const whole = parseCloudFrontLog(text, { source: "f" });
  // A blank line at the end sends the file down the line-by-line path.
  const byLine = parseCloudFrontLog(text + "\n", { source: "f" });
  assert.equal(whole.report.preprocessing.files_read_whole, 1);
  assert.equal(byLine.report.preprocessing.files_read_whole, 0);
  assert.equal(byLine.report.preprocessing.blank_lines, 1);
  assert.ok(whole.rows.frameEqual(byLine.rows));
  assert.deepEqual(whole.report.repaired, byLine.report.repaired);
  assert.equal(whole.report.preprocessing.comment_lines, 2);
  assert.equal(byLine.report.preprocessing.comment_lines, 2);
});

Deno.test("spillCloudFrontLogs() + writeCloudFrontTables() give the in-memory tables, batch by batch and range by range", async (t) => {
  const dir = await tempFixture("cloudfront");
  const cases: [string, Record<string, number>][] = [
    ["default sizes", {}],
    ["small blocks, batches and ranges", { blockBytes: 4096, batchRows: 60, partRows: 50 }],
    ["one sampled window", { blockBytes: 4096, batchRows: 200, partRows: 130, sampleWindows: 1, seed: 3 }],
  ];
  for (const [name, opts] of cases) {
    await t.step(name, async () => {
      // The reference: every row in memory, in one batch.
      const ref = processCloudFront(await readCloudFrontLogs(dir), opts);
      await withTemp(async (tmp) => {
        await Deno.mkdir(join(tmp, "batches"));
        const spill = await spillCloudFrontLogs(dir, join(tmp, "batches"), opts);
        // A batch is full once it holds batchRows rows: at most one block (4096 bytes, < 20 lines) more.
        if (opts.batchRows) assert.ok(spill.parts.length >= 3, `${spill.parts.length} batches`);
        for (const part of spill.parts) assert.ok(readTable(part).height < (opts.batchRows ?? 100_000) + 20);
        const out = await writeCloudFrontTables(spill, tmp, opts);
        const requests = readTable(out.requests.path);
        assert.deepEqual(requests.columns, [...REQUEST_COLUMNS, "window_start"]);
        assert.ok(requests.frameEqual(ref.requests, true), "requests");
        assert.ok(out.traffic.frameEqual(ref.traffic, true), "traffic");
        assert.ok(out.incidents.frameEqual(ref.incidents, true), "incidents");
        assert.equal(out.requests.rows, ref.requests.height);
        // Rows out of order are counted across batches too (the main fixture file is shuffled).
        assert.deepEqual(out.report, ref.report);
        assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name).sort(), ["batches", "requests.parquet"]);
      });
    });
  }
});

function spillFile(dir: string): string {
  return join(dir, "batch-000000.parquet");
}

Deno.test("CloudFrontParser keeps one batch in memory with spillDir, and finish() and finishSpilled() are not mixed", async () => {
  await withTemp(async (tmp) => {
    const lines = Array.from(
      { length: 50 },
      (_, i) =>
        requestFields(
          entityStream(5, { dataset: "tests/cloudfront", entity: `spill-${i}` }),
          Date.UTC(2024, 0, 1) + i * 1000,
          {
            status: 200,
          },
        )
          .join("\t"),
    );
    const text = fieldsHeader(33) + lines.join("\n") + "\n";
    const p = new CloudFrontParser({ spillDir: tmp, batchRows: 10, blockBytes: 1024 });
    p.add(text, "a.log");
    await Deno.stat(spillFile(tmp));
    assert.ok(p.batchesWritten >= 4, `${p.batchesWritten} batches before the end`);
    const spill = p.finishSpilled();
    assert.equal(spill.rows, 50);
    assert.equal(spill.parts.reduce((n, f) => n + readTable(f).height, 0), 50);
    assert.throws(() => p.finish(), /finishSpilled/);
    assert.throws(() => new CloudFrontParser().finishSpilled(), /no spillDir/);
    assert.throws(() => new CloudFrontParser({ batchRows: 0 }), { name: "RangeError", message: /batchRows/ });
  });
});

Deno.test("ingest cloudfront leaves no scratch folder beside its output, also when it fails", async () => {
  await withTemp(async (tmp) => {
    const input = await tempFixture("cloudfront");
    assert.equal(await ingestTask(["--input", input, "--output", join(tmp, "out")]), 0);
    assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), ["out"]);
    const bad = await tempFixture({ "b.gz": new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]) });
    assert.equal(await ingestTask(["--input", bad, "--output", join(tmp, "out2")]), 1);
    assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), ["out"]);
  });
});
