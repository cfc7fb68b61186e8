/**
 * `deno task ingest tickets [--input PATH] [flags]`: a helpdesk ticket CSV into `data/processed/tickets/support/`
 * (clean tickets with language and severity, hashed TF-IDF embeddings and idf, quarantine, report).
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { type FlagSpec, helpText } from "@lib/cli/args.ts";
import { readConfigFile } from "@lib/config/mod.ts";
import { progressHooks, runIngestTask } from "@lib/ingest/common/mod.ts";
import { ingestTickets, TicketsIngestConfig } from "@lib/ingest/tickets/mod.ts";

const HELP_FLAGS: Record<string, FlagSpec> = {
  input: { type: "string", arg: "PATH", help: "CSV file or folder (default data/raw/tickets/support)" },
  output: { type: "string", arg: "DIR", help: "dataset folder (default data/processed/tickets/support)" },
  overwrite: { type: "boolean", help: "replace the dataset at --output (only one of this source)" },
  lake: { type: "string", arg: "DIR", help: "lake root for the defaults (default data)" },
  config: {
    type: "string",
    arg: "FILE",
    help:
      `JSON/YAML config (keys below in snake_case, plus "columns" and "severity_matrix"); env OPSLAB_INGEST_TICKETS_<KEY> overrides`,
  },
  column: {
    type: "string",
    arg: "FIELD=NAME",
    help:
      `CSV column of a field (title, body, ticket_type, category, sub_category1, sub_category2, business_service, urgency, impact, id); NAME "null" for none; repeatable`,
  },
  "severity-matrix": {
    type: "string",
    arg: "FILE",
    help: `JSON/YAML {"<urgency>": {"<impact>": "P1".."P4"}} (default: 0 = most urgent/impact)`,
  },
  separator: { type: "string", arg: "C", help: "field separator (default ,)" },
  "max-field-lines": {
    type: "string",
    arg: "N",
    help:
      "most physical lines one quoted field may span; a longer one (a stray quote) is quarantined with its line span and reading resumes on the next line (default 200)",
  },
  "max-field-bytes": {
    type: "string",
    arg: "N",
    help: "most bytes one quoted field may hold, likewise (default 1048576)",
  },
  languages: { type: "string", arg: "LIST", help: `ISO 639-3 codes the language detector may answer, or "all"` },
  "min-language-length": { type: "string", arg: "N", help: "shortest text whose language is guessed (default 20)" },
  "language-sample-chars": {
    type: "string",
    arg: "N",
    help: "characters of each ticket the language detector reads (default 400)",
  },
  dims: { type: "string", arg: "N", help: "hash buckets of the TF-IDF vectors (default 4096)" },
  bigrams: { type: "string", arg: "BOOL", help: "also hash word pairs (default true)" },
  "min-token-length": { type: "string", arg: "N", help: "shortest token kept (default 2)" },
  classification: {
    type: "string",
    arg: "C",
    help: "public | internal | confidential | restricted (default confidential)",
  },
  stats: { type: "boolean", help: "print rows, seconds and peak RSS as JSON on a last stdout line" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

const USAGE = helpText("deno task ingest tickets [--input PATH] [flags]", {
  description:
    `Reads a helpdesk ticket CSV (a file, or a folder holding one) and writes data/processed/tickets/support/:
tickets.parquet (ticket_id, title, body, label codes, severity, language, html_cleaned), embeddings.parquet and
idf.parquet (hashed TF-IDF vectors for similarTickets), quarantine.parquet, report.json.`,
  flags: HELP_FLAGS,
  examples: [
    "deno task ingest tickets",
    "deno task ingest tickets --input ~/Downloads/tickets.csv --column title=subject --languages eng,deu",
  ],
});

const CONFIG_FLAGS = [
  "separator",
  "max-field-lines",
  "max-field-bytes",
  "min-language-length",
  "language-sample-chars",
  "dims",
  "bigrams",
  "min-token-length",
  "classification",
] as const;

/**
 * Runs the ticket ingest.
 * @param args command-line arguments after `tickets`
 * @returns the exit code: 0 done, 1 bad input, 2 bad usage
 */
export function main(args: string[]): Promise<number> {
  return runIngestTask(args, {
    source: "tickets",
    usage: USAGE,
    schema: TicketsIngestConfig,
    configFlags: CONFIG_FLAGS,
    extraOptions: {
      column: { type: "string", multiple: true },
      "severity-matrix": { type: "string" },
      languages: { type: "string" },
    },
    extraFlags: async (values, flags) => {
      const columns: Record<string, string | null> = {};
      for (const spec of (values.column as string[] | undefined) ?? []) {
        const m = /^([a-z_0-9]+)=(.*)$/.exec(spec);
        if (!m) throw new RangeError(`Cannot use --column "${spec}": expected FIELD=NAME`);
        columns[m[1]] = m[2] === "null" ? null : m[2];
      }
      if (Object.keys(columns).length > 0) flags.columns = columns;
      if (typeof values["severity-matrix"] === "string") {
        flags.severity_matrix = await readConfigFile(values["severity-matrix"]);
      }
      if (typeof values.languages === "string") {
        flags.languages = values.languages === "all" ? null : values.languages.split(",").map((s) => s.trim());
      }
    },
    run: async ({ input, output, config, created, progress }) =>
      (await ingestTickets(input, output, { config, created, ...progressHooks(progress) })).report,
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
