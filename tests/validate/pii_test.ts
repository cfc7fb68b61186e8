/** Personal data in text columns: what must be found, and what must not be mistaken for it. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { checkPii, detectPii, type PiiKind, scanPii, TABLE_PII_KINDS } from "@lib/validate/mod.ts";
import { FIRST_NAMES, LAST_NAMES } from "@lib/generate/incidents/catalog.ts";
import { FICTIONAL_SURNAMES } from "@lib/validate/pii/names.ts";

const FOUND: [string, PiiKind][] = [
  ["contact jane.doe@gmail.com today", "email"],
  ["a@example.com.evil.org", "email"],
  ["Reply-To: <Bob.Smith+ops@corp.co.uk>", "email"],
  ["client 10.1.2.3 connected", "ipv4"],
  ["from 192.0.2.1,8.8.8.8", "ipv4"],
  ["peer fe80::1ff:fe23:4567:890a closed", "ipv6"],
  ["v6 2a00:1450:4007:80f::200e", "ipv6"],
  ["call +1 212 555 7788", "phone"],
  ["call 415-867-5309 now", "phone"],
  ["tel (212) 867-5309", "phone"],
  ["+44 20 7946 0958", "phone"],
  ["card 4539 1488 0343 6467 x", "card"],
  ["paid with 5500-0055-5555-5559", "card"],
  ["write to jane dot doe at gmail dot com", "email"],
  ["mail jane[at]gmail[dot]com", "email"],
  ["GET /subscribe?email=jane.doe%40gmail.com", "email"],
  ["peer 010.001.002.003 reset", "ipv4"],
  ["phone: 020 7946 0958", "phone"],
  ["tel (555) 123-4567", "phone"],
  ["phone=4155552671", "phone"],
  ["SSN: 219-09-9999", "ssn"],
  ["refund to DE44 5001 0517 5407 3249 31", "iban"],
];

const CLEAN = [
  "mail ops@example.com or noc@sub.example.net.",
  "svc@host.test and a@b.invalid",
  "from 192.0.2.1,192.0.2.2 and 203.0.113.9 via 198.51.100.7",
  "lo 127.0.0.1 mask 255.255.255.0 any 0.0.0.0",
  "v6 2001:db8::1 and 2001:0DB8:0:0:0:0:0:2 and ::1",
  "version 1.2.3 build 2024.01.15",
  "at 12:30:45 mac 00:1a:2b:3c:4d:5e std::vector",
  "call (555) 555-0123 or 212-555-0199",
  "date 2024-01-15 id 123-456 order 42",
  "ts 1700000000000 ms, request 4539148803436468",
  "test card 4111 1111 1111 1111",
  "uuid 3f2b8c1e-9d4a-4e6b-8f7c-1a2b3c4d5e6f",
  "version 1.2.3.4 and v1.2.3.4",
  "Chrome/120.0.0.0 Safari/537.36",
  "c-ip 81.2.69.0 and 2a00:1450:4007:: as ingest truncates them",
  "pid=4155552671 bytes=2147483647",
  "SSN 666-45-1234, 000-12-3456, 912-34-5678",
  "IBAN DE00123456781234567890",
];

Deno.test("scanPii() finds each kind of personal data", async (t) => {
  for (const [text, kind] of FOUND) {
    await t.step(`${kind}: ${text}`, () => {
      const found = scanPii(pl.DataFrame({ msg: [text, "nothing here"] }));
      assert.deepEqual(found.map((f) => [f.kind, f.rows]), [[kind, 1]], JSON.stringify(found));
    });
  }
});

Deno.test("scanPii() leaves reserved, documentation and look-alike values alone", async (t) => {
  for (const text of CLEAN) {
    await t.step(text, () => assert.deepEqual(scanPii(pl.DataFrame({ msg: [text] })), []));
  }
});

Deno.test("scanPii() counts rows, masks what it shows and scans only the columns asked", () => {
  const df = pl.DataFrame({
    msg: ["x jane@gmail.com", "x jane@gmail.com", "y bob@yahoo.com", null, "ok"],
    other: ["eve@gmail.com", "", "", "", ""],
  });
  const [f] = scanPii(df, ["msg"]);
  assert.deepEqual({ ...f }, { column: "msg", kind: "email", rows: 3, values: 2, example: f.example });
  assert.match(f.example, /^[jb]\*\*\*@(gmail|yahoo)\.com$/);
  assert.equal(scanPii(df).length, 2);
  assert.throws(() => scanPii(df, ["nope"]), { name: "RangeError", message: /nope/ });
});

Deno.test("checkPii() gives one result per column and kind, categorical columns included", () => {
  const df = pl.DataFrame({ msg: ["ip 10.0.0.8", "fine"], n: [1, 2] }).withColumns(pl.col("msg").cast(pl.Categorical));
  const out = checkPii(df);
  assert.equal(out.length, TABLE_PII_KINDS.length);
  assert.deepEqual(out.filter((r) => !r.passed).map((r) => [r.id, r.measured]), [["pii.ipv4:msg", 1]]);
  assert.ok(checkPii(df, { severity: "warning" }).every((r) => r.severity === "warning"));
});

// Its speed is a bench figure ("validate incidents with ~500 MB of database logs"), not a timed test.
Deno.test("scanPii() finds the one e-mail and the one address among 200,000 log lines", () => {
  const n = 200_000;
  const lines = Array.from(
    { length: n },
    (_, i) => `GET /api/v1/items/${i} 200 from 203.0.113.${i % 250} in ${i % 97} ms`,
  );
  lines[123_456] = "GET /login 401 from 81.2.69.142 user=jane.doe@gmail.com";
  const df = pl.DataFrame({ line: lines });
  const found = scanPii(df);
  assert.deepEqual(found.map((f) => [f.kind, f.rows]).sort(), [["email", 1], ["ipv4", 1]]);
});

Deno.test("scanPii() looks inside list-of-string columns", () => {
  const df = pl.DataFrame({ id: [1, 2] }).withColumns(
    pl.Series("to", [["ops@example.com"], ["ops@example.com", "jane.doe@gmail.com"]]).alias("to"),
  );
  const findings = scanPii(df);
  assert.deepEqual(findings.map((f) => [f.column, f.kind, f.rows]), [["to", "email", 1]]);
});

Deno.test("scanPii() looks for person names in columns only when asked", () => {
  const df = pl.DataFrame({ note: ["Dear Jane Doe, the disk is full", "ok"] });
  assert.deepEqual(scanPii(df), []);
  assert.deepEqual(scanPii(df, undefined, { kinds: ["name"] }).map((f) => [f.kind, f.rows, f.example]), [
    ["name", 1, "J*** D***"],
  ]);
});

Deno.test("the name detector allows exactly the incidents generator's fictional people", () => {
  assert.deepEqual([...FICTIONAL_SURNAMES].sort(), [...LAST_NAMES].sort());
  for (const first of FIRST_NAMES) {
    for (const last of LAST_NAMES) {
      for (
        const line of [`From: "${first} ${last}" <x@example.com>`, `Dear ${first} ${last},`, `Name: ${first} ${last}`]
      ) {
        assert.deepEqual(detectPii(line), [], line);
      }
    }
    // The same given name with a real surname is a person.
    assert.equal(detectPii(`Name: ${first} Kowalski`)[0]?.kind, "name", first);
  }
});
