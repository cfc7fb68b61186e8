import { parseArgs } from "node:util";
import type { z } from "zod";
import { readConfigFile, resolveConfig } from "@lib/config/mod.ts";
import { claimOutput, datasetDir, DEFAULT_LAKE_ROOT } from "@lib/lake/mod.ts";
import { assertWritable, isUsageError, runTask, usageMessage } from "@lib/cli/mod.ts";
import { peakRss } from "@lib/cli/run.ts";
import { Progress } from "@lib/cli/progress.ts";
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
  run: (job: IngestJob<z.output<S>>) => Promise<IngestReport>;
}

/** One ingest run, as {@linkcode IngestTaskSpec.run} gets it. */
export interface IngestJob<C> {
  /** The input folder or file. */
  input: string;
  /** The dataset folder to write. */
  output: string;
  /** The resolved config. */
  config: C;
  /** The creation time for the manifest. */
  created: Date;
  /**
   * The task's one progress display (files read, then the named steps): `onFile` and `onStep` of the ingest
   * functions feed it.
   */
  progress: Progress;
}

/**
 * Progress hooks for an ingest's options from the task's display: files read count up, a step names the phase.
 * @param progress the display
 * @returns `onFile` and `onStep`
 */
export function progressHooks(progress: Progress): IngestProgressHooks {
  return {
    onFile: (done, total) => {
      progress.setTotal(total);
      progress.tick(1);
      if (done === total) progress.step("processing");
    },
    onStep: (step) => progress.step(step),
  };
}

/** Progress callbacks an ingest function takes in its options. */
export interface IngestProgressHooks {
  /** Called after each input file is read. */
  onFile?: (done: number, total: number) => void;
  /** Called when a phase starts (`reading`, `processing`, `writing`). */
  onStep?: (step: string) => void;
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
      const started = performance.now();
      // One display for the run: files read (a count with rate and ETA once the files are known), then the steps;
      // off a terminal a plain line every few seconds.
      const progress = new Progress(`ingest ${source}`, 0, { unit: "files" });
      progress.step("reading");
      let report: IngestReport;
      try {
        report = await run({ input, output, config, created: createdFromEnv(Deno.env.toObject()), progress });
      } finally {
        progress.finish();
      }
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
