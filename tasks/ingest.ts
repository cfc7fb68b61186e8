/**
 * `deno task ingest <source> [--input PATH] [flags]`: ingest a real public dataset from `data/raw/<modality>/`
 * into `data/processed/<modality>/`. Each source lives in `tasks/ingest_<source>.ts`.
 * @module
 */
import { dispatch } from "@lib/cli/dispatch.ts";
import { listKinds } from "@lib/kinds/mod.ts";

/**
 * The ingested kinds, from the kind registry (each descriptor names its task module), and `msp-api`: a source, not
 * a kind (it writes the msp kind from a platform's API).
 */
const SOURCES = [...listKinds("ingested"), { kind: "msp-api", task: "tasks/ingest_msp_api.ts" }];

const USAGE = `Usage: deno task ingest <source> [--input PATH] [flags]

Reads a real dataset from data/raw/<modality>/ (or --input) and writes clean Parquet, a manifest and a
preprocessing report to data/processed/<modality>/. Unusable rows go to a quarantine table with the reason.

Sources:
  nab         Numenta Anomaly Benchmark series and label windows
  cloudfront  Amazon CloudFront access logs (W3C extended format, gzipped or not)
  tickets     IT support tickets (CSV with a configurable column mapping)
  gwa         GWA-T-12 VM traces (Bitbrains), e.g. --input ../shared/real/bitbrains_rnd
  msp-api     an MSP platform's GraphQL API (SuperOps-shaped), e.g. --url http://127.0.0.1:8787/msp

Run "deno task ingest <source> --help" for the flags of a source.`;

if (import.meta.main) {
  Deno.exit(
    await dispatch(Deno.args, {
      usage: USAGE,
      kinds: SOURCES.map((d) => d.kind),
      load: (source) => import(`../${SOURCES.find((d) => d.kind === source)!.task}`),
    }),
  );
}
