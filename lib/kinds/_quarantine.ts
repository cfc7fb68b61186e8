/** Columns of the `quarantine` table every ingested source writes: the rows in that did not come out. */
export const QUARANTINE_COLUMN_DOCS: Readonly<Record<string, string>> = {
  source: "the input file the row came from",
  line: "its line number in that file, 1-based",
  end_line: "last line of a record that spans several lines (CSV with quoted newlines)",
  reason: "why it was quarantined, one code (e.g. bad_field_count, bad_number, duplicate_timestamp)",
  raw: "the input as read (at most 2,000 characters)",
};
