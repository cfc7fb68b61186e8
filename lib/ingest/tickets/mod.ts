/**
 * IT support tickets: read a helpdesk CSV export with a configurable column mapping ({@linkcode readTickets}):
 * RFC 4180 quoting, HTML cleaned, integer label codes checked, severity P1-P4 from urgency x impact; then the
 * language of each ticket and a hashed TF-IDF similarity index with `similarTickets(text, k)`
 * ({@linkcode processTickets}, {@linkcode TicketIndex}), stored as Parquet and reloaded with
 * {@linkcode loadTicketIndex}.
 *
 * @example
 * ```ts ignore
 * import { processTickets, readTickets } from "@lib/ingest/tickets/mod.ts";
 * const { index } = processTickets(await readTickets("data/raw/tickets/support"));
 * index.similarTickets("outlook keeps asking for my password", 5);
 * ```
 * @module
 */
export {
  DEFAULT_TICKET_COLUMNS,
  LABEL_FIELDS,
  readTickets,
  type ReadTicketsOptions,
  TICKET_FIELDS,
  type TicketColumns,
  type TicketField,
  type TicketsData,
} from "./read.ts";
export {
  DEFAULT_LANGUAGES,
  loadTicketIndex,
  processTickets,
  type ProcessTicketsOptions,
  type TicketsProcessed,
} from "./process.ts";
export { fnv1a, type HashedTfidfOptions, type SimilarTicket, TicketIndex, tokenize } from "./embed.ts";
export { type CsvColumns, type CsvFault, splitCsv, type SplitCsvOptions } from "./csv.ts";
export { cleanHtmlExpr, decodeNumericEntities, HTML_PATTERN } from "./html.ts";
export { DEFAULT_SEVERITY_MATRIX, type Severity, severityFrame, type SeverityMatrix } from "./severity.ts";
export { TicketsIngestConfig } from "./config.ts";
export { ingestTickets, type IngestTicketsOptions, type TicketsIngest } from "./dataset.ts";
