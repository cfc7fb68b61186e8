/** What may be interpolated into {@linkcode html}: text is escaped, `Html` is kept, arrays are joined. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/**
 * Escapes text for HTML content and quoted attribute values.
 * @param text any text
 * @returns the text with `& < > " '` replaced by entities
 * @example
 * ```ts
 * import { escapeHtml } from "@lib/report/html.ts";
 * escapeHtml(`a<b & "c"`); // "a&lt;b &amp; &quot;c&quot;"
 * ```
 */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape: tested first, it is returned as is, with no replacement pass.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (c) => ESCAPES[c]) : text;
}

/**
 * A piece of HTML known to be safe: made by {@linkcode html} (which escapes what it interpolates) or, for markup
 * made elsewhere such as chart SVG, by an explicit {@linkcode unsafe}. Displays inline in Jupyter.
 */
export class Html {
  /** The markup. */
  readonly value: string;
  /** @param value markup that is already safe */
  constructor(value: string) {
    this.value = value;
  }
  /** @returns the markup */
  toString(): string {
    return this.value;
  }
  /** @returns the markup as a Jupyter `text/html` bundle */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": this.value };
  }
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : escapeHtml(String(value));
  return escapeHtml(String(value));
}

/**
 * A tagged template that escapes every interpolated value (text, numbers) unless it is {@linkcode Html}; arrays
 * are rendered item by item; `null`, `undefined` and `false` render nothing.
 * @param strings the literal parts (trusted)
 * @param values the interpolated values
 * @returns the markup
 * @example
 * ```ts
 * import { html } from "@lib/report/html.ts";
 * String(html`<td>${"<script>"}</td>`); // "<td>&lt;script&gt;</td>"
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/**
 * Marks markup made elsewhere (chart SVG from Plot) as safe to insert as is. Every use is a trust decision: never
 * pass text that came from data.
 * @param markup the markup
 * @returns it, as {@linkcode Html}
 * @example
 * ```ts
 * import { html, unsafe } from "@lib/report/html.ts";
 * String(html`<div>${unsafe("<svg></svg>")}</div>`); // "<div><svg></svg></div>"
 * ```
 */
export function unsafe(markup: string): Html {
  return new Html(markup);
}
