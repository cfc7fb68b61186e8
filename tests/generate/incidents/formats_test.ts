import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { buildFleet, DB_ENGINES, DB_PATTERNS, type Engine, IncidentsConfig } from "@lib/generate/incidents/mod.ts";
import { type DbContext, simulateServer } from "@lib/generate/incidents/dblogs/mod.ts";
import { readCloudFrontLogs } from "@lib/ingest/cloudfront/mod.ts";
import { filesUnder, fixture, readText } from "./_fixture.ts";
import {
  parseCloudFront,
  type ParsedRecord,
  parseEml,
  parseMongo,
  parseMysqlError,
  parseMysqlSlow,
  parsePostgres,
} from "./_parsers.ts";

const PARSERS: [RegExp, (text: string) => ParsedRecord[]][] = [
  [/^db_logs\/postgresql\/.*\.log$/, parsePostgres],
  [/^db_logs\/mysql\/.*-error\.log$/, parseMysqlError],
  [/^db_logs\/mysql\/.*-slow\.log$/, parseMysqlSlow],
  [/^db_logs\/mongodb\/.*\.log$/, parseMongo],
  [/^cloudfront\/.*\.gz$/, parseCloudFront],
];

function parserOf(file: string): (text: string) => ParsedRecord[] {
  const hit = PARSERS.find(([re]) => re.test(file));
  if (!hit) throw new Error(`no parser for ${file}`);
  return hit[1];
}

Deno.test("every database log and CloudFront file parses strictly and its records match the label sidecar", async (t) => {
  const fx = await fixture();
  for (
    const [kind, table, prefix] of [
      ["database", "db_log_labels", "db_logs/"],
      ["cloudfront", "cloudfront_labels", "cloudfront/"],
    ] as const
  ) {
    await t.step(kind, async () => {
      const labels = fx.table(table).sort(["file", "line"]);
      const byFile = labels.partitionBy("file", true, true) as unknown as pl.DataFrame[];
      const files = filesUnder(fx, prefix);
      assert.ok(files.length > 0);
      assert.equal(byFile.length, files.length, "one label group per file");
      let records = 0;
      for (const group of byFile) {
        const file = group.getColumn("file").get(0) as string;
        const parsed = parserOf(file)(await readText(fx.dir, file));
        assert.equal(parsed.length, group.height, `${file}: one label row per record`);
        assert.deepEqual(parsed.map((r) => r.line), group.getColumn("line").toArray(), `${file}: record lines`);
        assert.deepEqual(parsed.map((r) => r.lines), group.getColumn("lines").toArray(), `${file}: lines per record`);
        const ms = (group.getColumn("timestamp").toArray() as unknown as Date[]).map((d) => d.getTime());
        // Labels keep milliseconds; CloudFront logs keep seconds.
        parsed.forEach((r, i) => assert.equal(r.ms, kind === "cloudfront" ? Math.floor(ms[i] / 1000) * 1000 : ms[i]));
        records += parsed.length;
      }
      assert.equal(records, fx.manifest.tables[table].rows);
    });
  }
});

Deno.test("the generated CloudFront logs read back through the CloudFront ingester with zero quarantined rows", async () => {
  const fx = await fixture();
  const data = await readCloudFrontLogs(join(fx.dir, "cloudfront"));
  assert.equal(data.report.rows_quarantined, 0, JSON.stringify(data.report.quarantined));
  assert.equal(data.report.rows_read, fx.manifest.tables.cloudfront_labels.rows);
  assert.equal(data.report.rows_written, data.report.rows_read);
  assert.deepEqual(data.report.files_skipped, []);
  assert.equal(data.rows.height, data.report.rows_read);
  const status = data.rows.getColumn("sc_status").toArray() as number[];
  const share = (f: (s: number) => boolean) => status.filter(f).length / status.length;
  assert.ok(share((s) => s === 200) > 0.8, "mostly 200");
  assert.ok(share((s) => s >= 500) > 0.0005 && share((s) => s >= 500) < 0.05, `5xx share ${share((s) => s >= 500)}`);
  const results = data.rows.getColumn("x_edge_result_type").toArray() as string[];
  const hits = results.filter((r) => r === "Hit").length / results.length;
  assert.ok(hits > 0.4 && hits < 0.8, `hit ratio ${hits}`);
});

Deno.test("every e-mail is an RFC 5322 message that threads to messages of the dataset", async () => {
  const fx = await fixture();
  const index = fx.table("email_index");
  const files = filesUnder(fx, "emails/").filter((f) => f.endsWith(".eml"));
  assert.equal(files.length, index.height);
  const ids = new Set(index.getColumn("message_id").toArray() as string[]);
  const byFile = new Map((index.toRecords() as Record<string, unknown>[]).map((r) => [r.file as string, r]));
  for (const file of files) {
    const msg = parseEml(await readText(fx.dir, file));
    const row = byFile.get(file)!;
    assert.equal(msg.messageId, row.message_id, file);
    assert.equal(msg.date, (row.date as Date).getTime(), file);
    assert.equal(msg.inReplyTo, row.in_reply_to, file);
    for (const r of msg.references) assert.ok(ids.has(r), `${file}: references a message of the dataset`);
  }
});

Deno.test("each engine renders every incident pattern and its background in its strict format", () => {
  const fleet = buildFleet(3, 120);
  const parse: Record<Engine, (text: string) => ParsedRecord[]> = {
    postgresql: parsePostgres,
    mysql: parseMysqlError,
    mongodb: parseMongo,
  };
  for (const engine of Object.keys(DB_ENGINES) as Engine[]) {
    const server = fleet.servers.find((s) => s.engine === engine)!;
    const ctx: DbContext = {
      server,
      database: "orders",
      appUser: "orders_app",
      clients: ["orders-api"],
      clientIps: ["192.0.2.10"],
      pids: { checkpointer: 900, archiver: 901, autovacuum: 902, walreceiver: 903, main: 600 },
    };
    const start = Date.UTC(2024, 2, 4), end = Date.UTC(2024, 2, 5);
    const facts = { attacker_ip: "203.0.113.9", account: "admin", lag_seconds: 120 };
    const planned = DB_PATTERNS.flatMap((pattern, i) =>
      Array.from(
        { length: 8 },
        (_, step) => ({ t: start + 3_600_000 * (i + 1) + step * 1000, pattern, step, incident: 0 }),
      )
    );
    const config = IncidentsConfig.parse({ volumes: { db_records_per_server_hour: 40 } });
    const records = [
      ...simulateServer(DB_ENGINES[engine], { config, ctx, planned, incidents: [{ facts }], span: { start, end } }),
    ]
      .map((r) => r.rec);
    const files = DB_ENGINES[engine].files(ctx);
    files.forEach((_, f) => {
      const mine = records.filter((r) => r.file === f);
      const text = [...DB_ENGINES[engine].header(ctx, f), ...mine.flatMap((r) => r.lines)].join("\n") + "\n";
      const parser = f === 1 ? parseMysqlSlow : parse[engine];
      const parsed = parser(text);
      const sizes = mine.flatMap((r) =>
        (r.entries ?? [{ start: 0 }]).map((e, k, all) => (all[k + 1]?.start ?? r.lines.length) - e.start)
      );
      assert.ok(mine.length > 100, `${engine} file ${f}: ${mine.length} records`);
      assert.equal(parsed.length, sizes.length, `${engine} file ${f}: one parsed record per rendered entry`);
      assert.deepEqual(parsed.map((p) => p.lines), sizes);
    });
  }
});

Deno.test("the strict parsers reject what their formats forbid", () => {
  const ok = "2024-03-04 12:00:00.123 UTC [42] app@orders ERROR:  boom\n";
  assert.equal(parsePostgres(ok).length, 1);
  assert.throws(() => parsePostgres("2024-03-04 12:00:00 UTC [42] LOG:  no millis\n"), /must match/);
  assert.throws(() => parsePostgres("2024-03-04 12:00:00.123 UTC [42] DETAIL:  orphan\n"), /must follow/);
  assert.throws(() => parsePostgres("2024-02-30 12:00:00.123 UTC [42] LOG:  x\n"), /real timestamp/);
  assert.throws(() => parseMysqlError("2024-03-04T12:00:00.123Z 1 [Note] [MY-010914] [Server] x\n"), /must match/);
  assert.throws(
    () =>
      parseMongo('{"t":{"$date":"2024-03-04T12:00:00.123+00:00"},"s":"I","c":"NETWORK","id":1,"msg":"x","ctx":"y"}\n'),
    /must start/,
  );
  const line = [
    "2024-03-04",
    "12:00:00",
    "IAD89-C1",
    "100",
    "192.0.2.1",
    "GET",
    "d111111abcdef8.cloudfront.net",
    "/",
    "200",
    "-",
    "UA",
    "-",
    "-",
    "Hit",
    `${"A".repeat(53)}A==`,
    "www.example.com",
    "https",
    "100",
    "0.010",
    "-",
    "TLSv1.3",
    "TLS_AES_128_GCM_SHA256",
    "Hit",
    "HTTP/2.0",
    "-",
    "-",
    "443",
    "0.005",
    "Hit",
    "text/html",
    "10",
    "-",
    "-",
  ];
  const head =
    `#Version: 1.0\n#Fields: ${"date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"}\n`;
  assert.equal(parseCloudFront(head + line.join("\t") + "\n").length, 1);
  assert.throws(() => parseCloudFront(head + line.slice(0, 32).join("\t") + "\n"), /33/);
  assert.throws(
    () => parseCloudFront(head + line.map((v, i) => (i === 10 ? "Mozilla 5" : v)).join("\t") + "\n"),
    /without spaces/,
  );
  const eml =
    "Date: Mon, 04 Mar 2024 12:00:00 +0000\r\nFrom: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nMessage-ID: <1.a@example.com>\r\n\r\nhi\r\n";
  assert.equal(parseEml(eml).messageId, "1.a@example.com");
  assert.throws(() => parseEml(eml.replace("Mon,", "Tue,")), /day name/);
  assert.throws(() => parseEml(eml.replaceAll("\r\n", "\n")), /CRLF/);
  assert.throws(() => parseEml(eml.replace("Message-ID: <1.a@example.com>\r\n", "")), /message-id field is required/);
});
