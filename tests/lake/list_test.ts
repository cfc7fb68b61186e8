import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * `deno task lake list` shows a validation status only when `validation.json` is of the content the manifest
 * lists now: a result of other content (a regenerated dataset) is "stale", never its old pass.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { contentFingerprint } from "@lib/lake/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const lake = await Deno.makeTempDir({ prefix: "opslab-lake-list-" });
addEventListener("unload", () => Deno.removeSync(lake, { recursive: true }));

async function list(json = false): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${lake}`,
      "tasks/lake.ts",
      "list",
      "--root",
      lake,
      ...(json ? ["--json"] : []),
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  return dec.decode(out.stdout);
}

function statusColumn(table: string): string {
  const [head, row] = table.trim().split("\n");
  assert.match(head, /\bstatus$/);
  return row.slice(head.indexOf("status")).trim();
}

Deno.test("deno task lake list shows a status only for results of the current content, else stale", async () => {
  const dir = join(lake, "synthetic", "capacity");
  const config = (servers: number) => resolveConfig(CapacityConfig, { flags: { servers, years: 1 }, what: "capacity" });
  const created = new Date("2026-01-01T00:00:00Z");
  const first = await writeCapacityDataset(config(4), dir, { created });
  assert.equal(statusColumn(await list()), "-");

  const passed = {
    dataset: "capacity",
    path: dir,
    kind: "capacity",
    rows: first.rows,
    validated: new Date().toISOString(),
    content: contentFingerprint(first),
    summary: { passed: 1, failed: 0, errors: 0, warnings: 0 },
    results: [{
      id: "schema.columns",
      family: "schema",
      severity: "error",
      passed: true,
      measured: 0,
      threshold: "-",
      message: "ok",
    }],
  };
  await Deno.writeTextFile(join(dir, "validation.json"), JSON.stringify(passed));
  assert.equal(statusColumn(await list()), "pass");

  // Regenerated with the same pinned creation time, and the old result put back beside it (the race of issue 13).
  const second = await writeCapacityDataset(config(5), dir, { created });
  assert.equal(second.created, first.created);
  await Deno.writeTextFile(join(dir, "validation.json"), JSON.stringify(passed));
  assert.equal(statusColumn(await list()), "stale");
  assert.deepEqual(JSON.parse(await list(true)).datasets.map((e: { status: string }) => e.status), ["stale"]);

  // Results written before fingerprints existed are stale too: nothing says what they checked.
  await Deno.writeTextFile(join(dir, "validation.json"), JSON.stringify({ ...passed, content: undefined }));
  assert.equal(statusColumn(await list()), "stale");
});
