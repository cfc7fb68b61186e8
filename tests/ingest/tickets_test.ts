import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import {
  decodeNumericEntities,
  DEFAULT_SEVERITY_MATRIX,
  loadTicketIndex,
  processTickets,
  readTickets,
  splitCsv,
  TicketIndex,
} from "@lib/ingest/tickets/mod.ts";
import { assertBalanced } from "@lib/ingest/common/mod.ts";
import { main } from "../../tasks/ingest_tickets.ts";
import { TICKETS } from "../fixtures/ingest/_tickets.ts";
import { tempFixture, withTemp } from "./_util.ts";

Deno.test("splitCsv() handles quotes, doubled quotes, separators and line breaks in fields, CRLF and faults", async (t) => {
  const cases: [string, string, string[][], string[]][] = [
    ["plain", "a,b\n1,2\n3,4", [["1", "3"], ["2", "4"]], []],
    ["quoted", 'a,b\n"x, y","say ""hi"""\n', [["x, y"], ['say "hi"']], []],
    ["multi-line", 'a,b\r\n1,"two\r\nlines"\r\n3,4\r\n', [["1", "3"], ["two\r\nlines", "4"]], []],
    ["empty fields", "a,b,c\n,,\n", [[""], [""], [""]], []],
    ["short record", "a,b\n1\n2,3\n", [["2"], ["3"]], ["field_count"]],
    ["open quote", 'a,b\n1,2\n3,"never closed\n', [["1"], ["2"]], ["unterminated_quote"]],
  ];
  for (const [name, text, columns, faults] of cases) {
    await t.step(name, () => {
      const r = splitCsv(text);
      assert.deepEqual(r.columns, columns);
      assert.deepEqual(r.faults.map((f) => f.reason), faults);
      assert.equal(r.records, columns[0].length + faults.length);
    });
  }
  const lines = splitCsv('a,b\n1,"x\ny"\n2,z\n');
  assert.deepEqual(lines.lines, [2, 4]);
  assert.throws(() => splitCsv(""), { name: "RangeError", message: /no header/ });
});

Deno.test("readTickets() cleans, validates and maps the fixture; rows in = out + quarantined", async () => {
  const dir = await tempFixture("tickets");
  const d = await readTickets(dir);
  assertBalanced(d.report);
  assert.equal(d.report.rows_read, TICKETS.records);
  assert.equal(d.report.rows_written, TICKETS.good);
  assert.deepEqual(d.report.quarantined, Object.fromEntries(Object.entries(TICKETS.quarantined).sort()));
  assert.equal(d.report.repaired.empty_title_rows, TICKETS.emptyTitles);
  assert.equal(d.report.repaired.html_cleaned_rows, TICKETS.htmlRows);
  assert.equal(d.report.repaired.crlf_files, 1);
  const body = (id: number) => d.tickets.filter(pl.col("ticket_id").eq(id)).getColumn("body").toArray()[0];
  assert.equal(body(3), 'Hello team, My VPN client fails with error "809" & then disconnects. Thanks — John');
  assert.equal(body(4), "Outlook crashes every time I open an attachment from a customer.");
  assert.match(body(9) as string, /^The production database server is not responding\. All users of the "orders"/);
  assert.equal(d.tickets.getColumn("title").toArray()[1], null);
  assert.equal(String(d.tickets.getColumn("urgency").dtype), "DataType(Int32)");
  assert.match(d.license ?? "", /helpdesk/);
});

Deno.test("readTickets() derives severity P1-P4 from urgency x impact through the matrix, default or given", async () => {
  const dir = await tempFixture("tickets");
  const d = await readTickets(dir);
  const sev = d.tickets.select("urgency", "impact", "severity").rows();
  for (const [u, i, s] of sev) assert.equal(s, DEFAULT_SEVERITY_MATRIX[String(u)][String(i)], `${u}x${i}`);
  assert.equal(d.tickets.filter(pl.col("ticket_id").eq(9)).getColumn("severity").toArray()[0], "P1");
  const flat = Object.fromEntries(
    ["0", "1", "2", "3", "9"].map((
      u,
    ) => [u, Object.fromEntries(["0", "1", "2", "3", "4"].map((i) => [i, "P3" as const]))]),
  );
  const custom = await readTickets(dir, { severityMatrix: flat });
  assert.equal(custom.report.quarantined.unmapped_severity, undefined);
  assert.deepEqual([...new Set(custom.tickets.getColumn("severity").toArray())], ["P3"]);
});

Deno.test("readTickets() follows a column mapping and names a missing column", async () => {
  const csv = "id;subject;text;prio;effect\n7;VPN;vpn is down;0;1\n8;;printer jam;2;2\n";
  const dir = await tempFixture({ "export.csv": csv });
  const columns = {
    id: "id",
    title: "subject",
    body: "text",
    urgency: "prio",
    impact: "effect",
    ticket_type: null,
    category: null,
    sub_category1: null,
    sub_category2: null,
    business_service: null,
  };
  const d = await readTickets(join(dir, "export.csv"), { columns, separator: ";" });
  assert.equal(d.tickets.height, 2);
  assert.deepEqual(d.tickets.getColumn("source_id").toArray(), ["7", "8"]);
  assert.deepEqual(d.tickets.getColumn("severity").toArray(), ["P1", "P3"]);
  assert.equal(d.tickets.getColumn("category").nullCount(), 2);
  await assert.rejects(
    () => readTickets(dir, { separator: ";" }),
    /column "title" \(for title\) is not in the header, found "id", "subject"/,
  );
});

Deno.test("decodeNumericEntities() decodes decimal and hex references and leaves invalid ones", () => {
  assert.equal(decodeNumericEntities("caf&#233; &#x2014; &#128512; &#xD800; &#0;"), "café — 😀 &#xD800; &#0;");
});

Deno.test("processTickets() detects the language of each ticket", async () => {
  const p = processTickets(await readTickets(await tempFixture("tickets")));
  const lang = (id: number) => p.tickets.filter(pl.col("ticket_id").eq(id)).getColumn("language").toArray()[0];
  assert.equal(lang(7), "deu");
  assert.equal(lang(8), "fra");
  const eng = p.tickets.filter(pl.col("language").eq(pl.lit("eng"))).height;
  // franc on one-sentence tickets is not perfect: of the 12 English tickets, at least 10 must be found.
  assert.ok(eng >= 10, `eng ${eng}`);
});

Deno.test("TicketIndex.similarTickets() ranks tickets sharing words first, with cosine scores", () => {
  const texts = [
    "vpn connection drops every few minutes",
    "printer on floor two is out of toner",
    "cannot connect to the vpn from home",
    "outlook asks for my password again and again",
    null,
  ];
  const index = TicketIndex.build(texts, [10, 20, 30, 40, 50], { dims: 1024 });
  const hits = index.similarTickets("vpn connection problem", 3);
  assert.deepEqual(hits.map((h) => h.ticket_id), [10, 30]);
  assert.ok(hits[0].score > hits[1].score && hits[0].score <= 1);
  const self = index.similarTickets(texts[1]!, 1)[0];
  assert.equal(self.ticket_id, 20);
  assert.ok(Math.abs(self.score - 1) < 1e-6);
  assert.deepEqual(index.similarTickets("zebra", 3), []);
  assert.throws(() => TicketIndex.build(["a"], [1], { dims: 3 }), { name: "RangeError", message: /dims/ });
});

Deno.test("the tickets task stores an index that loads back and answers like the built one", async () => {
  await withTemp(async (tmp) => {
    const input = await tempFixture("tickets");
    const out = join(tmp, "tickets");
    assert.equal(await main(["--input", input, "--output", out, "--dims", "512"]), 0);
    const loaded = await loadTicketIndex(out);
    const built = processTickets(await readTickets(input), { embedding: { dims: 512 } }).index;
    const q = "my vpn client disconnects";
    assert.deepEqual(
      loaded.similarTickets(q, 3).map((h) => h.ticket_id),
      built.similarTickets(q, 3).map((h) => h.ticket_id),
    );
    assert.deepEqual(loaded.similarTickets(q, 3).map((h) => h.ticket_id).sort(), [...TICKETS.vpnIds]);
  });
});
