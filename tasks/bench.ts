/**
 * `deno task bench [--only NAME] [--scale]`: whole-process timings and peak memory of the main jobs, each run as
 * its own `deno run` process (wall time from spawn to exit, peak RSS from the child's VmHWM), against targets.
 * @module
 */
import { type FlagSpec, helpText, parseFlags, runTask } from "@lib/cli/mod.ts";

/** One benchmark: a task run as a child process with narrow permissions. */
export interface BenchCase {
  name: string;
  /** Arguments to `deno run` after the permission flags. */
  args: (out: string) => string[];
  /** Extra permissions the case needs (write access to its temp dir is always given). */
  perms?: string[];
  /** Targets: wall seconds, seconds inside the process (the `--stats` figure) and peak RSS in MB. */
  target: { seconds?: number; inProcessSeconds?: number; rssMb?: number };
  /** Rows the run produces or reads, for rows/s. */
  rows?: number;
  /** Runs before the case (e.g. generating its input); not timed. */
  setup?: (out: string) => string[][];
  /** Only with --scale. */
  scale?: boolean;
}

const POLARS = ["--allow-ffi=./node_modules", "--allow-sys", "--allow-env", "--allow-read"];

/** Generating about `factor` million hourly capacity rows (29 servers a million over the default 4 years). */
function hourlyCapacity(factor: number, output: string): string[] {
  return [
    "tasks/generate.ts",
    "capacity",
    "--granularity",
    "hourly",
    "--servers",
    String(factor * 29),
    "--output",
    output,
  ];
}

/** The benchmark cases; a new area adds its cases here. */
export const CASES: BenchCase[] = [
  {
    name: "capacity default (120 servers x 4 y daily) -> Parquet",
    args: (out) => ["tasks/generate.ts", "capacity", "--output", `${out}/capacity`, "--stats"],
    target: { seconds: 0.5, rssMb: 300 },
    rows: 175_320,
  },
  {
    name: "capacity hourly (120 servers x 4 y) -> Parquet",
    args: (out) => ["tasks/generate.ts", "capacity", "--granularity", "hourly", "--output", `${out}/hourly`, "--stats"],
    target: { seconds: 4 },
    rows: 4_207_680,
  },
  {
    name: "anomalies default (1,000 series x 1,440 x 3 metrics) -> Parquet",
    args: (out) => ["tasks/generate.ts", "anomalies", "--output", `${out}/anomalies`, "--stats"],
    // Issue 14: at most 1.0 s inside the process (generation and Parquet writing, the `--stats` seconds).
    target: { inProcessSeconds: 1 },
    rows: 1_440_000,
  },
  {
    name: "anomalies 10,000 series x 1,440 -> Parquet",
    args: (
      out,
    ) => ["tasks/generate.ts", "anomalies", "--series", "10000", "--output", `${out}/anomalies10k`, "--stats"],
    target: { seconds: 8, rssMb: 1024 },
    rows: 14_400_000,
  },
  {
    name: "incidents CloudFront logs (2 M lines, gzip) -> W3C files + labels",
    args: (out) => [
      "tasks/generate.ts",
      "incidents",
      "--modalities",
      "cloudfront",
      "--from",
      "2024-03-04",
      "--to",
      "2024-03-05",
      "--cloudfront-requests-per-day",
      "2000000",
      "--output",
      `${out}/incidents`,
      "--stats",
    ],
    // >= 200,000 lines/s
    target: { seconds: 10, rssMb: 700 },
    rows: 1_997_304,
  },
  {
    name: "incidents database logs (2.5 M lines: PostgreSQL, MySQL, MongoDB)",
    args: (out) => [
      "tasks/generate.ts",
      "incidents",
      "--modalities",
      "db_logs",
      "--from",
      "2024-03-04",
      "--to",
      "2024-03-05",
      "--db-records-per-server-hour",
      "3000",
      "--output",
      `${out}/incidents`,
      "--stats",
    ],
    target: { seconds: 16, rssMb: 900 },
    rows: 2_474_652,
  },
  {
    name: "validate capacity hourly (4.2 M rows)",
    setup: (
      out,
    ) => [["tasks/generate.ts", "capacity", "--granularity", "hourly", "--output", `${out}/validate-hourly`]],
    args: (out) => ["tasks/validate.ts", "--stats", `${out}/validate-hourly`],
    // 2x the frame's in-memory size (655 MB).
    target: { seconds: 5, rssMb: 1310 },
    rows: 4_207_680,
  },
  {
    name: "fidelity capacity hourly (4.2 M rows): profile + bitbrains_rnd + issue-targets",
    setup: (
      out,
    ) => [["tasks/generate.ts", "capacity", "--granularity", "hourly", "--output", `${out}/fidelity-hourly`]],
    args: (out) => ["tasks/fidelity.ts", `${out}/fidelity-hourly`, "--no-write"],
    target: {},
    rows: 4_207_680,
  },
  {
    name: "reports: default capacity + anomalies + msp (validated) -> HTML + index",
    setup: (out) => [
      ["tasks/generate.ts", "capacity", "--output", `${out}/lake/synthetic/capacity`],
      ["tasks/generate.ts", "anomalies", "--output", `${out}/lake/synthetic/anomalies`],
      ["tasks/generate.ts", "msp", "--output", `${out}/lake/synthetic/msp`],
      ["tasks/validate.ts", "--root", `${out}/lake`],
    ],
    args: (out) => ["tasks/report.ts", "--root", `${out}/lake`, "--out", `${out}/reports`, "--json"],
    target: { seconds: 5 },
  },
  {
    name: "report: capacity hourly (4.2 M rows, validated) -> HTML",
    setup: (out) => [
      ["tasks/generate.ts", "capacity", "--granularity", "hourly", "--output", `${out}/lake/synthetic/capacity-hourly`],
      ["tasks/validate.ts", "--root", `${out}/lake`],
    ],
    args: (out) => ["tasks/report.ts", "--root", `${out}/lake`, "--out", `${out}/reports`, "--json"],
    target: {},
    rows: 4_207_680,
  },
  {
    name: "msp default (60 clients, 24 technicians, 1 y) -> Parquet, checked",
    args: (out) => ["tasks/generate.ts", "msp", "--output", `${out}/msp`, "--stats"],
    target: { seconds: 2, rssMb: 400 },
    rows: 18_568,
  },
  {
    name: "replay msp --max -> NDJSON (139,040 events)",
    setup: (out) => [["tasks/generate.ts", "msp", "--output", `${out}/msp`]],
    args: (out) => ["tasks/replay.ts", `${out}/msp`, "--max"],
    perms: ["--allow-net=127.0.0.1,localhost"],
    target: { seconds: 3, rssMb: 400 },
    rows: 139_040,
  },
  ...[1, 2].map((workers): BenchCase => ({
    name: `scale: capacity hourly 240 servers x 4 y, ${workers} worker process${workers > 1 ? "es" : ""}`,
    args: (out) => [
      "tasks/generate.ts",
      "capacity",
      "--granularity",
      "hourly",
      "--servers",
      "240",
      "--workers",
      String(workers),
      "--output",
      `${out}/w${workers}`,
      "--stats",
    ],
    perms: ["--allow-run=deno"],
    target: {},
    rows: 240 * 35_064,
    scale: true,
  })),
  ...[1, 2].map((workers): BenchCase => ({
    name: `scale: incidents, 200,000 CloudFront requests a day, ${workers} worker process${workers > 1 ? "es" : ""}`,
    args: (out) => [
      "tasks/generate.ts",
      "incidents",
      "--cloudfront-requests-per-day",
      "200000",
      "--workers",
      String(workers),
      "--output",
      `${out}/i${workers}`,
      "--stats",
    ],
    perms: ["--allow-run=deno"],
    target: {},
    scale: true,
  })),
  ...[1, 10, 100].map((factor): BenchCase => ({
    name: `scale: capacity hourly ${factor * 29} servers (~${factor} M rows), peak RSS flat`,
    args: (out) => [...hourlyCapacity(factor, `${out}/s${factor}`), "--stats"],
    target: { rssMb: 1024 },
    rows: factor * 29 * 35_064,
    scale: true,
  })),
  ...[1, 10, 100].map((factor): BenchCase => ({
    name: `scale: validate capacity hourly ~${factor} M rows by lazy scans, peak RSS flat`,
    setup: (out) => [hourlyCapacity(factor, `${out}/v${factor}`)],
    args: (out) => ["tasks/validate.ts", "--in-memory-rows", "0", "--no-write", "--stats", `${out}/v${factor}`],
    target: { rssMb: 1024 },
    rows: factor * 29 * 35_064,
    scale: true,
  })),
];

const FLAGS: Record<string, FlagSpec> = {
  only: { type: "string", arg: "TEXT", help: "run only cases whose name contains TEXT", config: false },
  scale: { type: "boolean", help: "also run the scaling cases (workers, growing row counts)", config: false },
  json: { type: "boolean", help: "print results as JSON", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

interface Measured {
  name: string;
  seconds: number;
  rssMb: number | null;
  /** Seconds inside the process, when the case prints them (`--stats`). */
  inProcessSeconds: number | null;
  rowsPerSecond: number | null;
  ok: boolean;
  note: string;
}

async function runChild(args: string[], perms: string[], out: string): Promise<{ seconds: number; stats: unknown }> {
  const started = performance.now();
  const child = await new Deno.Command("deno", {
    args: ["run", ...POLARS, `--allow-write=${out}`, ...perms, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  const stdout = new TextDecoder().decode(child.stdout);
  if (child.code !== 0) {
    throw new Error(
      `"deno run ${args.join(" ")}" exited ${child.code}: ${new TextDecoder().decode(child.stderr).trim()}`,
    );
  }
  const last = stdout.trim().split("\n").pop() ?? "";
  let stats: unknown = null;
  try {
    stats = JSON.parse(last);
  } catch { /* the case prints no stats */ }
  return { seconds, stats };
}

/**
 * Runs the benchmarks.
 * @param args command-line arguments
 * @returns the exit code: 1 when a target is missed
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { flags } = parseFlags(args, FLAGS);
    if (flags.help) {
      console.log(
        helpText("deno task bench [flags]", "Times the main jobs as whole processes against targets.", FLAGS),
      );
      return 0;
    }
    const cases = CASES.filter((c) =>
      (flags.scale || !c.scale) && (typeof flags.only !== "string" || c.name.includes(flags.only))
    );
    const results: Measured[] = [];
    for (const c of cases) {
      const out = await Deno.makeTempDir({ prefix: "opslab-bench-" });
      try {
        for (const pre of c.setup?.(out) ?? []) await runChild(pre, c.perms ?? [], out);
        const { seconds, stats } = await runChild(c.args(out), c.perms ?? [], out);
        const rss = (stats as { peak_rss_bytes?: number } | null)?.peak_rss_bytes;
        const rssMb = rss ? rss / 2 ** 20 : null;
        const inner = (stats as { seconds?: number } | null)?.seconds;
        const inProcessSeconds = typeof inner === "number" ? inner : null;
        const misses = [
          c.target.inProcessSeconds !== undefined && (inProcessSeconds ?? Infinity) > c.target.inProcessSeconds
            ? `> ${c.target.inProcessSeconds} s in process`
            : "",
          c.target.seconds !== undefined && seconds > c.target.seconds ? `> ${c.target.seconds} s` : "",
          c.target.rssMb !== undefined && rssMb !== null && rssMb > c.target.rssMb ? `> ${c.target.rssMb} MB` : "",
        ].filter(Boolean);
        results.push({
          name: c.name,
          seconds,
          rssMb,
          inProcessSeconds,
          rowsPerSecond: c.rows ? c.rows / seconds : null,
          ok: misses.length === 0,
          note: misses.length ? `missed: ${misses.join(", ")}` : targetText(c.target),
        });
        if (!flags.json) print(results[results.length - 1]);
      } finally {
        await Deno.remove(out, { recursive: true });
      }
    }
    if (flags.json) console.log(JSON.stringify(results, null, 2));
    for (const what of ["capacity", "incidents"]) {
      const w1 = results.find((r) => r.name.includes(`scale: ${what}`) && r.name.endsWith("1 worker process"));
      const w2 = results.find((r) => r.name.includes(`scale: ${what}`) && r.name.endsWith("2 worker processes"));
      if (!w1 || !w2) continue;
      const speedup = w1.seconds / w2.seconds;
      const ok = speedup >= 1.7;
      console.log(
        `${ok ? "ok  " : "MISS"} scale: ${what}, 2 workers run ${speedup.toFixed(2)}x as fast as 1 (target >= 1.7x)`,
      );
      if (!ok) results.push({ ...w2, ok: false });
    }
    return results.every((r) => r.ok) ? 0 : 1;
  });
}

function targetText(t: BenchCase["target"]): string {
  return `target ${
    [
      t.seconds !== undefined ? `<= ${t.seconds} s` : "",
      t.inProcessSeconds !== undefined ? `<= ${t.inProcessSeconds} s in process` : "",
      t.rssMb ? `<= ${t.rssMb} MB` : "",
    ]
      .filter(Boolean).join(", ")
  }`;
}

function print(r: Measured): void {
  const rate = r.rowsPerSecond ? `${Math.round(r.rowsPerSecond).toLocaleString("en-US")} rows/s` : "";
  const rss = r.rssMb !== null ? `${r.rssMb.toFixed(0)} MB peak RSS` : "";
  const inner = r.inProcessSeconds !== null ? `${r.inProcessSeconds.toFixed(2)} s in process  ` : "";
  console.log(
    `${r.ok ? "ok  " : "MISS"} ${r.name}\n     ${r.seconds.toFixed(2)} s  ${inner}${rate}  ${rss}  (${r.note})`,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args));
