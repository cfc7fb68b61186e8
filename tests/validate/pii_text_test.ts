/** Personal data in a dataset's text files: logs, gzipped CloudFront logs and e-mails are scanned, line by line. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import { type Manifest, readManifest, sha256File } from "@lib/lake/mod.ts";
import { checkTextPii, scanTextFile, textFiles, validatePath } from "@lib/validate/mod.ts";
import type { CheckResult } from "@lib/validate/types.ts";
import { filesUnder, fixture, readText } from "../generate/incidents/_fixture.ts";

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/** Rewrites a dataset file and its size and SHA-256 in the manifest, so only the planted data differs. */
async function plant(dir: string, file: string, edit: (lines: string[]) => void): Promise<void> {
  const lines = (await readText(dir, file)).split("\n");
  edit(lines);
  const text = new TextEncoder().encode(lines.join("\n"));
  await Deno.writeFile(join(dir, file), file.endsWith(".gz") ? gzipSync(text) : text);
  const manifest: Manifest = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
  const entry = manifest.files.find((f) => f.path === file)!;
  entry.bytes = (await Deno.stat(join(dir, file))).size;
  entry.sha256 = await sha256File(join(dir, file));
  await Deno.writeTextFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

function failedPii(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.family === "pii" && !r.passed);
}

Deno.test("a generated incidents dataset has no personal data in any file, text files included", async () => {
  const fx = await fixture();
  const { validation } = await validatePath(fx.dir);
  assert.deepEqual(failedPii(validation.results).map((r) => `${r.id}: ${r.message}`), []);
  const summary = validation.results.find((r) => r.id === "pii.text_files");
  assert.ok(summary, "the text files were scanned");
  const files = textFiles(fx.manifest);
  assert.ok(files.some((f) => f.endsWith(".gz")) && files.some((f) => f.endsWith(".eml")));
  assert.ok(
    files.some((f) => f.startsWith("db_logs/postgresql/")) && files.some((f) => f.startsWith("db_logs/mongodb/")),
  );
  assert.match(summary.message, new RegExp(`^No personal data in ${files.length} text files \\([\\d,]+ lines`));
});

Deno.test("PII planted in a PostgreSQL log, a MongoDB log, an e-mail body and a CloudFront client IP is found with file and line", async () => {
  const fx = await fixture();
  const dir = join(await Deno.makeTempDir({ prefix: "opslab-pii-" }), "ds");
  await copyDir(fx.dir, dir);
  const pg = filesUnder(fx, "db_logs/postgresql/")[0];
  const mongo = filesUnder(fx, "db_logs/mongodb/")[0];
  const eml = filesUnder(fx, "emails/").find((f) => f.endsWith(".eml"))!;
  const cf = filesUnder(fx, "cloudfront/").find((f) => f.endsWith(".gz"))!;
  let pgLine = 0, mongoLine = 0, body = 0;
  await plant(dir, pg, (l) => {
    pgLine = l.findIndex((x) => /user=\w+/.test(x));
    l[pgLine] = l[pgLine].replace(/user=\w+/, "user=jane dot doe at gmail dot com");
  });
  await plant(dir, mongo, (l) => {
    mongoLine = l.findIndex((x) => /"remote":"[\d.]+:/.test(x));
    l[mongoLine] = l[mongoLine].replace(/"remote":"[\d.]+:/, '"remote":"81.2.69.142:');
  });
  await plant(dir, eml, (l) => {
    body = l.findIndex((x) => x === "" || x === "\r") + 2;
    l.splice(body, 0, "Please call Jane Doe on 020 7946 0958 about the refund.\r");
  });
  await plant(dir, cf, (l) => {
    // Line 7 is a request (two header lines first); its 5th field is the client IP.
    const f = l[6].split("\t");
    f[4] = "81.2.69.160";
    l[6] = f.join("\t");
  });
  const { validation } = await validatePath(dir);
  assert.equal(validation.results.find((r) => r.id === "integrity.checksum")?.passed, true);
  assert.equal(validation.ok(), false);
  const failed = failedPii(validation.results);
  const want: [string, number][] = [
    [`pii.email:${pg}`, pgLine + 1],
    [`pii.ipv4:${mongo}`, mongoLine + 1],
    [`pii.name:${eml}`, body + 1],
    [`pii.phone:${eml}`, body + 1],
    [`pii.ipv4:${cf}`, 7],
  ];
  for (const [id, line] of want) {
    const r = failed.find((x) => x.id === id);
    assert.ok(r, `${id} among ${failed.map((x) => x.id).join(", ")}`);
    assert.equal(r.severity, "error");
    assert.equal(r.measured, 1);
    assert.match(r.message, new RegExp(`: line ${line}, e\\.g\\. `), r.message);
  }
  assert.deepEqual(failed.map((r) => r.id).sort(), ["pii.text_files", ...want.map(([id]) => id)].sort());
  const text = JSON.stringify(validation);
  for (const raw of ["jane dot doe at gmail", "81.2.69.142", "81.2.69.160", "020 7946 0958", "Jane Doe"]) {
    assert.ok(!text.includes(raw), `the validation shows "${raw}" unmasked`);
  }
  await Deno.remove(dirname(dir), { recursive: true });
});

Deno.test("scanTextFile() streams gzip, decodes quoted-printable e-mail bodies and splits endless lines", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-pii-" });
  await t.step("gzip, by content even without .gz", async () => {
    const text = "ok 192.0.2.1\nversion 1.2.3.4\nfrom 010.001.002.003\n";
    await Deno.writeFile(join(dir, "a.log"), gzipSync(new TextEncoder().encode(text)));
    const scan = await scanTextFile(join(dir, "a.log"), { name: "a.log" });
    assert.equal(scan.lines, 3);
    assert.deepEqual(scan.findings, [{ file: "a.log", line: 3, kind: "ipv4", example: "10.x.x.x" }]);
  });
  await t.step("quoted-printable: =40 and soft line breaks", async () => {
    const eml = [
      "From: noc@example.com",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      "Hello,",
      "write to jane.doe=40gmail.com or to a colleague whose address is very long =",
      "so it wraps: bob.smith@ya=",
      "hoo.com",
    ].join("\r\n");
    await Deno.writeTextFile(join(dir, "m.eml"), eml);
    const scan = await scanTextFile(join(dir, "m.eml"), { name: "m.eml", kinds: ["email"] });
    assert.deepEqual(scan.findings.map((f) => f.line), [6]);
    assert.equal(scan.counts.email, 1);
  });
  await t.step("base64 MIME parts are decoded", async () => {
    const part = btoa("Hello,\nplease call Jane Doe on 020 7946 0958.\n").replace(/(.{40})/g, "$1\r\n");
    const eml = [
      "From: noc@example.com",
      'Content-Type: multipart/alternative; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      part,
      "--b1--",
      "",
    ].join("\r\n");
    await Deno.writeTextFile(join(dir, "b.eml"), eml);
    const scan = await scanTextFile(join(dir, "b.eml"), { name: "b.eml" });
    assert.deepEqual(scan.findings.map((f) => [f.kind, f.line]), [["name", 8], ["phone", 8]]);
  });
  await t.step("a 3 MB line without newline is scanned in overlapping pieces", async () => {
    const long = "x".repeat(3 << 20) + " jane.doe@gmail.com";
    await Deno.writeTextFile(join(dir, "long.txt"), "first\n" + long);
    const scan = await scanTextFile(join(dir, "long.txt"), { name: "long.txt" });
    assert.deepEqual(scan.findings.map((f) => [f.kind, f.line]), [["email", 2]]);
  });
  await t.step("binary content is skipped and said so", async () => {
    await Deno.writeFile(join(dir, "b.bin"), new Uint8Array([1, 0, 2, 0, 64]));
    const scan = await scanTextFile(join(dir, "b.bin"));
    assert.match(scan.skipped ?? "", /binary/);
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkTextPii() is a warning for ingested data and leaves tables and Parquet to the column scan", async () => {
  const fx = await fixture();
  const manifest = await readManifest(fx.dir);
  const files = textFiles(manifest);
  assert.ok(files.every((f) => !f.endsWith(".parquet")));
  const tableFiles = Object.values(manifest.tables).flatMap((t) => t.files);
  assert.ok(files.every((f) => !tableFiles.includes(f)));
  const dir = await Deno.makeTempDir({ prefix: "opslab-pii-" });
  await Deno.writeTextFile(join(dir, "app.log"), "ok\nlogin from 81.2.69.142\n");
  const raw: Manifest = { ...manifest, layer: "raw", tables: {}, files: [{ path: "app.log", bytes: 0, sha256: "" }] };
  const [summary, found] = await checkTextPii(dir, raw, { severity: "warning" });
  assert.deepEqual([summary.id, summary.passed, found.id, found.severity], [
    "pii.text_files",
    false,
    "pii.ipv4:app.log",
    "warning",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("client addresses truncated to /24 and /48 by the CloudFront ingester are not flagged, the raw ones are", async () => {
  const fx = await fixture();
  const root = await Deno.makeTempDir({ prefix: "opslab-pii-" });
  const input = join(root, "raw");
  await Deno.mkdir(input);
  const file = filesUnder(fx, "cloudfront/").find((f) => f.endsWith(".gz"))!;
  const real = ["81.2.69.160", "185.199.108.153", "2a00:1450:4007:80f::200e", "2606:4700:4700::1111"];
  const lines = (await readText(fx.dir, file)).split("\n").map((line, i) => {
    if (line.startsWith("#") || line === "") return line;
    const f = line.split("\t");
    f[4] = real[i % real.length];
    return f.join("\t");
  });
  await Deno.writeFile(join(input, file.split("/").pop()!), gzipSync(new TextEncoder().encode(lines.join("\n"))));
  const scan = await scanTextFile(join(input, file.split("/").pop()!), { kinds: ["ipv4", "ipv6"] });
  assert.equal((scan.counts.ipv4 ?? 0) + (scan.counts.ipv6 ?? 0), lines.filter((l) => /^\d/.test(l)).length);
  const { ingestCloudFront } = await import("@lib/ingest/cloudfront/mod.ts");
  const out = join(root, "processed");
  await ingestCloudFront(input, out);
  const ips = new Set(pl.readParquet(join(out, "requests.parquet")).getColumn("c_ip").toArray());
  assert.ok(ips.has("81.2.69.0") && ips.has("2a00:1450:4007::"), [...ips].join(", "));
  const { validation } = await validatePath(out);
  assert.deepEqual(failedPii(validation.results).map((r) => `${r.id}: ${r.message}`), []);
  await Deno.remove(root, { recursive: true });
});
