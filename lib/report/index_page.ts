import type { Manifest } from "@lib/lake/mod.ts";
import type { DatasetValidation } from "@lib/validate/types.ts";
import { type Html, html } from "./html.ts";
import { renderPage } from "./page.ts";
import { statusBadge, type ValidationStatus, validationStatus } from "./sections.ts";
import { formatBytes, formatNumber } from "./_format.ts";

/** One dataset on the index page. */
export interface IndexEntry {
  name: string;
  /** The dataset folder below the lake root, shown beside the name (several datasets may share a name). */
  path?: string;
  kind: string;
  layer: string;
  /** Rows of the primary table, or null when the manifest could not be read. */
  rows: number | null;
  status: ValidationStatus | "error";
  /** Checks passed and run, when validated. */
  checks: { passed: number; total: number } | null;
  /** The worst failed check (an error before a warning), when any failed. */
  worst: string | null;
  /** Link to the report, relative to the index, or null when there is none. */
  href: string | null;
  /** Report size in bytes, when known. */
  bytes: number | null;
  /** Why there is no report or no manifest. */
  note: string | null;
}

/**
 * The index entry of a dataset.
 * @param manifest the manifest
 * @param validation its validation results, or null
 * @param href link to its report, or null
 * @param bytes report size, or null
 * @returns the entry
 */
export function indexEntry(
  manifest: Manifest,
  page: { validation: DatasetValidation | null; href: string | null; bytes?: number | null },
): IndexEntry {
  const { validation, href, bytes = null } = page;
  return {
    name: manifest.name,
    kind: manifest.kind,
    layer: manifest.layer,
    rows: manifest.rows,
    status: validationStatus(validation),
    checks: validation === null
      ? null
      : { passed: validation.results.filter((r) => r.passed).length, total: validation.results.length },
    worst: worstFailure(validation),
    href,
    bytes,
    note: href === null ? "no report built yet" : null,
  };
}

function worstFailure(validation: DatasetValidation | null): string | null {
  const failed = validation?.results.filter((r) => !r.passed) ?? [];
  const rank = { error: 0, warning: 1, info: 2 } as const;
  failed.sort((a, b) => rank[a.severity] - rank[b.severity]);
  return failed[0]?.id ?? null;
}

/** Options of {@linkcode renderIndex}. */
export interface RenderIndexOptions {
  /** When the index was built, shown in the footer. @default undefined */
  built?: string;
}

/**
 * The page listing every dataset with its status, row count and a link to its report.
 * @param entries the datasets
 * @param options build time
 * @returns the page
 */
export function renderIndex(entries: IndexEntry[], options: RenderIndexOptions = {}): Html {
  const { built } = options;
  const count = (s: string) => entries.filter((e) => e.status === s).length;
  const body = html`
    <header>
      <h1>opslab datasets</h1>
      <p
        class="lead">${entries.length} datasets: ${count("pass")} pass, ${count("warn")} with warnings, ${count(
          "fail",
        )} failing, ${count("stale") ? `${count("stale")} with stale results, ` : ""}${count(
          "not validated",
        )} not validated${count("error") ? html`, ${count("error")} unreadable` : ""}.</p>
    </header>
    <div class="scroll">
      <table class="datasets">
        <caption>Every dataset in the lake with its validation status</caption>
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col">Kind</th>
            <th scope="col">Layer</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">Checks passed</th>
            <th scope="col" class="num">Rows</th>
            <th scope="col" class="num">Report size</th>
          </tr>
        </thead>
        <tbody>${entries.map((e) =>
          html`
            <tr data-dataset="${e.name}" data-path="${e.path ?? ""}">
              <td>${e.href === null
                ? html`<code>${e.name}</code>`
                : html`<a href="${e.href}"><code>${e.name}</code></a>`}${e.path === undefined ? "" : html`
                <span class="muted mono">${e.path}</span>
              `}${e.note === null ? "" : html`
                <span class="muted">(${e.note})</span>
              `}</td>
              <td>${e.kind}</td>
              <td>${e.layer}</td>
              <td>${e.status === "error"
                ? html`<span class="badge fail">error</span>`
                : statusBadge(e.status)}${e.worst === null ? "" : html`
                <code class="muted" title="worst failed check">${e.worst}</code>
              `}</td>
              <td class="num">${e.checks === null ? "–" : `${e.checks.passed} / ${e.checks.total}`}</td>
              <td class="num" data-value="${e.rows ?? ""}">${formatNumber(e.rows)}</td>
              <td class="num">${e.bytes === null ? "–" : formatBytes(e.bytes)}</td>
            </tr>
          `
        )}</tbody>
      </table>
    </div>
    <footer>opslab reports · self-contained pages, open from disk or any static host${built === undefined ? "" : html`
      · built ${built}
    `}</footer>
  `;
  return renderPage("opslab datasets", body, { description: "Every opslab dataset with its validation status" });
}
