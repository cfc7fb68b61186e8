import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Integrity of a dataset folder (issue 18): a manifest path leaving the dataset folder is refused with one line,
 * and a dataset whose files are missing shows as broken in `deno task lake list`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { leavesFolder, listDatasets, readManifest } from "@lib/lake/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function dataset(): Promise<{ lake: string; dir: string }> {
  const lake = await Deno.makeTempDir({ prefix: "opslab-lake-integrity-" });
  const dir = join(lake, "synthetic", "cap");
  const config = resolveConfig(CapacityConfig, { flags: { servers: 2, years: 1 }, what: "capacity" });
  await writeCapacityDataset(config, dir, { created: new Date("2026-01-01T00:00:00Z") });
  return { lake, dir };
}

Deno.test("leavesFolder() refuses absolute paths and paths climbing out, and accepts paths inside", () => {
  for (const p of ["../x.parquet", "/etc/passwd", "a/../../x", "C:\\x", "\\\\host\\share", "..\\x"]) {
    assert.equal(leavesFolder(p), true, p);
  }
  for (const p of ["capacity/part-0.parquet", "a/../b.parquet", "./x.csv", "capacity.parquet"]) {
    assert.equal(leavesFolder(p), false, p);
  }
});

Deno.test("readManifest() refuses a manifest whose file path leaves the dataset folder, in one line", async () => {
  const { lake, dir } = await dataset();
  try {
    for (const bad of ["../other/capacity.parquet", "/tmp/capacity.parquet"]) {
      const m = JSON.parse(await Deno.readTextFile(join(dir, "manifest.json")));
      m.files[0].path = bad;
      await Deno.writeTextFile(join(dir, "manifest.json"), JSON.stringify(m));
      await assert.rejects(
        () => readManifest(dir),
        (e: Error) => {
          assert.match(
            e.message,
            /^Invalid manifest ".*manifest\.json": files\.0\.path ".*" leaves the dataset folder/,
          );
          assert.ok(!e.message.includes("\n"), e.message);
          return true;
        },
      );
    }
  } finally {
    await Deno.remove(lake, { recursive: true });
  }
});

Deno.test("a dataset whose files are missing is listed as broken by listDatasets() and lake list", async () => {
  const { lake, dir } = await dataset();
  try {
    const m = await readManifest(dir);
    assert.deepEqual((await listDatasets(lake))[0].missing, undefined);
    const gone = m.files.find((f) => f.path.endsWith(".parquet"))!.path;
    await Deno.remove(join(dir, gone));
    assert.deepEqual((await listDatasets(lake))[0].missing, [gone]);
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
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.match(stdout, new RegExp(`broken: 1 file missing \\(${gone.replace(/[.]/g, "\\.")}\\)`));
    assert.equal(out.code, 1);
  } finally {
    await Deno.remove(lake, { recursive: true });
  }
});
