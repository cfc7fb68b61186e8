import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";

/** Runs tasks/schemas.ts with read access only: anything it tried to write would fail. */
async function schemas(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--no-prompt",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read=.",
      "tasks/schemas.ts",
      ...args,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("deno task schemas --help explains itself and writes nothing; a stray argument exits 2 with one line", async () => {
  const help = await schemas("--help");
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: deno task schemas \[--check\]/);
  const bad = await schemas("--bogus");
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim(), "error: unknown flag --bogus (see --help)");
  const check = await schemas("--check");
  assert.equal(check.code, 0, `the committed schema files are current: ${check.stderr}`);
});
