import { escapeHtml, Html, unsafe } from "./html.ts";

/** An innermost table: no other table opens inside it. */
const TABLE = /<table(\s[^>]*)?>((?:(?!<table[\s>])[\s\S])*?)<\/table>/g;

function stackTable(attrs: string, inner: string): string {
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(inner);
  if (head === null) return `<table\u0000${attrs}>${inner}</table\u0000>`;
  const labels = [...head[1].matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) =>
    escapeHtml(m[1].replace(/<[^>]*>/g, "").replace(/&amp;/g, "&").replace(/&[a-z#0-9]+;/g, " ").trim())
  );
  const body = inner.replace(
    /<tbody>([\s\S]*?)<\/tbody>/g,
    (_all, rows: string) =>
      `<tbody>${
        rows.replace(/<tr\b([^>]*)>([\s\S]*?)<\/tr>/g, (_r, trAttrs: string, cells: string) => {
          let i = 0;
          const labelled = cells.replace(/<td\b/g, () => `<td data-label="${labels[i++] ?? ""}"`);
          return `<tr${trAttrs}>${labelled}</tr>`;
        })
      }</tbody>`,
  );
  const cls = /\sclass="([^"]*)"/.exec(attrs ?? "");
  const withClass = cls ? attrs.replace(cls[0], ` class="${cls[1]} stack"`) : `${attrs ?? ""} class="stack"`;
  // Marked done, so the table around a nested one is matched next.
  return `<table\u0000${withClass}>${body}</table\u0000>`;
}

/**
 * Makes every table with a header stack on narrow screens: each cell gets its column's title as `data-label`,
 * which the stylesheet shows beside the value when the rows turn into blocks (below 720 px), so no table makes a
 * phone scroll sideways. Works on markup this module's renderers made (never on text from data, which is
 * escaped inside the cells).
 * @param page the page body
 * @returns the same markup with stacking tables
 */
export function stackTables(page: Html): Html {
  let out = page.value, before = "";
  while (out !== before) {
    before = out;
    out = out.replace(TABLE, (_m, attrs: string | undefined, inner: string) => stackTable(attrs ?? "", inner));
  }
  return unsafe(out.replaceAll("<table\u0000", "<table").replaceAll("</table\u0000>", "</table>"));
}
