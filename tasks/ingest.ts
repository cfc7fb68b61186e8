/**
 * `deno task ingest <source> [--input PATH] [flags]`: ingest a real public dataset from `data/raw/<modality>/`
 * into `data/processed/<modality>/`. Each source lives in `tasks/ingest_<source>.ts`.
 * @module
 */
import { dispatch } from "@lib/cli/dispatch.ts";
import { listKinds } from "@lib/kinds/mod.ts";
import { HELP_FLAG, helpText } from "@lib/cli/args.ts";

/**
 * The ingested kinds, from the kind registry (each descriptor names its task module), and `msp-api`: a source, not
 * a kind (it writes the msp kind from a platform's API).
 */
const SOURCES = [...listKinds("ingested"), { kind: "msp-api", task: "tasks/ingest_msp_api.ts" }];

const USAGE = helpText(
  "deno task ingest <source> [--input PATH] [flags]",
  `Reads a real dataset from data/raw/<modality>/ (or --input, anywhere on disk) and writes clean Parquet, a
manifest and a preprocessing report to data/processed/<modality>/. Unusable rows go to a quarantine table with
the reason. Run "deno task ingest <source> --help" for the flags of a source.`,
  HELP_FLAG,
  {
    lists: {
      Sources: [
        ["nab", "Numenta Anomaly Benchmark series and label windows"],
        ["cloudfront", "Amazon CloudFront access logs (W3C extended format, gzipped or not)"],
        ["tickets", "IT support tickets (CSV with a configurable column mapping)"],
        ["gwa", "GWA-T-12 VM traces (Bitbrains fastStorage / Rnd folders)"],
        ["msp-api", "an MSP platform's GraphQL API (SuperOps-shaped), e.g. --url http://127.0.0.1:8787/msp"],
      ],
    },
    examples: [
      "deno task ingest nab",
      "deno task ingest cloudfront --input ~/logs/cloudfront --sample-windows 4",
    ],
  },
);

/**
 * Runs `ingest <source> …`.
 * @param args the command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return dispatch(args, {
    usage: USAGE,
    kinds: SOURCES.map((d) => d.kind),
    load: (source) => import(`../${SOURCES.find((d) => d.kind === source)!.task}`),
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
