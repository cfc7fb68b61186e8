import { resolveConfig } from "@lib/config/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";
import { commitIngest, type IngestProgressHooks, type IngestReport } from "../common/mod.ts";
import { ingestSource, sourceDatasetName } from "../sources.ts";
import { TicketsIngestConfig } from "./config.ts";
import { processTickets, type TicketsProcessed } from "./process.ts";
import { readTickets, type TicketColumns, type TicketsData } from "./read.ts";
import { DEFAULT_SEVERITY_MATRIX, type SeverityMatrix } from "./severity.ts";

/** Options of {@linkcode ingestTickets}. */
export interface IngestTicketsOptions extends IngestProgressHooks {
  /** The ingest config (snake_case keys, validated; missing keys take their defaults). @default {} */
  config?: Partial<TicketsIngestConfig>;
  /** The creation time in the manifest. @default now */
  created?: Date;
}

/** What {@linkcode ingestTickets} read, derived and wrote. */
export interface TicketsIngest {
  /** The manifest written. */
  manifest: Manifest;
  /** The report. */
  report: IngestReport;
  /** The tickets read. */
  data: TicketsData;
  /** Languages, index and embedding tables. */
  processed: TicketsProcessed;
}

/**
 * Reads a ticket CSV, detects languages, builds the similarity index and writes the dataset atomically:
 * `tickets` (primary), `embeddings`, `idf`, `quarantine`, `report.json`, licence under `source/`, and a manifest
 * whose config holds the embedding options {@linkcode loadTicketIndex} needs.
 * @param input the CSV file or its folder
 * @param output the dataset folder
 * @param options config and creation time
 * @returns manifest, report and frames
 */
export async function ingestTickets(
  input: string,
  output: string,
  options: IngestTicketsOptions = {},
): Promise<TicketsIngest> {
  const config = resolveConfig(TicketsIngestConfig, { flags: options.config ?? {}, what: "tickets ingest" });
  const severityMatrix = (config.severity_matrix ?? DEFAULT_SEVERITY_MATRIX) as SeverityMatrix;
  const data = await readTickets(input, {
    columns: config.columns as TicketColumns,
    separator: config.separator,
    severityMatrix,
    maxFieldLines: config.max_field_lines,
    maxFieldBytes: config.max_field_bytes,
  });
  options.onStep?.("languages and embeddings");
  const processed = processTickets(data, {
    ...(config.languages !== undefined ? { languages: config.languages } : {}),
    minLanguageLength: config.min_language_length,
    languageSampleChars: config.language_sample_chars,
    embedding: { dims: config.dims, bigrams: config.bigrams, minTokenLength: config.min_token_length },
  });
  const src = ingestSource("tickets");
  options.onStep?.("writing");
  const manifest = await commitIngest(output, {
    name: sourceDatasetName("tickets"),
    kind: "tickets",
    generator: { name: "opslab/ingest/tickets", version: "1" },
    tables: {
      tickets: processed.tickets,
      embeddings: processed.embeddings,
      idf: processed.idf,
      quarantine: data.quarantine,
    },
    primary: "tickets",
    report: processed.report,
    config: { ...config, severity_matrix: severityMatrix },
    inputRoot: input,
    inputs: data.inputs,
    source: { name: `kaggle:${src.kaggle}`, url: src.url, license: data.license ?? src.license },
    docs: data.docs,
    classification: config.classification,
  }, options.created === undefined ? {} : { created: options.created });
  return { manifest, report: processed.report, data, processed };
}
