/**
 * What every column of an ingested support-tickets dataset means (rendered into `docs/columns.md`). The label
 * columns keep the source's integer codes (the Kaggle dataset publishes codes, not names).
 * @module
 */
import { QUARANTINE_COLUMN_DOCS } from "../_quarantine.ts";

/** Column descriptions of the tickets tables, by table then column. */
export const TICKETS_COLUMN_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  tickets: {
    ticket_id: "the record's position in the source file",
    title: "ticket title (HTML removed); null when empty",
    body: "ticket text (HTML removed, whitespace collapsed)",
    ticket_type: "source label: ticket type code",
    category: "source label: category code",
    sub_category1: "source label: first-level subcategory code",
    sub_category2: "source label: second-level subcategory code",
    business_service: "source label: business service code",
    urgency: "source label: urgency code, 0-3 (0 most urgent)",
    impact: "source label: impact code, 0-4 (0 widest)",
    severity: "P1 (most severe) - P4, from urgency and impact by the severity matrix (config `severity_matrix`)",
    html_cleaned: "whether HTML was removed from title or body",
    language: "language of title and body, ISO 639-3 (franc); `und` when the text is too short to tell",
  },
  embeddings: {
    ticket_id: "the ticket (tickets.ticket_id)",
    dim: "dimension of the hashed TF-IDF vector, 0 - dims-1 (default 4096); only non-zero weights are rows",
    weight: "the weight in that dimension: (1 + ln tf) x idf, the vector scaled to unit length",
  },
  idf: {
    dim: "dimension of the hashed vector",
    idf: "inverse document frequency of the terms hashed to it: ln((1 + N) / (1 + df)) + 1",
  },
  quarantine: QUARANTINE_COLUMN_DOCS,
};
