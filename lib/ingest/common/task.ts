import { parseArgs } from "node:util";
import type { z } from "zod";
import { readConfigFile, resolveConfig } from "@lib/config/mod.ts";
import { claimOutput, datasetDir, DEFAULT_LAKE_ROOT } from "@lib/lake/mod.ts";
import { assertWritable, isUsageError, runTask, usageMessage } from "@lib/cli/mod.ts";
import { peakRss } from "@lib/cli/run.ts";
import { sourceDatasetName } from "../sources.ts";
import { createdFromEnv } from "./commit.ts";
import { errorLine, flagsToConfig, summaryLine } from "./cli.ts";
import type { IngestReport } from "./report.ts";

type Values = Record<string, string | boolean | string[] | undefined>;

/** What one `deno task ingest <source>` entry point supplies; the rest is shared. */
export interface IngestTaskSpec<S extends z.ZodType> {
  source: string;
  /** The `--help` text. */
  usage: string;
  /** The config schema of the source. */
  schema: S;
  /** Flags that are config keys (kebab-case), passed as strings and typed by coercion. */
  configFlags: readonly string[];
  /** Config flags that take a comma-separated list. @default [] */
  listFlags?: readonly string[];
  /** Further flags with their own handling, added to `flags` by `extraFlags`. @default {} */
  extraOptions?: Record<string, { type: "string" | "boolean"; multiple?: boolean }>;
  /** Turns the further flags into config keys. @default none */
  extraFlags?: (values: Values, flags: Record<string, unknown>) => Promise<void>;
  /** Runs the ingest and resolves to its report. */
  run: (input: string, output: string, config: z.output<S>, created: Date) => Promise<IngestReport>;
}

/**
 * The shared body of the ingest tasks: flags (`--input`, `--output`, `--lake`, `--config`, `--help`, `--stats`
 * (rows, seconds and peak RSS as JSON on a last stdout line, for `deno task bench`) and the source's own), config resolution (defaults, file, flags, `OPSLAB_INGEST_<SOURCE>_*`), the run and a one-line
 * summary.
 * @param args the command-line arguments after the source name
 * @param spec the source's part
 * @returns the exit code: 0 done, 1 bad input, 2 bad usage (a refused output folder, another run writing it)
 */
export function runIngestTask<S extends z.ZodType>(args: string[], spec: IngestTaskSpec<S>): Promise<number> {
  // runTask for its interrupt handling: SIGINT and SIGTERM remove the temporary folder and exit 130 or 143.
  return runTask(() => ingestBody(args, spec));
}

async function ingestBody<S extends z.ZodType>(args: string[], spec: IngestTaskSpec<S>): Promise<number> {
  const { source, usage, schema, configFlags, listFlags = [], extraOptions = {}, extraFlags, run } = spec;
  let values: Values;
  const options = {
    input: { type: "string" },
    output: { type: "string" },
    lake: { type: "string" },
    config: { type: "string" },
    overwrite: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    stats: { type: "boolean" },
    ...extraOptions,
    ...Object.fromEntries(configFlags.map((k) => [k, { type: "string" as const }])),
  } as const;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (e) {
    // One line, as every task's usage errors: the flag, with a "did you mean" for a mistyped one.
    console.error(`error: ${usageMessage(e as Error, options as Record<string, { short?: string }>)}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  try {
    const lake = (values.lake as string | undefined) ?? DEFAULT_LAKE_ROOT;
    const name = sourceDatasetName(source);
    const input = (values.input as string | undefined) ?? datasetDir("raw", name, { root: lake });
    const output = (values.output as string | undefined) ?? datasetDir("processed", name, { root: lake });
    const flags = flagsToConfig(values as Record<string, unknown>, configFlags, { lists: listFlags });
    await extraFlags?.(values, flags);
    const config = resolveConfig(schema, {
      file: typeof values.config === "string" ? await readConfigFile(values.config) : {},
      flags,
      env: Deno.env.toObject(),
      envPrefix: `OPSLAB_INGEST_${source.toUpperCase()}_`,
      what: `${source} ingest`,
    });
    assertWritable(output, "--output");
    // Claimed before reading: the output may not hold the input, a lake root or another kind's dataset, and
    // replaces an existing dataset only with --overwrite.
    const lock = await claimOutput(output, {
      kind: source,
      overwrite: values.overwrite === true,
      inputs: [input, ...(typeof values.config === "string" ? [values.config] : [])],
      lakes: [lake],
    });
    try {
      if (Deno.stderr.isTerminal()) console.error(`ingesting ${input} ...`);
      const started = performance.now();
      const report = await run(input, output, config, createdFromEnv(Deno.env.toObject()));
      console.log(summaryLine(report, output));
      if (values.stats) {
        const seconds = (performance.now() - started) / 1000;
        console.log(JSON.stringify({ rows: report.rows_read, seconds, peak_rss_bytes: peakRss() ?? null }));
      }
      return 0;
    } finally {
      lock.release();
    }
  } catch (e) {
    console.error(`error: ${errorLine(e)}`);
    // Bad config values, a refused output and a busy dataset are usage errors, as in every task.
    return isUsageError(e) ? 2 : 1;
  }
}
