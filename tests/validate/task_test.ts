/**
 * `deno task validate` end to end, as a subprocess with the task's own permissions (writes under the temp lake):
 * exit codes, table and JSON output, files written beside the dataset, input errors without stack traces, and the
 * default-size capacity dataset passing with neither errors nor warnings.
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import type { DatasetValidation } from "@lib/validate/mod.ts";
import { capacityDataset, CREATED } from "./_fixtures.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function validate(args: string[], write = "/tmp"): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${write}`,
      "tasks/validate.ts",
      ...args,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
  const out = await cmd.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function noStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .*\(.*:\d+:\d+\)/m, `a stack trace leaked:\n${text}`);
}

Deno.test("deno task validate --help explains itself and bad usage exits 2 with one line", async () => {
  const help = await validate(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: deno task validate/);
  assert.match(help.stdout, /--schema KIND/);
  const bad = await validate(["--nope"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
  const kind = await validate(["--schema", "weather", "x.csv"]);
  assert.equal(kind.code, 2);
  assert.match(kind.stderr, /--schema must be one of .*capacity/);
});

Deno.test("deno task validate passes the default-size capacity dataset with no error and no warning", async () => {
  const lake = await Deno.makeTempDir({ prefix: "opslab-lake-" });
  const config = resolveConfig(CapacityConfig, { what: "capacity" });
  await writeCapacityDataset(config, `${lake}/synthetic/capacity`, { created: CREATED });
  const run = await validate(["--root", lake, "--strict"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /ok\s+capacity\s+capacity\s+175,320/);
  const written = JSON.parse(
    await Deno.readTextFile(`${lake}/synthetic/capacity/validation.json`),
  ) as DatasetValidation;
  assert.equal(written.rows, 175_320);
  assert.deepEqual([written.summary.errors, written.summary.warnings], [0, 0]);
  assert.ok(written.results.some((r) => r.id === "correlation.pearson:web:cpu_net" && r.passed));
  const schema = JSON.parse(await Deno.readTextFile(`${lake}/synthetic/capacity/schema.json`));
  assert.equal(schema.tables[0].columns.find((c: { name: string }) => c.name === "cpu_p95").expected, "Float64");
  await Deno.remove(lake, { recursive: true });
});

Deno.test("deno task validate reports input errors with the path and exit 1, never a stack trace", async (t) => {
  const { dir } = await capacityDataset();
  const lake = await Deno.makeTempDir({ prefix: "opslab-lake-" });
  await Deno.mkdir(`${lake}/synthetic/broken`, { recursive: true });
  for await (const e of Deno.readDir(dir)) {
    if (e.name.endsWith(".json") && e.name !== "manifest.json" && e.name !== "config.json") continue;
    await Deno.copyFile(`${dir}/${e.name}`, `${lake}/synthetic/broken/${e.name}`);
  }
  const parquet = `${lake}/synthetic/broken/capacity.parquet`;
  const bytes = await Deno.readFile(parquet);
  await Deno.writeFile(parquet, bytes.subarray(0, 1000));
  await t.step("truncated Parquet", async () => {
    const run = await validate([`${lake}/synthetic/broken`]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /FAIL\s+capacity/);
    assert.match(run.stdout, /input\.read.*broken\/capacity\.parquet.*truncated/);
    noStack(run.stdout + run.stderr);
  });
  await t.step("a name the catalog does not hold, and a path that does not exist", async () => {
    const run = await validate(["--root", lake, "nothing-here", `${lake}/missing.parquet`]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /no dataset of that name/);
    assert.match(run.stdout, /missing\.parquet/);
    noStack(run.stdout + run.stderr);
  });
  await Deno.remove(lake, { recursive: true });
});

Deno.test("deno task validate --json, --strict and --schema on an external file", async (t) => {
  const { df } = await capacityDataset();
  const tmp = await Deno.makeTempDir({ prefix: "opslab-ext-" });
  const file = `${tmp}/export.parquet`;
  df.head(3000).writeParquet(file);
  await t.step("--json prints an array of validations and writes beside the file", async () => {
    const run = await validate(["--schema", "capacity", "--json", file]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const [v] = JSON.parse(run.stdout) as DatasetValidation[];
    assert.equal(v.kind, "capacity");
    assert.equal(v.rows, 3000);
    assert.equal(v.summary.errors, 0);
    assert.ok((await Deno.stat(`${tmp}/export.parquet.validation.json`)).isFile);
    assert.ok((await Deno.stat(`${tmp}/export.parquet.schema.json`)).isFile);
  });
  await t.step("a warning fails only with --strict", async () => {
    const extra = `${tmp}/extra.parquet`;
    df.head(3000).withColumns(df.head(3000).getColumn("cpu_p95").rename("note")).writeParquet(extra);
    const loose = await validate(["--schema", "capacity", "--no-write", extra]);
    assert.equal(loose.code, 0, loose.stdout);
    assert.match(loose.stdout, /warn\s+schema\.unexpected/);
    const strict = await validate(["--schema", "capacity", "--no-write", "--strict", extra]);
    assert.equal(strict.code, 1);
  });
  await t.step("without write permission there the results are not written, and the run says so", async () => {
    const run = await validate(["--schema", "capacity", file], "/nowhere");
    assert.equal(run.code, 0);
    assert.match(run.stderr, /not written beside it/);
  });
  await t.step("--stats prints seconds and peak RSS", async () => {
    const run = await validate(["--schema", "capacity", "--no-write", "--stats", file]);
    const stats = JSON.parse(run.stdout);
    assert.equal(typeof stats.seconds, "number");
    assert.ok(stats.peak_rss_bytes > 0);
    assert.equal(stats.rows, 3000);
  });
  await Deno.remove(tmp, { recursive: true });
});
