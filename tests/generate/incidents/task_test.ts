import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";

const TASK = new URL("../../../tasks/generate_incidents.ts", import.meta.url).pathname;
const PERMS = ["--allow-ffi=./node_modules", "--allow-sys", "--allow-env", "--allow-read", "--allow-write=/tmp"];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("deno", {
    args: ["run", ...PERMS, TASK, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("generate incidents: --help, a bad flag value exits 2 with one line, --stats prints rows, seconds and RSS", async () => {
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--incidents-per-week/);
  assert.match(help.stdout, /--modalities/);
  const bad = await run(["--to", "2024-01-01", "--from", "2024-02-01"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.match(bad.stderr, /to .*must be after from/);
  const dir = await Deno.makeTempDir({ prefix: "opslab-incidents-task-" });
  const out = join(dir, "ds");
  const ok = await run([
    "--from",
    "2024-03-04",
    "--to",
    "2024-03-06",
    "--modalities",
    "tickets,emails",
    "--output",
    out,
    "--stats",
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  const stats = JSON.parse(ok.stdout.trim().split("\n").at(-1)!);
  assert.ok(stats.rows > 0 && stats.seconds > 0 && stats.peak_rss_bytes > 0);
  const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
  assert.deepEqual(Object.keys(manifest.tables).sort(), ["email_index", "incidents", "tickets"]);
  await Deno.remove(dir, { recursive: true });
});
