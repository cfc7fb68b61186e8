/**
 * `deno task generate anomalies [flags]`: anomaly-labeled service metrics (latency, error rate, throughput), or
 * the same anomaly types injected into an existing dataset with `--inject-into`.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import {
  assertWritable,
  claimTaskOutput,
  CONFIG_FLAGS,
  configYaml,
  creationTime,
  type FlagSpec,
  helpText,
  OVERWRITE_FLAG,
  parseFlags,
  peakRss,
  Progress,
  resolveTaskConfig,
  runTask,
  SCALE_FLAGS,
  SCALE_HELP,
  scaleOut,
  shardFlag,
  UsageError,
} from "@lib/cli/mod.ts";
import { datasetDir, readManifest } from "@lib/lake/mod.ts";
import {
  AnomaliesConfig,
  ANOMALY_TYPE_NAMES,
  type AnomalyStats,
  checkFit,
  EXPORT_FORMATS,
  type ExportFormat,
  formatStats,
  mergeAnomaliesShards,
  NAB_WINDOWINGS,
  type NabWindowing,
  writeAnomaliesDataset,
  writeInjectedDataset,
} from "@lib/generate/anomalies/mod.ts";

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

const FLAGS: Record<string, FlagSpec> = {
  series: { type: "string", arg: "N", help: "number of series (default 1000)" },
  points: { type: "string", arg: "N", help: "points per series (default 1440)" },
  freq: { type: "string", arg: "1m|5m|1h", help: "step between points: N and s, m, h or d (default 1m)" },
  start: { type: "string", arg: "ISO", help: "first timestamp with zone (default 2024-01-01T00:00:00Z)" },
  "anomaly-ratio": { type: "string", arg: "R", help: "share of series with anomalies, 0-1 (default 0.5)" },
  "anomalies-per-series": { type: "string", arg: "MIN-MAX", help: "anomalies per anomalous series (default 1-3)" },
  "min-gap": { type: "string", arg: "N", help: "normal points between two anomalies (default 30)" },
  warmup: { type: "string", arg: "N", help: "points at the start where no anomaly begins (default 60)" },
  "anomaly-window": {
    type: "string",
    arg: "FROM,TO",
    help: "fractions of each series where anomalies may lie, e.g. 0.5,1 (default 0,1)",
  },
  types: {
    type: "string",
    arg: "LIST",
    help: "type mix: spike,dip or spike=2,dip=1; unlisted types get weight 0 (default all, equal)",
    config: false,
  },
  seed: { type: "string", arg: "N", help: "seed; equal seeds and configs give byte-identical files (default 42)" },
  name: { type: "string", arg: "NAME", help: "dataset name, the folder under data/synthetic/ (default anomalies)" },
  format: { type: "string", arg: "parquet|csv", help: "output format (default parquet)" },
  compress: { type: "boolean", help: "gzip the CSV output" },
  "rows-per-file": { type: "string", arg: "N", help: "points rows per file; more split by series (default 2,000,000)" },
  export: {
    type: "string",
    arg: "nab|timeeval",
    help: "also write a NAB or GutenTAG/TimeEval layout into the dataset (comma list)",
    config: false,
  },
  "nab-windows": {
    type: "string",
    arg: "exact|nab",
    help: "NAB export windows: the exact labeled spans, or NAB's own (centred, 10 % of the rows) (default exact)",
    config: false,
  },
  "inject-into": {
    type: "string",
    arg: "DIR",
    help: "inject into this lake dataset's primary table instead of generating (see below)",
    config: false,
  },
  entity: {
    type: "string",
    arg: "COL",
    help: "with --inject-into: the entity column (default detected)",
    config: false,
  },
  time: { type: "string", arg: "COL", help: "with --inject-into: the time column (default timestamp)", config: false },
  metrics: {
    type: "string",
    arg: "A,B",
    help: "with --inject-into: metric columns (default every Float)",
    config: false,
  },
  label: {
    type: "string",
    arg: "COL|none",
    help: "with --inject-into: existing label column to keep (default is_anomaly if present)",
    config: false,
  },
  bounds: {
    type: "string",
    arg: "M=LO:HI,...",
    help: "with --inject-into: valid ranges, e.g. net_in_p95=0:1000 (default inferred)",
    config: false,
  },
  threads: {
    type: "string",
    arg: "N",
    help: "threads generating series; output identical for any N; pays on large runs with idle cores (default 1)",
    config: false,
  },
  ...SCALE_FLAGS,
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/synthetic/<name>)", config: false },
  ...OVERWRITE_FLAG,
  ...CONFIG_FLAGS,
  difficulty: {
    type: "string",
    arg: "easy|realistic|hard",
    help: "anomaly sizes in baseline sigma: easy 12-600 (as before), realistic 5-150 (default), hard 1.5-25",
  },
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on stdout", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task generate anomalies [flags]", {
  description:
    `Generates many series of service metrics (latency_ms, error_rate_pct, throughput_rps, coupled through load
with daily and weekly seasonality) with typed, non-overlapping anomalies labeled per point, into
data/synthetic/<name>/: points (one row per series and timestamp, with is_anomaly, anomaly_type, anomaly_id and
per-metric flags), events (one row per anomaly with its span and parameters), series (service, tier, region,
base levels, seasonality, anomaly counts), config.json and manifest.json (with the achieved rates).
The default run gives 1,000 series x 1,440 points.

Anomaly types: ${wrap(ANOMALY_TYPE_NAMES.join(", "), 100).join("\n  ")}.
Each type's parameters (length, magnitude in local standard deviations, ramps, ...) are set in a config file:
  types: { spike: { weight: 2, magnitude: [6, 10] }, seasonal_change: { weight: 0 } }

Config precedence, lowest first: defaults, --config file, flags, OPSLAB_ANOMALIES_* environment variables
(e.g. OPSLAB_ANOMALIES_SERIES=200; nested keys with "__": OPSLAB_ANOMALIES_TYPES__SPIKE__WEIGHT=3).

--inject-into DIR injects the same types into an existing dataset (e.g. data/synthetic/capacity) per entity
and metric column, keeping its labels: an anomaly that would overlap an existing labeled point is not injected
and is counted as a conflict. Output: data/synthetic/<name> (default <source name>-anomalies) with the edited
table, events, series (per entity) and conflicts.

${SCALE_HELP}`,
  flags: FLAGS,
  examples: [
    "deno task generate anomalies",
    "deno task generate anomalies --series 200 --points 2880 --freq 5m --types spike,level_shift --seed 7",
    "deno task generate anomalies --series 50 --export nab,timeeval --name anomalies-small",
    "deno task generate anomalies --inject-into data/synthetic/capacity --metrics cpu_p95,mem_p95 --anomaly-ratio 0.3",
  ],
});

/**
 * Parses `--types`: a comma list of names, each optionally `=weight`; unlisted types get weight 0.
 * @param text the flag value
 * @returns config overrides, `types.<name>.weight` keys
 * @throws {UsageError} for an unknown type or a bad weight
 */
export function parseTypesFlag(text: string): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(ANOMALY_TYPE_NAMES.map((t) => [`types.${t}.weight`, 0]));
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0) throw new UsageError(`--types must name at least one type, got "${text}"`);
  for (const item of items) {
    const [name, weightText] = item.split("=");
    if (!(ANOMALY_TYPE_NAMES as string[]).includes(name)) {
      throw new UsageError(`--types: unknown type "${name}", expected one of ${ANOMALY_TYPE_NAMES.join(", ")}`);
    }
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new UsageError(`--types: weight of "${name}" must be a number >= 0, got "${weightText}"`);
    }
    out[`types.${name}.weight`] = weight;
  }
  return out;
}

/**
 * Parses `--export`: a comma list of export formats.
 * @param text the flag value
 * @returns the formats
 * @throws {UsageError} for an unknown format
 */
export function parseExportFlag(text: string): ExportFormat[] {
  const items = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (const item of items) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(item)) {
      throw new UsageError(`--export: unknown format "${item}", expected ${EXPORT_FORMATS.join(" or ")}`);
    }
  }
  return [...new Set(items)] as ExportFormat[];
}

/**
 * Parses `--bounds`: `metric=lo:hi` items, comma-separated (an empty side is unbounded).
 * @param text the flag value
 * @returns bounds per metric
 * @throws {UsageError} for a malformed item
 */
export function parseBoundsFlag(text: string): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const m = /^([^=]+)=([^:]*):([^:]*)$/.exec(item);
    const lo = m ? (m[2] === "" ? -Infinity : Number(m[2])) : NaN;
    const hi = m ? (m[3] === "" ? Infinity : Number(m[3])) : NaN;
    if (!m || Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
      throw new UsageError(`--bounds: each item must be metric=lo:hi with lo <= hi, got "${item}"`);
    }
    out[m[1]] = [lo, hi];
  }
  return out;
}

/** `1-3`, `1,3`, `[1,3]` or `2` as a `[min, max]` pair; anything else is passed on for the schema to reject. */
function parseRange(value: unknown): unknown {
  if (typeof value === "number") return [value, value];
  if (typeof value !== "string") return value;
  const m = /^\s*(\d+)\s*[-,:]\s*(\d+)\s*$/.exec(value);
  return m ? [Number(m[1]), Number(m[2])] : value;
}

/**
 * Runs the anomalies generator.
 * @param args command-line arguments after `anomalies`
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { config: flags, flags: raw, positionals } = parseFlags(args, FLAGS);
    if (raw.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
    const started = performance.now();
    if (flags.anomalies_per_series !== undefined) flags.anomalies_per_series = parseRange(flags.anomalies_per_series);
    if (typeof flags.anomaly_window === "string") {
      const m = /^\s*([\d.]+)\s*,\s*([\d.]+)\s*$/.exec(flags.anomaly_window);
      if (m) flags.anomaly_window = [Number(m[1]), Number(m[2])];
    }
    if (typeof flags.seed === "number" && !Number.isInteger(flags.seed)) flags.seed = String(flags.seed);
    const typeFlags = typeof raw.types === "string" ? parseTypesFlag(raw.types) : {};
    const exports = typeof raw.export === "string" ? parseExportFlag(raw.export) : [];
    const nabWindows = raw["nab-windows"] === undefined ? "exact" : String(raw["nab-windows"]);
    if (!(NAB_WINDOWINGS as readonly string[]).includes(nabWindows)) {
      throw new UsageError(`--nab-windows: unknown windowing "${nabWindows}", expected ${NAB_WINDOWINGS.join(" or ")}`);
    }
    const threads = typeof raw.threads === "string" ? Number(raw.threads) : undefined;
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
      throw new UsageError(`--threads must be a whole number from 1 to 64, got "${raw.threads}"`);
    }
    const { config, file } = await resolveTaskConfig(AnomaliesConfig, {
      kind: "anomalies",
      file: raw.config,
      flags: { ...flags, ...typeFlags },
    });
    if (raw["print-config"]) {
      console.log(configYaml("anomalies", config));
      return 0;
    }
    if (typeof raw["inject-into"] !== "string") {
      // A request the series cannot hold (more or longer anomalies than the points allow) is a config error: exit 2.
      try {
        checkFit(config);
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(e.message);
        throw e;
      }
    }
    if (typeof raw["inject-into"] === "string") {
      return await inject(raw, config, { ...file, ...flags });
    }
    const dir = typeof raw.output === "string" ? raw.output : datasetDir("synthetic", config.name);
    const shard = shardFlag(raw.shard);
    const { target } = await claimTaskOutput(dir, {
      kind: "anomalies",
      overwrite: raw.overwrite === true,
      shard: raw.merge ? undefined : shard,
      inputs: typeof raw.config === "string" ? [raw.config] : [],
    });
    const merged = await scaleOut({
      kind: "anomalies",
      args,
      flags: raw,
      dir,
      merge: () => mergeAnomaliesShards(dir, creationTime()),
    });
    let result;
    if (merged !== undefined) {
      result = { manifest: merged, stats: merged.stats as unknown as AnomalyStats };
    } else {
      const progress = new Progress(
        shard ? `anomalies ${shard.index}/${shard.count}` : "anomalies",
        config.series * config.points,
      );
      try {
        result = await writeAnomaliesDataset(config, dir, {
          created: creationTime(),
          exports,
          nabWindows: nabWindows as NabWindowing,
          ...(threads === undefined ? {} : { threads }),
          onRows: (n) => progress.tick(n),
          shard,
        });
      } catch (e) {
        throw permissionError(e, dir);
      }
      progress.finish();
    }
    const seconds = (performance.now() - started) / 1000;
    const { manifest, stats } = result;
    if (raw.stats) {
      console.log(JSON.stringify({ rows: manifest.rows, seconds, peak_rss_bytes: peakRss() }));
    } else {
      const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0);
      console.log(
        `anomalies: ${manifest.rows.toLocaleString("en-US")} rows, ${stats.events.toLocaleString("en-US")} anomalies ` +
          `-> ${target} (${(bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s)`,
      );
      console.log(formatStats(stats));
    }
    return 0;
  });
}

function permissionError(e: unknown, dir: string): unknown {
  if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
    const what = /read access/.test(String(e)) ? "read" : "write";
    return new Error(
      `Cannot write dataset "${dir}": no permission to ${what} there (deno task generate works under data/ only)`,
    );
  }
  return e;
}

async function inject(
  raw: Record<string, string | boolean | undefined>,
  config: AnomaliesConfig,
  given: Record<string, unknown>,
): Promise<number> {
  const source = raw["inject-into"] as string;
  let srcName: string;
  try {
    srcName = (await readManifest(source)).name;
  } catch (e) {
    throw new UsageError(`--inject-into: ${(e as Error).message}`);
  }
  const named = given.name !== undefined || Deno.env.get("OPSLAB_ANOMALIES_NAME") !== undefined;
  const name = named ? config.name : `${srcName.replaceAll("/", "-")}-anomalies`;
  const dir = typeof raw.output === "string" ? raw.output : datasetDir("synthetic", name);
  assertWritable(dir, "--output");
  await claimTaskOutput(dir, {
    kind: "anomalies_injected",
    overwrite: raw.overwrite === true,
    inputs: [source, ...(typeof raw.config === "string" ? [raw.config] : [])],
  });
  const list = (v: unknown) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter((s) => s) : undefined);
  const started = performance.now();
  let out;
  try {
    out = await writeInjectedDataset(source, dir, {
      config: { ...config, name },
      created: creationTime(),
      ...(typeof raw.entity === "string" ? { entity: raw.entity } : {}),
      ...(typeof raw.time === "string" ? { time: raw.time } : {}),
      ...(list(raw.metrics) ? { metrics: list(raw.metrics) } : {}),
      ...(typeof raw.label === "string" ? { label: raw.label === "none" ? null : raw.label } : {}),
      ...(typeof raw.bounds === "string" ? { bounds: parseBoundsFlag(raw.bounds) } : {}),
    });
  } catch (e) {
    throw permissionError(e, dir);
  }
  const { manifest, result, columns } = out;
  const seconds = (performance.now() - started) / 1000;
  if (raw.stats) {
    console.log(JSON.stringify({ rows: manifest.rows, seconds, peak_rss_bytes: peakRss() }));
    return 0;
  }
  console.log(
    `anomalies: injected ${result.events.length} anomalies into ${source} (${columns.entity} x ${
      columns.metrics.join(", ")
    }) -> ${dir} (${seconds.toFixed(2)} s)`,
  );
  console.log(
    `existing labeled points ${result.stats.existing_labeled_points}, conflicts (not injected) ${result.conflicts.length}, ` +
      `entities too short ${result.stats.entities_too_short}`,
  );
  console.log(formatStats(result.stats));
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
