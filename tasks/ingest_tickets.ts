/**
 * `deno task ingest tickets [--input PATH] [flags]`: a helpdesk ticket CSV into `data/processed/tickets/support/`
 * (clean tickets with language and severity, hashed TF-IDF embeddings and idf, quarantine, report).
 * @module
 */
import { readConfigFile } from "@lib/config/mod.ts";
import { runIngestTask } from "@lib/ingest/common/mod.ts";
import { ingestTickets, TicketsIngestConfig } from "@lib/ingest/tickets/mod.ts";

const USAGE = `Usage: deno task ingest tickets [--input PATH] [flags]

Reads a helpdesk ticket CSV (a file, or a folder holding one) and writes data/processed/tickets/support/:
tickets.parquet (ticket_id, title, body, label codes, severity, language, html_cleaned), embeddings.parquet and
idf.parquet (hashed TF-IDF vectors for similarTickets), quarantine.parquet, report.json.

Flags:
  --input PATH             CSV file or folder (default data/raw/tickets/support)
  --output DIR             dataset folder (default data/processed/tickets/support)
  --overwrite              replace the dataset at --output (only one of this source)
  --lake DIR               lake root for the defaults (default data)
  --config FILE            JSON/YAML config (keys below in snake_case, plus "columns" and "severity_matrix");
                           env OPSLAB_INGEST_TICKETS_<KEY> overrides
  --column FIELD=NAME      CSV column of a field (title, body, ticket_type, category, sub_category1,
                           sub_category2, business_service, urgency, impact, id); NAME "null" for none; repeatable
  --severity-matrix FILE   JSON/YAML {"<urgency>": {"<impact>": "P1".."P4"}} (default: 0 = most urgent/impact)
  --separator C            field separator (default ,)
  --max-field-lines N      most physical lines one quoted field may span; a longer one (a stray quote) is
                           quarantined with its line span and reading resumes on the next line (default 200)
  --max-field-bytes N      most bytes one quoted field may hold, likewise (default 1048576)
  --languages LIST         ISO 639-3 codes the language detector may answer, or "all"
  --min-language-length N  shortest text whose language is guessed (default 20)
  --language-sample-chars N  characters of each ticket the language detector reads (default 400)
  --dims N                 hash buckets of the TF-IDF vectors (default 4096)
  --bigrams BOOL           also hash word pairs (default true)
  --min-token-length N     shortest token kept (default 2)
  --classification C       public | internal | confidential | restricted (default confidential)
  --stats                  print rows, seconds and peak RSS as JSON on a last stdout line
  -h, --help               this text`;

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
    run: async (input, output, config, created) => (await ingestTickets(input, output, { config, created })).report,
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
