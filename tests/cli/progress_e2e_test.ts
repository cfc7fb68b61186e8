import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Progress off a terminal, end to end: real tasks with stderr piped (as in CI logs) print plain progress lines while
 * they run, with a count, a rate and an ETA, and no terminal control sequences. `OPSLAB_PROGRESS_SECONDS` shortens
 * the interval from 5 s so a run of a few seconds shows several lines.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const REAL = new URL("../../../shared/real/bitbrains_rnd", import.meta.url).pathname;
const PERMS = ["--no-prompt", "--allow-ffi=./node_modules", "--allow-sys", "--allow-env", "--allow-read"];

async function run(args: string[], write: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const out = await new Deno.Command("deno", {
    args: ["run", ...PERMS, `--allow-write=${write}`, ...args],
    env: { OPSLAB_PROGRESS_SECONDS: "0.2", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function assertPlain(stderr: string): void {
  assert.ok(
    !stderr.includes("\r") && !stderr.includes("\x1b["),
    "no carriage returns or escape sequences off a terminal",
  );
}

Deno.test("generate capacity, stderr piped: plain lines with count, rate and ETA while it runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-progress-" });
  try {
    const r = await run(
      ["tasks/generate.ts", "capacity", "--granularity", "hourly", "--servers", "60", "--output", join(dir, "c")],
      dir,
    );
    assert.equal(r.code, 0, r.stderr);
    assertPlain(r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("capacity: "));
    assert.ok(lines.length >= 2, `several progress lines, got:\n${r.stderr}`);
    for (const l of lines) {
      assert.match(l, /^capacity: [\d,]+\/[\d,]+ rows \(\d+%\), \d+\.\d s elapsed/);
    }
    assert.ok(lines.some((l) => /rows\/s, ETA /.test(l)), `a rate and an ETA after the first second:\n${r.stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingest gwa, stderr piped: the shared display counts the trace files, then names its steps", async () => {
  try {
    await Deno.stat(REAL);
  } catch {
    throw new Error(`The real Bitbrains traces are missing at ${REAL}: see ../shared/real/README.md`);
  }
  const dir = await Deno.makeTempDir({ prefix: "opslab-progress-" });
  try {
    const r = await run(["tasks/ingest.ts", "gwa", "--input", REAL, "--output", join(dir, "bitbrains")], dir);
    assert.equal(r.code, 0, r.stderr);
    assertPlain(r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("ingest gwa "));
    assert.ok(lines.length >= 2, `several progress lines, got:\n${r.stderr}`);
    assert.ok(lines.some((l) => /^ingest gwa reading: [\d,]+\/30 files \(\d+%\)/.test(l)), r.stderr);
    assert.match(r.stdout, /ingested gwa: /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
