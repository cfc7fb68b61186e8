import { html } from "@lib/report/html.ts";
import type { CheckResult, DatasetValidation } from "./types.ts";

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * A measured value for people: integers with thousands separators, other numbers to 4 significant digits.
 * @param value the measured value
 * @returns the text
 */
export function formatMeasured(value: CheckResult["measured"]): string {
  if (value === null) return "-";
  if (typeof value === "string") return value;
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** Checks in display order: failures by severity first, then passes, each in check order. */
export function ordered(results: readonly CheckResult[]): CheckResult[] {
  return results.map((r, i) => ({ r, i })).sort((a, b) =>
    Number(a.r.passed) - Number(b.r.passed) || (a.r.passed ? 0 : RANK[a.r.severity] - RANK[b.r.severity]) ||
    a.i - b.i
  ).map(({ r }) => r);
}

/** The status word of a result. */
export function statusOf(r: CheckResult): string {
  return r.passed ? "pass" : r.severity === "error" ? "FAIL" : r.severity === "warning" ? "warn" : "note";
}

/** One line summing up a validation. */
export function headline(v: DatasetValidation): string {
  const { passed, failed, errors, warnings } = v.summary;
  const verdict = errors > 0 ? "FAILED" : warnings > 0 ? "passed with warnings" : "passed";
  return `${v.dataset} (${v.kind}, ${v.rows.toLocaleString("en-US")} rows): ${verdict}, ${passed} checks passed, ` +
    `${failed} failed (${errors} errors, ${warnings} warnings)`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * A fixed-width text table.
 * @param header the column titles
 * @param rows the cells
 * @param maxWidths the widest each column may be (longer cells are cut)
 * @returns the lines
 */
export function textTable(header: string[], rows: string[][], options: { maxWidths?: number[] } = {}): string {
  const { maxWidths = [] } = options;
  const cut = (cells: string[]) => cells.map((c, i) => truncate(c, maxWidths[i] ?? 200));
  const all = [header, ...rows].map(cut);
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

/** A validation as text: the headline, then every check, failures first. */
export function renderValidationText(v: DatasetValidation): string {
  const rows = ordered(v.results).map((r) => [statusOf(r), r.id, formatMeasured(r.measured), r.threshold, r.message]);
  return `${headline(v)}\n${
    textTable(["status", "check", "measured", "threshold", "message"], rows, { maxWidths: [6, 48, 14, 22, 90] })
  }`;
}

/** A validation as an HTML fragment: a heading and a table of the checks, failures first (escaped by `html`). */
export function renderValidationHtml(v: DatasetValidation): string {
  const color = (r: CheckResult) =>
    r.passed ? "#1a7f37" : r.severity === "error" ? "#cf222e" : r.severity === "warning" ? "#9a6700" : "#57606a";
  // deno-fmt-ignore: one row per line (fmt would spread the tags over lines)
  const rows = ordered(v.results).map((r) => html`<tr><td style="color:${color(r)};font-weight:600">${statusOf(r)}</td><td>${r.severity}</td><td><code>${r.id}</code></td><td style="text-align:right">${formatMeasured(r.measured)}</td><td>${r.threshold}</td><td>${r.message}</td></tr>
`);
  // deno-fmt-ignore
  return html`<div class="opslab-validation"><p><strong>${headline(v)}</strong></p>
<table><thead><tr><th>status</th><th>severity</th><th>check</th><th>measured</th><th>threshold</th><th>message</th></tr></thead>
<tbody>
${rows}</tbody></table></div>`.value;
}

/** The worst failed check of a validation, in words: `error correlation.pearson:web:cpu_net (0.21, 0.80 ± 0.15)`. */
export function worstFailure(v: DatasetValidation): string {
  const failed = ordered(v.results).find((r) => !r.passed && r.severity !== "info");
  if (!failed) return "-";
  return `${failed.severity} ${failed.id} (${formatMeasured(failed.measured)}; ${failed.threshold})`;
}

/** A dataset's name, with its path when another dataset shown has the same name. */
function label(v: DatasetValidation, all: readonly DatasetValidation[]): string {
  return all.filter((x) => x.dataset === v.dataset).length > 1 && v.path !== v.dataset
    ? `${v.dataset} (${v.path})`
    : v.dataset;
}

/** Rows of a validation: the primary table's, or the sum over tables with their count (`703,215 in 8 tables`). */
function rowsLabel(v: DatasetValidation): string {
  const counts = Object.values(v.table_rows ?? {});
  if (counts.length < 2) return v.rows.toLocaleString("en-US");
  return `${counts.reduce((s, n) => s + n, 0).toLocaleString("en-US")} in ${counts.length} tables`;
}

/** The compact table of several validations: dataset, kind, rows, passed / failed, worst failure. */
export function renderSummaryTable(validations: readonly DatasetValidation[]): string {
  const rows = validations.map((v) => [
    v.summary.errors > 0 ? "FAIL" : v.summary.warnings > 0 ? "warn" : "ok",
    label(v, validations),
    v.kind,
    rowsLabel(v),
    String(v.summary.passed),
    `${v.summary.failed}${v.summary.failed > 0 ? ` (${v.summary.errors}E ${v.summary.warnings}W)` : ""}`,
    worstFailure(v),
  ]);
  return textTable(["", "dataset", "kind", "rows", "passed", "failed", "worst failure"], rows, {
    maxWidths: [
      4,
      36,
      12,
      24,
      6,
      14,
      100,
    ],
  });
}

/** The compact table as HTML (escaped by `html`). */
export function renderSummaryHtml(validations: readonly DatasetValidation[]): string {
  const status = (v: DatasetValidation) => v.summary.errors > 0 ? "FAIL" : v.summary.warnings > 0 ? "warn" : "ok";
  // deno-fmt-ignore: one row per line (fmt would spread the tags over lines)
  const rows = validations.map((v) => html`<tr><td>${status(v)}</td><td>${label(v, validations)}</td><td>${v.kind}</td><td style="text-align:right">${rowsLabel(v)}</td><td style="text-align:right">${v.summary.passed}</td><td style="text-align:right">${v.summary.failed}</td><td>${worstFailure(v)}</td></tr>
`);
  // deno-fmt-ignore
  return html`<table><thead><tr><th>status</th><th>dataset</th><th>kind</th><th>rows</th><th>passed</th><th>failed</th><th>worst failure</th></tr></thead><tbody>
${rows}</tbody></table>`.value;
}
