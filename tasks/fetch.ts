/**
 * `deno task fetch <nab|cloudfront|tickets> [--dest DIR]`: download a source's Kaggle dataset into
 * `data/raw/<modality>/<name>/`, ready for `deno task ingest`.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind and its sources
import { type FlagSpec, HELP_FLAG, helpText, parseFlags, UsageError } from "@lib/cli/args.ts";
import { formatBytes } from "@lib/cli/format.ts";
import { Progress } from "@lib/cli/progress.ts";
import { didYouMean } from "@lib/config/suggest.ts";
import { datasetDir, DEFAULT_LAKE_ROOT } from "@lib/lake/paths.ts";
import { fetchKaggleDataset, KAGGLE_API } from "@lib/ingest/kaggle/mod.ts";
import { kaggleSources, sourceDatasetName } from "@lib/ingest/sources.ts";

const FLAGS: Record<string, FlagSpec> = {
  dest: { type: "string", arg: "DIR", help: "destination folder (default data/raw/<modality>/<name>)", config: false },
  lake: { type: "string", arg: "DIR", help: "lake root for the default (default data)", config: false },
  "base-url": {
    type: "string",
    arg: "URL",
    help: `API base (default env OPSLAB_KAGGLE_URL, else ${KAGGLE_API})`,
    config: false,
  },
  ...HELP_FLAG,
};

/**
 * The `--help` text; its source list is read from the kind registry when asked for.
 * @returns the text
 */
const usage = () =>
  helpText("deno task fetch <source> [--dest DIR] [--base-url URL]", {
    description:
      `Downloads the source's dataset zip from Kaggle's public API and unzips it into data/raw/<modality>/<name>/
(replacing what was there once the download is complete), with the dataset's LICENSE/README and a SOURCE.json.
Credentials: KAGGLE_USERNAME and KAGGLE_KEY, or ~/.kaggle/kaggle.json (KAGGLE_CONFIG_DIR to move it).`,
    flags: FLAGS,
    lists: {
      Sources: kaggleSources().map((s) => [
        s.id,
        `kaggle.com/datasets/${s.kaggle} -> data/raw/${sourceDatasetName(s.id)}`,
      ]),
    },
    examples: ["deno task fetch nab", "deno task fetch cloudfront --dest data/raw/logs/cloudfront-2024"],
  });
/**
 * Runs the download.
 * @param args `<source>` and flags
 * @returns the exit code: 0 done, 1 failed, 2 bad usage
 */
export async function main(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ flags: values, positionals } = parseFlags(args, FLAGS));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`error: ${e.message}`);
    return 2;
  }
  if (values.help) {
    console.log(usage());
    return 0;
  }
  const ids = kaggleSources().map((s) => s.id);
  const source = kaggleSources().find((s) => s.id === positionals[0]);
  if (source === undefined || positionals.length > 1) {
    console.error(
      `error: expected one source of ${ids.join(", ")}, got ${
        positionals.length ? `"${positionals.join(" ")}"` : "none"
      }${didYouMean(positionals[0] ?? "", ids)} (see --help)`,
    );
    return 2;
  }
  const dest = (values.dest as string | undefined) ??
    datasetDir("raw", sourceDatasetName(source.id), { root: (values.lake as string | undefined) ?? DEFAULT_LAKE_ROOT });
  // The shared display: kB received of the archive's size (when the server states it), rate and ETA.
  const progress = new Progress(`fetch ${source.id}`, 0, { unit: "kB" });
  let last = 0;
  try {
    const got = await fetchKaggleDataset(source.kaggle!, dest, {
      ...(values["base-url"] !== undefined ? { baseUrl: values["base-url"] as string } : {}),
      onProgress: (received, total) => {
        if (total) progress.setTotal(total / 1000);
        progress.tick((received - last) / 1000);
        last = received;
      },
    });
    progress.finish();
    console.log(
      `fetched ${got.dataset}: ${got.files.length} files, ${formatBytes(got.bytes)} (sha256 ${
        got.sha256.slice(0, 12)
      }) -> ${dest}`,
    );
    return 0;
  } catch (e) {
    progress.finish();
    console.error(`error: ${String((e as Error).message).split("\n")[0]}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
