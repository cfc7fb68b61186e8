/**
 * `deno task bench [--only NAME] [--scale] [--sweep]`: in-process timings of the generators (warm, median of 3 runs of the
 * generating function alone), then whole-process timings and peak memory of the main jobs, each run as its own
 * `deno run` process (wall time from spawn to exit, peak RSS from the child's VmHWM), against targets.
 * @module
 */
import { type FlagSpec, helpText, parseFlags, runTask, UsageError } from "@lib/cli/mod.ts";
import { pingFlood } from "@lib/stream/_ping_flood.ts";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, generateCapacity } from "@lib/generate/capacity/mod.ts";

/** One in-process benchmark: a generating function timed inside the bench process. */
export interface InProcessCase {
  name: string;
  /** Builds the input (not timed) and returns the timed function; it returns the rows produced. */
  prepare: () => () => number;
  /** Target: median seconds of the timed runs. */
  target?: number;
}

const capacity = (flags: Record<string, unknown>) => {
  const config = resolveConfig(CapacityConfig, { flags, what: "capacity" });
  return () => generateCapacity(config).height;
};

/** The in-process cases: the generator alone, no process start, no module loading, no file writing. */
export const IN_PROCESS: InProcessCase[] = [
  {
    name: "in-process: capacity default (realistic, daily, 120 servers x 4 y)",
    prepare: () => capacity({}),
    target: 0.5,
  },
  { name: "in-process: capacity default, preset textbook", prepare: () => capacity({ preset: "textbook" }) },
  { name: "in-process: capacity hourly (realistic, 4.2 M rows)", prepare: () => capacity({ granularity: "hourly" }) },
  {
    name: "in-process: capacity hourly, preset textbook",
    prepare: () => capacity({ granularity: "hourly", preset: "textbook" }),
  },
];

function timeInProcess(c: InProcessCase): Measured {
  const run = c.prepare();
  run(); // warm-up: JIT and Polars' first calls
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    rows = run();
    times.push((performance.now() - t0) / 1000);
  }
  const seconds = times.sort((a, b) => a - b)[1];
  const ok = c.target === undefined || seconds <= c.target;
  return {
    name: c.name,
    seconds,
    rssMb: null,
    rowsPerSecond: rows / seconds,
    ok,
    note: c.target === undefined
      ? "median of 3, no target"
      : ok
      ? `median of 3, target <= ${c.target} s`
      : `missed: > ${c.target} s`,
  };
}

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
  /**
   * Measures the case its own way instead of timing `args` (a server under attack, a stream's first event).
   * @returns seconds, peak RSS, the targets it missed and a note
   */
  measure?: (out: string) => Promise<{ seconds: number; rssMb: number | null; misses: string[]; note: string }>;
}

const POLARS = ["--allow-ffi=./node_modules", "--allow-sys", "--allow-env", "--allow-read"];

/**
 * The environment a task's entry file runs in under `deno task` (deno.json's line for it, e.g. `tasks/validate.ts`):
 * its `GLIBC_TUNABLES`, which keep freed Polars buffers for the next query instead of handing them back to the
 * kernel, so the cases measure what the tasks do.
 * @param entry the task's entry file, e.g. `tasks/report.ts`
 * @returns the variables, none for a task without them
 */
async function taskEnv(entry: string): Promise<Record<string, string>> {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))) as {
    tasks: Record<string, string>;
  };
  const line = Object.values(config.tasks).find((t) => t.split(/\s+/).includes(entry)) ?? "";
  const tunables = /(?:^|\s)GLIBC_TUNABLES=(\S+)/.exec(line)?.[1];
  return tunables === undefined ? {} : { GLIBC_TUNABLES: tunables };
}

/**
 * The MSP API round trip: `serve-api msp` over a dataset in one process, `ingest msp-api` in another; records/s is
 * objects fetched over the ingest's own seconds (sync, build, commit), peak RSS the ingest's.
 */
async function mspApiIngest(
  dataset: string,
  out: string,
  options: { rateLimit: number; pageSize: number; rps?: number; rssMb?: number },
): Promise<{ seconds: number; rssMb: number | null; misses: string[]; note: string }> {
  const env = { OPSLAB_MSP_API_KEY: "bench-key", OPSLAB_MSP_TENANT: "bench" };
  const server = new Deno.Command("deno", {
    args: [
      "run",
      ...POLARS,
      "--allow-net=127.0.0.1",
      "tasks/serve_api.ts",
      "msp",
      dataset,
      "--port",
      "0",
      "--rate-limit",
      String(options.rateLimit),
    ],
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let text = "";
    while (!/http:\/\/127\.0\.0\.1:\d+\/msp/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`serve-api stopped before listening: ${text}`);
      text += value;
    }
    const url = /http:\/\/127\.0\.0\.1:\d+\/msp/.exec(text)![0];
    const child = await new Deno.Command("deno", {
      args: [
        "run",
        ...POLARS,
        `--allow-write=${out}`,
        "--allow-net=127.0.0.1",
        "tasks/ingest.ts",
        "msp-api",
        "--url",
        url,
        "--output",
        `${out}/ingested`,
        "--page-size",
        String(options.pageSize),
        ...(options.rps ? ["--rps", String(options.rps), "--burst", "10"] : []),
        "--stats",
      ],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (child.code !== 0) {
      throw new Error(`ingest msp-api exited ${child.code}: ${new TextDecoder().decode(child.stderr)}`);
    }
    const stats = JSON.parse(new TextDecoder().decode(child.stdout).trim().split("\n").pop()!);
    const rssMb = stats.peak_rss_bytes ? stats.peak_rss_bytes / 2 ** 20 : null;
    const misses = options.rssMb !== undefined && rssMb !== null && rssMb > options.rssMb
      ? [`> ${options.rssMb} MB`]
      : [];
    const limit = options.rateLimit ? `rate limit ${options.rateLimit}/min` : "no rate limit";
    return {
      seconds: stats.seconds,
      rssMb,
      misses,
      note: `${Math.round(stats.fetched / stats.seconds).toLocaleString("en-US")} records/s (${
        stats.fetched.toLocaleString("en-US")
      } objects, ${limit}, page size ${options.pageSize}, ${stats.client.requests} requests, ${stats.client.rateLimited} x 429)`,
    };
  } finally {
    server.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await server.status;
  }
}

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

const REPLAY_PERMS = [...POLARS, "--allow-net=127.0.0.1,localhost"];

/**
 * Replays a dataset with `--max` to NDJSON, reading the output as it comes: seconds to the first event on stdout
 * (from the spawn: startup included), in all, and the replay's peak RSS (its `--stats`).
 */
async function replayFirstEvent(
  dir: string,
  target: { firstEventSeconds: number; rssMb: number },
): Promise<{ seconds: number; rssMb: number | null; misses: string[]; note: string }> {
  const started = performance.now();
  const child = new Deno.Command("deno", {
    args: ["run", ...REPLAY_PERMS, "tasks/replay.ts", dir, "--max", "--stats"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let first = NaN, bytes = 0, lines = 0;
  for await (const chunk of child.stdout) {
    if (Number.isNaN(first)) first = (performance.now() - started) / 1000;
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  const status = await child.status;
  const seconds = (performance.now() - started) / 1000;
  const log = await stderr;
  if (status.code !== 0) throw new Error(`replay of "${dir}" exited ${status.code}: ${log.trim()}`);
  const stats = JSON.parse(log.trim().split("\n").pop() ?? "{}") as { peak_rss_bytes?: number };
  const rssMb = stats.peak_rss_bytes ? stats.peak_rss_bytes / 2 ** 20 : null;
  const misses = [
    first > target.firstEventSeconds ? `first event ${first.toFixed(2)} s > ${target.firstEventSeconds} s` : "",
    rssMb !== null && rssMb > target.rssMb ? `> ${target.rssMb} MB` : "",
  ].filter(Boolean);
  const note = `first event after ${first.toFixed(2)} s, ${lines.toLocaleString("en-US")} events, ${
    (bytes / 2 ** 20).toFixed(0)
  } MB of NDJSON; target first event <= ${target.firstEventSeconds} s, <= ${target.rssMb} MB`;
  return { seconds, rssMb, misses, note };
}

/** The replay's RSS in MB, from its /healthz (reading another process's /proc entry needs --allow-all). */
async function rssOf(port: number): Promise<number> {
  const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as { rss_bytes: number };
  return health.rss_bytes / 2 ** 20;
}

/**
 * Serves a replay over WebSocket and attacks it for `seconds` with `clients` connections that flood pings (WebSocket
 * ping frames and `{"type":"ping"}` messages, half each) and never read, reconnecting whenever the server closes
 * them; measures the replay's RSS growth over its RSS before the attack.
 */
async function pingFloodAttack(
  dir: string,
  options: { clients: number; seconds: number; maxGrowthMb: number },
): Promise<{ seconds: number; rssMb: number | null; misses: string[]; note: string }> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const child = new Deno.Command("deno", {
    args: ["run", ...REPLAY_PERMS, "tasks/replay.ts", dir, "--speed", "1", "--sink", "ws", "--port", String(port)],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  try {
    let up = false;
    for (let i = 0; i < 300 && !up; i++) {
      up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        async (r) => (await r.body?.cancel(), true),
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    if (!up) throw new Error(`the replay never answered on port ${port}: ${await stderr}`);
    await new Promise((r) => setTimeout(r, 1000));
    const base = await rssOf(port);
    let peak = base, connections = 0, closed = 0, pings = 0;
    const stop = AbortSignal.timeout(options.seconds * 1000);
    const attacker = async (k: number) => {
      while (!stop.aborted) {
        const r = await pingFlood(port, { signal: stop, kind: k % 2 === 0 ? "frame" : "message" }).catch(() => null);
        connections++;
        if (r?.closedByServer) closed++;
        pings += r?.pings ?? 0;
      }
    };
    const attack = Promise.all(Array.from({ length: options.clients }, (_, k) => attacker(k)));
    while (!stop.aborted) {
      await new Promise((r) => setTimeout(r, 200));
      peak = Math.max(peak, await rssOf(port));
    }
    await attack;
    const grew = peak - base;
    return {
      seconds: options.seconds,
      rssMb: peak,
      misses: grew > options.maxGrowthMb ? [`RSS grew ${grew.toFixed(0)} MB > ${options.maxGrowthMb} MB`] : [],
      note: `RSS ${base.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB under attack (+${grew.toFixed(0)} MB); ${
        pings.toLocaleString("en-US")
      } pings over ${connections} connections, ${closed} closed by the server; target growth <= ${options.maxGrowthMb} MB`,
    };
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await stderr;
  }
}

/** One size of the false-failure sweep: a kind, its flags and how many seeds run at that size. */
export interface SweepSize {
  kind: "capacity" | "anomalies" | "incidents" | "msp";
  /** Short label of the size, e.g. `2 servers x 1 y`. */
  size: string;
  /** Generator flags (besides `--seed` and `--output`). */
  flags: string[];
  /** Seeds 1..runs are generated. */
  runs: number;
}

/**
 * The false-failure sweep (issue 18): 200 seeded generations of default configs from tiny to default sizes, every
 * kind; a valid generation should fail no error or warning check (target: at most 0.5 % of runs).
 */
export const SWEEP: SweepSize[] = [
  { kind: "capacity", size: "2 servers x 1 y", flags: ["--servers", "2", "--years", "1"], runs: 20 },
  { kind: "capacity", size: "10 servers x 1 y", flags: ["--servers", "10", "--years", "1"], runs: 15 },
  { kind: "capacity", size: "40 servers x 4 y", flags: ["--servers", "40"], runs: 10 },
  { kind: "capacity", size: "default (120 x 4 y)", flags: [], runs: 5 },
  { kind: "anomalies", size: "20 series", flags: ["--series", "20"], runs: 20 },
  { kind: "anomalies", size: "100 series", flags: ["--series", "100"], runs: 15 },
  { kind: "anomalies", size: "300 series", flags: ["--series", "300"], runs: 10 },
  { kind: "anomalies", size: "default (1000)", flags: [], runs: 5 },
  { kind: "incidents", size: "8 servers x 4 d", flags: ["--servers", "8", "--to", "2024-03-08"], runs: 20 },
  { kind: "incidents", size: "20 servers x 7 d", flags: ["--servers", "20", "--to", "2024-03-11"], runs: 15 },
  { kind: "incidents", size: "60 servers x 14 d", flags: ["--servers", "60"], runs: 10 },
  { kind: "incidents", size: "default (120 x 14 d)", flags: [], runs: 5 },
  {
    kind: "msp",
    size: "5 clients x 3 mo",
    flags: ["--clients", "5", "--end", "2024-03-31"],
    runs: 20,
  },
  { kind: "msp", size: "20 clients x 1 y", flags: ["--clients", "20", "--technicians", "8"], runs: 15 },
  { kind: "msp", size: "40 clients x 1 y", flags: ["--clients", "40", "--technicians", "16"], runs: 10 },
  { kind: "msp", size: "default (60 x 1 y)", flags: [], runs: 5 },
];

/** The outcome of one sweep size. */
export interface SweepCount {
  kind: string;
  size: string;
  runs: number;
  /** Runs with at least one failed error or warning check. */
  failedRuns: number;
  /** Failed check ids and how many runs each failed in. */
  checks: Record<string, number>;
  /** Runs whose generator failed (not validated, not counted in `runs`), with its error line. */
  generateErrors: string[];
}

/** Options of {@linkcode runSweep}. */
export interface SweepOptions {
  /** The project folder whose tasks run (an older checkout gives the "before" counts). @default Deno.cwd() */
  cwd?: string;
  /** Scratch folder for the datasets (one at a time). @default a temporary folder */
  out?: string;
  /** Called after each run. @default none */
  onRun?: (size: SweepSize, seed: number, failed: string[]) => void;
}

/**
 * Runs the false-failure sweep: for each size and seed, `generate` then `validate --json --no-write`, counting the
 * runs with a failed error or warning check.
 * @param plan the sizes
 * @param options project folder, scratch folder and a progress callback
 * @returns one count per size
 */
export async function runSweep(plan: readonly SweepSize[], options: SweepOptions = {}): Promise<SweepCount[]> {
  const { cwd = Deno.cwd(), onRun } = options;
  const out = options.out ?? await Deno.makeTempDir({ prefix: "opslab-sweep-" });
  const perms = ["--no-prompt", "--allow-ffi", "--allow-sys", "--allow-env", "--allow-read", `--allow-write=${out}`];
  const run = async (args: string[]) => {
    const r = await new Deno.Command("deno", {
      args: ["run", ...perms, ...args],
      cwd,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    return { code: r.code, stdout: new TextDecoder().decode(r.stdout), stderr: new TextDecoder().decode(r.stderr) };
  };
  const counts: SweepCount[] = [];
  try {
    for (const size of plan) {
      const count: SweepCount = {
        kind: size.kind,
        size: size.size,
        runs: 0,
        failedRuns: 0,
        checks: {},
        generateErrors: [],
      };
      for (let seed = 1; seed <= size.runs; seed++) {
        const dir = `${out}/${size.kind}-${seed}`;
        const seedFlags = size.flags.includes("--seed") ? [] : ["--seed", String(seed)];
        const gen = await run(["tasks/generate.ts", size.kind, ...size.flags, ...seedFlags, "--output", dir]);
        if (gen.code !== 0) {
          // A generator that fails is a bug of its own, reported apart: the sweep measures the validator.
          const line = gen.stderr.trim().split("\n").pop() ?? "";
          count.generateErrors.push(`seed ${seed}: ${line}`);
          onRun?.(size, seed, [`generate failed: ${line}`]);
          await Deno.remove(dir, { recursive: true }).catch(() => {});
          continue;
        }
        const val = await run(["tasks/validate.ts", "--json", "--no-write", dir]);
        let results: { id: string; severity: string; passed: boolean }[];
        try {
          results = JSON.parse(val.stdout)[0].results;
        } catch {
          throw new Error(`validate ${dir} (exit ${val.code}) printed no JSON: ${val.stderr.trim().slice(-400)}`);
        }
        const failed = results.filter((r) => !r.passed && r.severity !== "info").map((r) => r.id);
        count.runs++;
        if (failed.length > 0) count.failedRuns++;
        for (const id of failed) count.checks[id] = (count.checks[id] ?? 0) + 1;
        onRun?.(size, seed, failed);
        await Deno.remove(dir, { recursive: true });
      }
      counts.push(count);
    }
  } finally {
    if (options.out === undefined) await Deno.remove(out, { recursive: true }).catch(() => {});
  }
  return counts;
}

/** The sweep's counts as text lines, one per size, then the total against the 0.5 % target. */
export function sweepText(counts: readonly SweepCount[]): string[] {
  const lines = counts.map((c) =>
    `${c.kind.padEnd(10)} ${c.size.padEnd(22)} ${String(c.failedRuns).padStart(3)} / ${String(c.runs).padEnd(3)} ${
      Object.entries(c.checks).map(([id, n]) => `${id} x${n}`).join(", ")
    }${c.generateErrors.length ? ` (generator failed: ${c.generateErrors.join("; ")})` : ""}`
  );
  const runs = counts.reduce((a, c) => a + c.runs, 0), failed = counts.reduce((a, c) => a + c.failedRuns, 0);
  lines.push(`all: ${failed} of ${runs} runs failed a check (${(100 * failed / Math.max(1, runs)).toFixed(2)} %)`);
  return lines;
}

/** The benchmark cases; a new area adds its cases here. */
/** Largest page a report may be (issue 17): 1.5 MB. */
const MAX_PAGE_BYTES = 1.5 * 1024 * 1024;

/**
 * Runs `deno task report --json` over a lake and measures what the reports issue judges: the reports' own time
 * (the sum of each page's `ms`, process start-up left out, as the task prints it), the largest page, and the
 * process's peak RSS (VmHWM from /proc, read while it runs).
 */
async function measureReports(
  out: string,
  target: { seconds?: number; rssMb?: number },
): Promise<{ seconds: number; rssMb: number | null; misses: string[]; note: string }> {
  // The report task run through a two-line wrapper that prints the process's peak RSS (getrusage's maxRSS) on
  // stderr when done: Deno lets no process read another's /proc entry.
  const wrapper = `${out}/report_peak_rss.ts`;
  await Deno.writeTextFile(
    wrapper,
    `import process from "node:process";\nimport { main } from ${
      JSON.stringify(new URL("./report.ts", import.meta.url).href)
    };\n` +
      `const code = await main(Deno.args);\nconsole.error(JSON.stringify({ peak_rss_kb: process.resourceUsage().maxRSS }));\nDeno.exit(code);\n`,
  );
  const result = await new Deno.Command("deno", {
    args: [
      "run",
      "--config",
      "deno.json",
      ...POLARS,
      `--allow-write=${out}`,
      wrapper,
      "--root",
      `${out}/lake`,
      "--out",
      `${out}/reports`,
      "--json",
    ],
    env: await taskEnv("tasks/report.ts"),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  const peakKb = Number(/"peak_rss_kb":(\d+)/.exec(stderr)?.[1] ?? 0);
  if (result.code !== 0) {
    throw new Error(`report exited ${result.code}: ${stderr.trim()}`);
  }
  const pages = new TextDecoder().decode(result.stdout).trim().split("\n").map((l) =>
    JSON.parse(l) as { name: string; bytes: number; ms: number }
  );
  const seconds = pages.reduce((a, p) => a + p.ms, 0) / 1000;
  const rssMb = peakKb > 0 ? peakKb / 1024 : null;
  const misses: string[] = [];
  if (target.seconds !== undefined && seconds > target.seconds) {
    misses.push(`${seconds.toFixed(2)} s > ${target.seconds} s`);
  }
  if (target.rssMb !== undefined && rssMb !== null && rssMb > target.rssMb) {
    misses.push(`peak RSS ${rssMb.toFixed(0)} MB > ${target.rssMb} MB`);
  }
  for (const p of pages) if (p.bytes > MAX_PAGE_BYTES) misses.push(`${p.name} page ${p.bytes} bytes > 1.5 MB`);
  const note = `${pages.map((p) => `${p.name} ${(p.bytes / 1024).toFixed(0)} KiB ${p.ms} ms`).join(", ")}; load ${
    Deno.loadavg()[0].toFixed(1)
  }`;
  return { seconds, rssMb, misses, note };
}

/**
 * `report --compare A B` as a whole process, through the same peak-RSS wrapper as {@linkcode measureReports}: the
 * page's `ms` (reading both sides, sampling, drawing), its size and the process's peak RSS.
 */
async function measureCompare(
  out: string,
  options: { a: string; b: string; seconds?: number; rssMb?: number },
): Promise<{ seconds: number; rssMb: number | null; misses: string[]; note: string }> {
  const wrapper = `${out}/compare_peak_rss.ts`;
  await Deno.writeTextFile(
    wrapper,
    `import process from "node:process";\nimport { main } from ${
      JSON.stringify(new URL("./report.ts", import.meta.url).href)
    };\n` +
      `const code = await main(Deno.args);\nconsole.error(JSON.stringify({ peak_rss_kb: process.resourceUsage().maxRSS }));\nDeno.exit(code);\n`,
  );
  const result = await new Deno.Command("deno", {
    args: [
      "run",
      "--config",
      "deno.json",
      ...POLARS,
      `--allow-write=${out}`,
      wrapper,
      "--out",
      `${out}/reports`,
      "--json",
      "--compare",
      options.a,
      options.b,
    ],
    env: await taskEnv("tasks/report.ts"),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(result.stderr);
  if (result.code !== 0) throw new Error(`report --compare exited ${result.code}: ${stderr.trim()}`);
  const page = JSON.parse(new TextDecoder().decode(result.stdout).trim()) as { bytes: number; ms: number };
  const peakKb = Number(/"peak_rss_kb":(\d+)/.exec(stderr)?.[1] ?? 0);
  const seconds = page.ms / 1000, rssMb = peakKb > 0 ? peakKb / 1024 : null;
  const misses = [
    options.seconds !== undefined && seconds > options.seconds ? `${seconds.toFixed(2)} s > ${options.seconds} s` : "",
    options.rssMb !== undefined && rssMb !== null && rssMb > options.rssMb
      ? `peak RSS ${rssMb.toFixed(0)} MB > ${options.rssMb} MB`
      : "",
    page.bytes > MAX_PAGE_BYTES ? `page ${page.bytes} bytes > 1.5 MB` : "",
  ].filter(Boolean);
  return {
    seconds,
    rssMb,
    misses,
    note: `page ${(page.bytes / 1000).toFixed(0)} kB; load ${Deno.loadavg()[0].toFixed(1)}`,
  };
}

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
  ...([["132 k", 10_000, 132_373], ["1 M", 75_000, 994_813]] as const).map(([size, perDay, lines]): BenchCase => ({
    // 14 days of hourly gzipped files (336) from the incidents generator's CloudFront writer.
    name: `ingest cloudfront ~${size} lines (336 gzipped files) -> requests, traffic, incidents`,
    setup: (out) => [[
      "tasks/generate.ts",
      "incidents",
      "--modalities",
      "cloudfront",
      "--cloudfront-requests-per-day",
      String(perDay),
      "--output",
      `${out}/cf`,
    ]],
    args: (out) => [
      "tasks/ingest.ts",
      "cloudfront",
      "--input",
      `${out}/cf/cloudfront`,
      "--output",
      `${out}/processed/cloudfront`,
      "--stats",
    ],
    // Memory must not grow with the input (issue 13: 2.42 GB for 136 k lines and 2.54 GB for 1 M before).
    target: { rssMb: 600 },
    rows: lines,
  })),
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
    name: "validate incidents with ~500 MB of database logs (PII scan of every text file, streamed)",
    setup: (out) => [[
      "tasks/generate.ts",
      "incidents",
      "--modalities",
      "db_logs",
      "--db-records-per-server-hour",
      "300",
      "--output",
      `${out}/validate-text`,
    ]],
    args: (out) => ["tasks/validate.ts", "--stats", `${out}/validate-text`],
    // The 1.9 M-row label table dominates memory (692 MB without the text scan); the scan streams, adding ~80 MB
    // (one 509 MB log alone: 184 MB peak RSS).
    target: { seconds: 20, rssMb: 900 },
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
    name: "reports: the four demo datasets (capacity, anomalies, incidents, msp, validated): report time <= 2 s",
    setup: (out) => [
      ...["capacity", "anomalies", "incidents", "msp"].map((k) => [
        "tasks/generate.ts",
        k,
        "--output",
        `${out}/lake/synthetic/${k}`,
      ]),
      ["tasks/validate.ts", "--root", `${out}/lake`],
    ],
    args: () => [],
    measure: (out) => measureReports(out, { seconds: 2 }),
    target: { seconds: 2 },
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
    name:
      "msp-api: serve + ingest 108 k tickets (220 clients, 88 technicians, 1 y), no rate limit: records/s, peak RSS",
    setup: (out) => [[
      "tasks/generate.ts",
      "msp",
      "--clients",
      "220",
      "--technicians",
      "88",
      "--output",
      `${out}/msp100k`,
    ]],
    args: () => [],
    measure: (out) => mspApiIngest(`${out}/msp100k`, out, { rateLimit: 0, pageSize: 500, rssMb: 1200 }),
    target: { rssMb: 1200 },
  },
  {
    name: "msp-api: serve + ingest msp default (18,568 tickets) at SuperOps' 800 requests/min",
    setup: (out) => [["tasks/generate.ts", "msp", "--output", `${out}/msp`]],
    args: () => [],
    measure: (out) => mspApiIngest(`${out}/msp`, out, { rateLimit: 800, pageSize: 100, rps: 800 / 60 }),
    target: {},
  },
  {
    name: "msp-api: serve + ingest msp default (18,568 tickets), no rate limit",
    setup: (out) => [["tasks/generate.ts", "msp", "--output", `${out}/msp`]],
    args: () => [],
    measure: (out) => mspApiIngest(`${out}/msp`, out, { rateLimit: 0, pageSize: 100 }),
    target: {},
  },
  {
    name: "replay msp --max -> NDJSON (139,040 events)",
    setup: (out) => [["tasks/generate.ts", "msp", "--output", `${out}/msp`]],
    args: (out) => ["tasks/replay.ts", `${out}/msp`, "--max"],
    perms: ["--allow-net=127.0.0.1,localhost"],
    target: { seconds: 3, rssMb: 400 },
    rows: 139_040,
  },
  ...[4, 10].map((factor): BenchCase => ({
    name: `replay capacity hourly ~${factor} M rows --max -> NDJSON: first event, peak RSS`,
    setup: (out) => [hourlyCapacity(factor, `${out}/r${factor}`)],
    args: (out) => ["tasks/replay.ts", `${out}/r${factor}`, "--max", "--stats"],
    measure: (out) => replayFirstEvent(`${out}/r${factor}`, { firstEventSeconds: 2, rssMb: 600 }),
    target: { rssMb: 600 },
    rows: factor * 29 * 35_064,
  })),
  {
    name: "replay ws: 10 clients flood pings and never read, for 45 s: RSS growth",
    setup: (out) => [["tasks/generate.ts", "msp", "--output", `${out}/msp`]],
    args: (out) => ["tasks/replay.ts", `${out}/msp`, "--speed", "1", "--sink", "ws"],
    measure: (out) => pingFloodAttack(`${out}/msp`, { clients: 10, seconds: 45, maxGrowthMb: 100 }),
    target: {},
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
    name:
      `scale: report capacity hourly ~${factor} M rows (validated; over 5 M rows scanned file by file): page <= 1.5 MB, RSS bounded`,
    setup: (out) => [
      hourlyCapacity(factor, `${out}/lake/synthetic/capacity-hourly`),
      ["tasks/validate.ts", "--root", `${out}/lake`],
    ],
    args: () => [],
    measure: (out) => measureReports(out, { rssMb: 1536 }),
    target: { rssMb: 1536 },
    rows: factor * 29 * 35_064,
    scale: true,
  })),
  {
    name: "scale: report incidents over 3 months (validated in memory): page <= 1.5 MB",
    setup: (out) => [[
      "tasks/generate.ts",
      "incidents",
      "--from",
      "2024-01-01",
      "--to",
      "2024-04-01",
      "--output",
      `${out}/lake/synthetic/incidents-3m`,
    ]],
    args: () => [],
    measure: (out) => measureReports(out, {}),
    target: {},
    scale: true,
  },
  {
    name: "scale: report anomalies 10,000 series x 1,440 (validated in memory): page <= 1.5 MB",
    setup: (out) => [[
      "tasks/generate.ts",
      "anomalies",
      "--series",
      "10000",
      "--output",
      `${out}/lake/synthetic/anomalies-10k`,
    ]],
    args: () => [],
    measure: (out) => measureReports(out, {}),
    target: {},
    rows: 14_400_000,
    scale: true,
  },
  ...[1, 10, 100].map((factor): BenchCase => ({
    name: `scale: validate capacity hourly ~${factor} M rows by lazy scans, peak RSS flat`,
    setup: (out) => [hourlyCapacity(factor, `${out}/v${factor}`)],
    args: (out) => ["tasks/validate.ts", "--in-memory-rows", "0", "--no-write", "--stats", `${out}/v${factor}`],
    // Issue 18: 100 M rows in <= 1,024 MiB. Measured back to back (2 shared cores, two runs each): 100 M rows
    // 79-122 s, 1,337-1,553 MiB before (the seasonal daily means stacked 4.5 M sampled rows per group), 79-104 s,
    // 878-898 MiB after; 10 M rows 8.8-9.2 s, 452-477 MiB before, 7.8-10.4 s, 565-638 MiB after (counts read four
    // files at a time). Then each file read 12 times instead of 17 (null, validity and string counts in one read,
    // no read of its own for the entity check, median series only from the files holding the group): 100 M rows
    // 69.6 -> 58.2 s at load 0.7-1.5, 64.7 -> 50.8 s at 1.5-2.0, 78.8 -> 59.1 s at 2.1-2.6; 893-920 -> 827-932
    // MiB; 10 M rows 8.2-9.7 -> 7.2-9.1 s, 573-612 -> 617-648 MiB (load 2.1-2.3). The time follows the load; the
    // target is RSS.
    target: { rssMb: 1024 },
    rows: factor * 29 * 35_064,
    scale: true,
  })),
  {
    name: "report --compare default capacity seed 42 vs seed 7 (175,320 rows each): page <= 1.5 MB",
    setup: (out) => [
      ["tasks/generate.ts", "capacity", "--output", `${out}/a`],
      ["tasks/generate.ts", "capacity", "--seed", "7", "--output", `${out}/b`],
    ],
    args: () => [],
    measure: (out) => measureCompare(out, { a: `${out}/a`, b: `${out}/b`, seconds: 2 }),
    target: { seconds: 2 },
    rows: 2 * 175_320,
  },
  ...[1, 10, 100].map((factor): BenchCase => ({
    name:
      `scale: report --compare capacity hourly ~${factor} M rows a side (seeds 42 vs 7; 200,000-row samples, over 5 M rows scanned): RSS bounded`,
    setup: (out) => [hourlyCapacity(factor, `${out}/a`), [...hourlyCapacity(factor, `${out}/b`), "--seed", "7"]],
    args: () => [],
    measure: (out) => measureCompare(out, { a: `${out}/a`, b: `${out}/b`, rssMb: 1536 }),
    target: { rssMb: 1536 },
    rows: 2 * factor * 29 * 35_064,
    scale: true,
  })),
];

const FLAGS: Record<string, FlagSpec> = {
  only: { type: "string", arg: "TEXT", help: "run only cases whose name contains TEXT", config: false },
  scale: { type: "boolean", help: "also run the scaling cases (workers, growing row counts)", config: false },
  sweep: {
    type: "boolean",
    help: "run only the false-failure sweep of validate (200 generations, every kind; long): <= 0.5 % of runs may fail",
    config: false,
  },
  runs: {
    type: "string",
    arg: "N",
    help: "with --sweep: at most N seeds per size (--only TEXT picks sizes whose kind and size contain TEXT)",
    config: false,
  },
  json: { type: "boolean", help: "print results as JSON", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

interface Measured {
  name: string;
  seconds: number;
  rssMb: number | null;
  /** Seconds inside the process, when the case prints them (`--stats`). */
  inProcessSeconds?: number | null;
  rowsPerSecond: number | null;
  ok: boolean;
  note: string;
}

async function runChild(args: string[], perms: string[], out: string): Promise<{ seconds: number; stats: unknown }> {
  const started = performance.now();
  const child = await new Deno.Command("deno", {
    args: ["run", ...POLARS, `--allow-write=${out}`, ...perms, ...args],
    env: await taskEnv(args[0]),
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
        helpText("deno task bench [flags]", {
          description:
            `Times the generators in process, then the main jobs as whole processes (wall time, rows/s, peak RSS),
against their targets. Exit code 1 when a target is missed.`,
          flags: FLAGS,
          examples: ["deno task bench", "deno task bench --only replay", "deno task bench --scale --json"],
        }),
      );
      return 0;
    }
    if (flags.sweep) {
      // A slice: the sizes whose "<kind> <size>" contains --only, at most --runs seeds each.
      const cap = typeof flags.runs === "string" ? Number(flags.runs) : Infinity;
      if (!(cap >= 1)) throw new UsageError(`--runs: "${flags.runs}" is not a whole number >= 1`);
      const plan = SWEEP.filter((s) => typeof flags.only !== "string" || `${s.kind} ${s.size}`.includes(flags.only))
        .map((s) => ({ ...s, runs: Math.min(s.runs, cap) }));
      const counts = await runSweep(plan, {
        onRun: (size, seed, failed) =>
          console.error(`${size.kind} ${size.size} seed ${seed}: ${failed.length ? failed.join(", ") : "ok"}`),
      });
      if (flags.json) console.log(JSON.stringify(counts, null, 2));
      else for (const line of sweepText(counts)) console.log(line);
      const runs = counts.reduce((a, c) => a + c.runs, 0), failed = counts.reduce((a, c) => a + c.failedRuns, 0);
      const ok = failed <= 0.005 * runs;
      console.log(`${ok ? "ok  " : "MISS"} sweep: ${failed} of ${runs} runs failed a check (target <= 0.5 %)`);
      return ok ? 0 : 1;
    }
    const cases = CASES.filter((c) =>
      (flags.scale || !c.scale) && (typeof flags.only !== "string" || c.name.includes(flags.only))
    );
    const results: Measured[] = [];
    for (const c of cases) {
      const out = await Deno.makeTempDir({ prefix: "opslab-bench-" });
      try {
        for (const pre of c.setup?.(out) ?? []) await runChild(pre, c.perms ?? [], out);
        if (c.measure) {
          const m = await c.measure(out);
          results.push({
            name: c.name,
            seconds: m.seconds,
            rssMb: m.rssMb,
            rowsPerSecond: c.rows ? c.rows / m.seconds : null,
            ok: m.misses.length === 0,
            note: m.misses.length ? `missed: ${m.misses.join(", ")}; ${m.note}` : m.note,
          });
          if (!flags.json) print(results[results.length - 1]);
          continue;
        }
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
    // In-process cases last: a child's peak RSS (getrusage) starts from the peak of the process it was forked from,
    // so a bench process grown by these would report its own peak for every child after them.
    for (const c of IN_PROCESS) {
      if (typeof flags.only === "string" && !c.name.includes(flags.only)) continue;
      results.push(timeInProcess(c));
      if (!flags.json) print(results[results.length - 1]);
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

/**
 * A case's targets in words, `no target` when it has none (a measurement only).
 * @param t the targets
 * @returns e.g. `target <= 4 s, <= 300 MB`
 */
export function targetText(t: BenchCase["target"]): string {
  const parts = [
    t.seconds !== undefined ? `<= ${t.seconds} s` : "",
    t.inProcessSeconds !== undefined ? `<= ${t.inProcessSeconds} s in process` : "",
    t.rssMb ? `<= ${t.rssMb.toLocaleString("en-US")} MB` : "",
  ].filter(Boolean);
  return parts.length === 0 ? "no target" : `target ${parts.join(", ")}`;
}

function print(r: Measured): void {
  const rate = r.rowsPerSecond ? `${Math.round(r.rowsPerSecond).toLocaleString("en-US")} rows/s` : "";
  const rss = r.rssMb !== null ? `${r.rssMb.toFixed(0)} MB peak RSS` : "";
  const inner = typeof r.inProcessSeconds === "number" ? `${r.inProcessSeconds.toFixed(2)} s in process  ` : "";
  console.log(
    `${r.ok ? "ok  " : "MISS"} ${r.name}\n     ${r.seconds.toFixed(2)} s  ${inner}${rate}  ${rss}  (${r.note})`,
  );
}

if (import.meta.main) Deno.exit(await main(Deno.args));
