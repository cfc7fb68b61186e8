/**
 * `deno task ingest <source> [--input PATH] [flags]`: ingest a real public dataset from `data/raw/<modality>/`
 * into `data/processed/<modality>/`. Each source lives in `tasks/ingest_<source>.ts`.
 * @module
 */
import { dispatch } from "@lib/cli/dispatch.ts";
import { listSources } from "@lib/kinds/mod.ts";
import { HELP_FLAG, helpText } from "@lib/cli/args.ts";

/**
 * The `--help` text; its source list is read from the kind registry (each source names its task module), which
 * includes `msp-api`: a source of the msp kind (it writes msp datasets from a platform's API).
 * @returns the text
 */
const usage = () =>
  helpText("deno task ingest <source> [--input PATH] [flags]", {
    description:
      `Reads a real dataset from data/raw/<modality>/ (or --input, anywhere on disk) and writes clean Parquet, a
manifest and a preprocessing report to data/processed/<modality>/. Unusable rows go to a quarantine table with
the reason. Run "deno task ingest <source> --help" for the flags of a source.`,
    flags: HELP_FLAG,
    lists: { Sources: listSources().map((s) => [s.id, s.summary]) },
    examples: [
      "deno task ingest nab",
      "deno task ingest cloudfront --input ~/logs/cloudfront --sample-windows 4",
    ],
  });

/**
 * Runs `ingest <source> …`.
 * @param args the command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return dispatch(args, {
    usage: usage(),
    kinds: listSources().map((s) => s.id),
    load: (source) => import(`../${listSources().find((s) => s.id === source)!.task}`),
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
