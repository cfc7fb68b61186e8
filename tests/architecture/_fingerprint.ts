/**
 * Behaviour fingerprint for refactors (issue 16): generates every kind (capacity hourly and daily, anomalies, an
 * anomaly injection into capacity, incidents, msp) on seeds 42, 1337 and 1211 at small but real sizes, validates
 * and reports them, and prints the sha256 of every file written plus the validation summaries. Run it before and
 * after a change and diff the output: a refactor that changes no behaviour prints the same lines.
 *
 * ```sh
 * deno run --allow-ffi=./node_modules --allow-sys --allow-env --allow-read --allow-write=/tmp --allow-run=deno \
 *   tests/architecture/_fingerprint.ts [--out /tmp/opslab-fp] > fingerprint.txt
 * ```
 * @module
 */
import { createHash } from "node:crypto";

const SEEDS = [42, 1337, 1211];

/** The datasets of one seed: name, then the `generate` arguments. */
const DATASETS: [string, string[]][] = [
  ["capacity-hourly", [
    "capacity",
    "--servers",
    "6",
    "--start-date",
    "2024-01-01",
    "--end-date",
    "2024-01-31",
    "--granularity",
    "hourly",
  ]],
  ["capacity-daily", ["capacity", "--servers", "10", "--start-date", "2023-01-01", "--end-date", "2023-12-31"]],
  ["capacity-csv", [
    "capacity",
    "--servers",
    "4",
    "--start-date",
    "2023-01-01",
    "--end-date",
    "2023-03-31",
    "--format",
    "csv",
    "--compress",
  ]],
  ["anomalies", ["anomalies", "--series", "12", "--points", "720"]],
  ["incidents", [
    "incidents",
    "--from",
    "2024-03-04",
    "--to",
    "2024-03-11",
    "--servers",
    "8",
    "--cloudfront-requests-per-day",
    "2000",
    "--db-records-per-server-hour",
    "5",
  ]],
  ["msp", ["msp", "--clients", "8", "--technicians", "4", "--start", "2024-01-01", "--end", "2024-02-29"]],
  // Part files, shards and their merge (lake writers, part names, mergeShards).
  ["capacity-parts", [
    "capacity",
    "--servers",
    "6",
    "--start-date",
    "2024-01-01",
    "--end-date",
    "2024-01-31",
    "--granularity",
    "hourly",
    "--rows-per-file",
    "1500",
  ]],
  ["anomalies-parts", ["anomalies", "--series", "6", "--points", "720", "--rows-per-file", "1500", "--workers", "2"]],
  ["incidents-workers", [
    "incidents",
    "--from",
    "2024-03-04",
    "--to",
    "2024-03-11",
    "--servers",
    "8",
    "--cloudfront-requests-per-day",
    "1000",
    "--db-records-per-server-hour",
    "5",
    "--workers",
    "2",
  ]],
];

const PERMS = [
  "--no-prompt",
  `--allow-ffi=./node_modules,${Deno.realPathSync("node_modules")}`,
  "--allow-sys",
  "--allow-env",
  "--allow-read",
];

async function run(args: string[], env: Record<string, string>): Promise<string> {
  const out = await new Deno.Command("deno", { args, env, stdout: "piped", stderr: "piped" }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success && !args.includes("tasks/validate.ts")) {
    throw new Error(`deno ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return stdout;
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (e.isFile) yield path;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Drops what depends on the clock (timings) from a validation result, recursively. */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).filter(([k]) => !/^(validated|ms|seconds)$/.test(k))
        .map(([k, v]) => [k, stable(v)]),
    );
  }
  return value;
}

const NOW = Date.now();

/**
 * A file's bytes; in reports and schema.json (which say when they were made), times within a day of now are
 * replaced by a placeholder, so only the clock is left out.
 */
async function contentOf(path: string): Promise<Uint8Array> {
  const bytes = await Deno.readFile(path);
  if (!/\.(html|json)$/.test(path)) return bytes;
  const text = new TextDecoder().decode(bytes).replace(
    /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?( ?UTC|Z)?/g,
    (m) => Math.abs(Date.parse(m.replace(" UTC", "Z").replace(" ", "T")) - NOW) < 86_400_000 ? "<now>" : m,
  );
  return new TextEncoder().encode(text);
}

const outFlag = Deno.args.indexOf("--out");
const base = outFlag >= 0 ? Deno.args[outFlag + 1] : "/tmp/opslab-fp";
await Deno.remove(base, { recursive: true }).catch(() => {});
const env = { SOURCE_DATE_EPOCH: "1700000000", NO_COLOR: "1" };

for (const seed of SEEDS) {
  const root = `${base}/${seed}`;
  for (const [name, args] of DATASETS) {
    await run([
      "run",
      ...PERMS,
      "--allow-write=/tmp",
      "--allow-run=deno",
      "tasks/generate.ts",
      ...args,
      "--seed",
      String(seed),
      "--name",
      name,
      "--output",
      `${root}/synthetic/${name}`,
    ], env);
  }
  await run([
    "run",
    ...PERMS,
    "--allow-write=/tmp",
    "--allow-run=deno",
    "tasks/generate.ts",
    "anomalies",
    "--inject-into",
    `${root}/synthetic/capacity-hourly`,
    "--seed",
    String(seed),
    "--name",
    "capacity-hourly-anomalies",
    "--output",
    `${root}/synthetic/capacity-hourly-anomalies`,
  ], env);
  const json = await run(["run", ...PERMS, "--allow-write=/tmp", "tasks/validate.ts", "--root", root, "--json"], env);
  for (const v of JSON.parse(json) as Record<string, unknown>[]) {
    const summary = stable(v);
    console.log(`validation ${seed} ${v.dataset} ${sha256(new TextEncoder().encode(JSON.stringify(summary)))}`);
    const checks = (v.results ?? []) as { id?: string; passed?: boolean }[];
    const failed = checks.filter((c) => c.passed === false).map((c) => c.id);
    console.log(`  ${JSON.stringify(v.summary)}${failed.length ? " failed: " + failed.join(", ") : ""}`);
  }
  await run(
    ["run", ...PERMS, "--allow-write=/tmp", "tasks/report.ts", "--root", root, "--out", `${root}/reports`],
    env,
  );
  for await (const path of walk(root)) {
    // validation.json and schema.json carry timings; their content is fingerprinted above.
    if (/\/validation\.json$/.test(path)) continue;
    console.log(`${sha256(await contentOf(path))}  ${path.slice(base.length + 1)}`);
  }
}
