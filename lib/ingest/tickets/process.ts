import pl from "nodejs-polars";
import { franc } from "franc";
import { join } from "node:path";
import { readManifest, readTable } from "@lib/lake/mod.ts";
import type { IngestReport } from "../common/mod.ts";
import { type HashedTfidfOptions, TicketIndex } from "./embed.ts";
import type { TicketsData } from "./read.ts";

/**
 * The languages the detector chooses from by default (ISO 639-3): widely used languages of helpdesks. Short
 * English tickets are otherwise often taken for Scots or Frisian, which franc also knows.
 */
export const DEFAULT_LANGUAGES: readonly string[] = [
  "eng",
  "deu",
  "fra",
  "spa",
  "ita",
  "por",
  "nld",
  "pol",
  "ces",
  "ron",
  "hun",
  "swe",
  "dan",
  "nob",
  "fin",
  "tur",
  "rus",
  "ukr",
  "arb",
  "cmn",
  "jpn",
  "kor",
  "hin",
  "ind",
  "vie",
];

/** Options of {@linkcode processTickets}. */
export interface ProcessTicketsOptions {
  /** ISO 639-3 codes the detector may answer; null for every language franc knows (187). @default DEFAULT_LANGUAGES */
  languages?: readonly string[] | null;
  /** Shortest text (characters) whose language is guessed; shorter gives `und`. @default 20 */
  minLanguageLength?: number;
  /** Characters of each text the detector reads (its cost grows with length; a few sentences suffice). @default 400 */
  languageSampleChars?: number;
  /** The hashed TF-IDF embedding. @default { dims: 4096, bigrams: true, minTokenLength: 2 } */
  embedding?: HashedTfidfOptions;
}

/** What {@linkcode processTickets} derives. */
export interface TicketsProcessed {
  /** The tickets with `language` (ISO 639-3, `und` when undetermined). */
  tickets: pl.DataFrame;
  /** The similarity index. */
  index: TicketIndex;
  /** The index's stored tables: `embeddings` (ticket_id, dim, weight) and `idf` (dim, idf). */
  embeddings: pl.DataFrame;
  /** Inverse document frequency per hash bucket. */
  idf: pl.DataFrame;
  /** The report with language and embedding counts added. */
  report: IngestReport;
}

/**
 * Adds the language of each ticket (franc, on title and body) and builds the hashed TF-IDF similarity index
 * ({@linkcode TicketIndex}) with its Parquet tables.
 * @param data the output of {@linkcode readTickets}
 * @param options languages and embedding
 * @returns tickets with language, index, tables and report
 */
export function processTickets(data: TicketsData, options: ProcessTicketsOptions = {}): TicketsProcessed {
  const { languages = DEFAULT_LANGUAGES, minLanguageLength = 20, languageSampleChars = 400, embedding = {} } = options;
  const texts = data.tickets.select(
    pl.concatString([pl.col("title").fillNull(pl.lit("")), pl.col("body").fillNull(pl.lit(""))], " ").str.strip()
      .alias("t"),
  ).getColumn("t").toArray() as string[];
  const only = languages === null ? undefined : [...languages];
  const lang = texts.map((t) =>
    franc(t.slice(0, languageSampleChars), { minLength: minLanguageLength, ...(only ? { only } : {}) })
  );
  const ids = (data.tickets.getColumn("ticket_id").toArray() as (number | bigint)[]).map(Number);
  const index = TicketIndex.build(texts, ids, embedding);
  const { embeddings, idf } = index.toFrames();
  const tickets = data.tickets.withColumns(pl.Series("language", lang, pl.Utf8));
  const counts = tickets.groupBy("language").agg(pl.len().alias("n")).sort(["n", "language"], [true, false]);
  const langs = counts.getColumn("language").toArray() as string[];
  const ns = counts.getColumn("n").toArray() as number[];
  const report: IngestReport = {
    ...data.report,
    preprocessing: {
      ...data.report.preprocessing,
      languages: langs.map((l, i) => `${l}:${ns[i]}`).join(","),
      language_undetermined: Number(langs.includes("und") ? ns[langs.indexOf("und")] : 0),
      embedding_dims: index.options.dims,
      embedding_bigrams: index.options.bigrams,
      embedding_nonzeros: embeddings.height,
    },
  };
  return { tickets, index, embeddings, idf, report };
}

/**
 * Loads the similarity index of an ingested ticket dataset (its `embeddings.parquet`, `idf.parquet` and the
 * embedding options in `manifest.json`).
 * @param dir the dataset folder, e.g. `data/processed/tickets/support`
 * @returns the index
 * @example
 * ```ts ignore
 * const index = await loadTicketIndex("data/processed/tickets/support");
 * index.similarTickets("cannot log in to vpn", 5);
 * ```
 */
export async function loadTicketIndex(dir: string): Promise<TicketIndex> {
  const manifest = await readManifest(dir);
  const c = manifest.config as Record<string, unknown>;
  return TicketIndex.fromFrames(readTable(join(dir, "embeddings.parquet")), readTable(join(dir, "idf.parquet")), {
    dims: Number(c.dims ?? 4096),
    bigrams: Boolean(c.bigrams ?? true),
    minTokenLength: Number(c.min_token_length ?? 2),
  });
}
