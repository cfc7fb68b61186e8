import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * CI checks what `deno task ok` promises: `.ci/run` runs the format check, lint, type check, the documentation
 * examples and the tests, every step even after one fails, and fails when any does. Run with a stand-in `npx` on
 * PATH that records each call (the real steps are what `deno task ok` runs; here only the script's logic is under
 * test).
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const REPO = new URL("../../", import.meta.url).pathname;
const STEPS: [string, RegExp][] = [
  ["format check", /^-y deno@2\.9\.6 fmt --check$/],
  ["lint", /^-y deno@2\.9\.6 lint$/],
  ["type check", /^-y deno@2\.9\.6 check lib\/ tasks\/ tests\/$/],
  ["doc examples", /^-y deno@2\.9\.6 test --doc .*lib\/ tasks\/$/],
  ["tests", /^-y deno@2\.9\.6 task test$/],
];

async function ci(failing: string | undefined): Promise<{ code: number; calls: string[]; text: string }> {
  const bin = await Deno.makeTempDir({ prefix: "opslab-ci-bin-" });
  try {
    const log = join(bin, "calls.log");
    await Deno.writeTextFile(
      join(bin, "npx"),
      `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *"${failing ?? "@@none@@"}"*) exit 1;; esac\nexit 0\n`,
    );
    await Deno.chmod(join(bin, "npx"), 0o755);
    const out = await new Deno.Command(join(REPO, ".ci/run"), {
      env: { PATH: `${bin}:${Deno.env.get("PATH")}` },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    const calls = (await Deno.readTextFile(log)).trim().split("\n");
    return { code: out.code, calls, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}

Deno.test(".ci/run runs format check, lint, type check, doc examples and tests, and passes when all pass", async () => {
  const { code, calls, text } = await ci(undefined);
  assert.equal(code, 0, text);
  assert.equal(calls.length, STEPS.length, calls.join("\n"));
  STEPS.forEach(([name, pattern], i) => assert.match(calls[i], pattern, name));
  assert.match(text, /CI passed/);
});

Deno.test(".ci/run runs every step after one fails, then fails naming it", async () => {
  const { code, calls, text } = await ci("lint");
  assert.equal(code, 1, text);
  assert.equal(calls.length, STEPS.length, calls.join("\n"));
  assert.match(text, /CI failed: lint$/m);
});

Deno.test("deno task ok runs the same checks as CI", async () => {
  const ok: string = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json"))).tasks.ok;
  for (
    const part of [
      "deno fmt --check",
      "deno lint",
      "deno check lib/ tasks/ tests/",
      "deno test --no-prompt --doc",
      "deno task test",
    ]
  ) {
    assert.ok(ok.includes(part), `deno task ok lacks ${part}`);
  }
});
