import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyProject, taskDefinitions } from "../tasks/_project.ts";

const REPO = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Runs a deno command line (as deno.json writes it) in `cwd`, without a shell. */
async function deno(line: string, extra: string[], cwd: string) {
  const [cmd, ...args] = line.split(/\s+/);
  assert.equal(cmd, "deno");
  const out = await new Deno.Command(cmd, { args: [...args, ...extra], cwd, stdout: "piped", stderr: "piped" })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function list(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    out.push(e.name);
    if (e.isDirectory) out.push(...(await list(join(dir, e.name))).map((n) => `${e.name}/${n}`));
  }
  return out.sort();
}

Deno.test("generate refuses an --output outside the task's write scope before anything starts, workers or not", async (t) => {
  const project = await copyProject();
  const outside = await Deno.makeTempDir({ prefix: "opslab-outside-" });
  const generate = (await taskDefinitions()).generate;
  try {
    await t.step("inside data/ the workers run and merge", async () => {
      const args = ["capacity", "--servers", "2", "--years", "1", "--workers", "2", "--output", "data/synthetic/w"];
      const res = await deno(generate, args, project);
      assert.equal(res.code, 0, res.stderr);
      assert.ok((await list(join(project, "data"))).includes("synthetic/w/manifest.json"));
    });
    const before = await list(join(project, "data"));
    const cases: [string, string[]][] = [
      ["--workers 2", ["capacity", "--servers", "2", "--years", "1", "--workers", "2"]],
      ["one process", ["capacity", "--servers", "2", "--years", "1"]],
      ["--shard 0/2", ["msp", "--shard", "0/2"]],
      ["--merge", ["anomalies", "--merge"]],
      ["--inject-into", ["anomalies", "--inject-into", "data/synthetic/w"]],
    ];
    for (const [what, args] of cases) {
      await t.step(what, async () => {
        const res = await deno(generate, [...args, "--output", join(outside, "x")], project);
        assert.equal(res.code, 2, res.stderr);
        assert.equal(
          res.stderr.trim(),
          `error: Cannot write --output "${join(outside, "x")}": it is outside the folders this task may write ` +
            "(its --allow-write in deno.json)",
        );
        assert.deepEqual(await list(outside), [], "nothing written outside");
        assert.deepEqual(await list(join(project, "data")), before, "nothing written in data/");
      });
    }
  } finally {
    await Deno.remove(project, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("a shard worker gets the parent's own grants, not the folder of the output", async (t) => {
  const parent = [
    "deno run --no-prompt",
    `--allow-read=${REPO}`,
    `--allow-write=${REPO}/data`,
    `--allow-ffi=${REPO}/node_modules`,
    "--allow-sys --allow-env tests/cli/_inherited.ts",
  ].join(" ");
  const needs = (n: object) => deno(parent, [JSON.stringify(n)], REPO).then((r) => JSON.parse(r.stdout));
  await t.step("the grants that cover the needed paths", async () => {
    assert.deepEqual(
      await needs({
        read: [`${REPO}/`, `${REPO}/data/synthetic`, `${REPO}/configs/c.yaml`],
        write: [`${REPO}/data/synthetic/deep/er`],
        ffi: [`${REPO}/node_modules`],
      }),
      [
        "--no-prompt",
        `--allow-read=${REPO}`,
        `--allow-write=${REPO}/data`,
        `--allow-ffi=${REPO}/node_modules`,
        "--allow-sys",
        "--allow-env",
      ],
    );
  });
  await t.step("a path the parent may not touch is refused, not granted", async () => {
    assert.deepEqual(await needs({ write: ["/tmp/elsewhere"] }), {
      error: 'Cannot start a child process: this one has no write access to "/tmp/elsewhere"',
    });
    assert.deepEqual(await needs({ write: [REPO] }), {
      error: `Cannot start a child process: this one has no write access to "${REPO}"`,
    });
  });
  await t.step("unrestricted flags stay unrestricted, partial sys and env are not widened", async () => {
    const res = await deno(
      `deno run --no-prompt --allow-read --allow-write=${REPO}/data --allow-env=HOME tests/cli/_inherited.ts`,
      [JSON.stringify({ read: [`${REPO}/lib`], write: [`${REPO}/data/x`] })],
      REPO,
    );
    assert.deepEqual(JSON.parse(res.stdout), ["--no-prompt", "--allow-read=/", `--allow-write=${REPO}/data`]);
  });
});
