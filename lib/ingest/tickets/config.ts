import { z } from "zod";

const Code = z.string().regex(/^-?\d+$/);
const Column = z.string().min(1).nullable();

/** Config of `deno task ingest tickets`, in snake_case (flags, config files, `OPSLAB_INGEST_TICKETS_*`). */
export const TicketsIngestConfig = z.strictObject({
  /** CSV column of each field; null when the CSV has none (body, urgency, impact are required). */
  columns: z.strictObject({
    id: Column.optional(),
    title: Column.optional(),
    body: z.string().min(1).optional(),
    ticket_type: Column.optional(),
    category: Column.optional(),
    sub_category1: Column.optional(),
    sub_category2: Column.optional(),
    business_service: Column.optional(),
    urgency: z.string().min(1).optional(),
    impact: z.string().min(1).optional(),
  }).default({}),
  /** Field separator. */
  separator: z.string().length(1).default(","),
  /** The most physical lines one quoted field may span; a longer one is quarantined and reading resumes. */
  max_field_lines: z.int().positive().default(200),
  /** The most bytes one quoted field may hold (1 MiB); a longer one is quarantined and reading resumes. */
  max_field_bytes: z.int().positive().default(1_048_576),
  /** Severity by urgency code then impact code (P1-P4); default: 0 most urgent / highest impact. */
  severity_matrix: z.record(Code, z.record(Code, z.enum(["P1", "P2", "P3", "P4"]))).nullable().default(null),
  /** Languages the detector may answer (ISO 639-3); null for all franc knows; absent for the default list. */
  languages: z.array(z.string().regex(/^[a-z]{3}$/)).min(1).nullable().optional(),
  /** Shortest text whose language is guessed. */
  min_language_length: z.int().nonnegative().default(20),
  /** Characters of each text the language detector reads. */
  language_sample_chars: z.int().positive().default(400),
  /** Hash buckets of the TF-IDF vectors. */
  dims: z.int().min(16).max(1 << 20).default(4096),
  /** Also hash word pairs. */
  bigrams: z.boolean().default(true),
  /** Shortest token kept. */
  min_token_length: z.int().positive().default(2),
  /** How sensitive the tickets are (helpdesk text may name people). */
  classification: z.enum(["public", "internal", "confidential", "restricted"]).default("confidential"),
});
/** Config of `deno task ingest tickets`. */
export type TicketsIngestConfig = z.infer<typeof TicketsIngestConfig>;
