import pl from "nodejs-polars";

const NAMED: readonly [string, string][] = [
  ["&nbsp;", " "],
  ["&lt;", "<"],
  ["&gt;", ">"],
  ["&quot;", '"'],
  ["&#39;", "'"],
  ["&apos;", "'"],
  ["&ndash;", "–"],
  ["&mdash;", "—"],
  ["&hellip;", "…"],
  ["&rsquo;", "’"],
  ["&lsquo;", "‘"],
  ["&ldquo;", "“"],
  ["&rdquo;", "”"],
  ["&euro;", "€"],
  ["&copy;", "©"],
  // Last, so "&amp;lt;" decodes once to "&lt;", as in the source.
  ["&amp;", "&"],
];

/** Markup or an entity: where cleaning has something to do. */
export const HTML_PATTERN = "(?i)<[a-z/!][^<>]*>|&(#\\d+|#x[0-9a-f]+|[a-z]+);";

/**
 * An expression cleaning an HTML-ish text column: script and style blocks and comments removed, tags replaced by
 * a space, common named entities decoded, whitespace runs collapsed and the ends trimmed; an empty result is null.
 * Numeric entities (`&#233;`, `&#xE9;`) need {@linkcode decodeNumericEntities} after it.
 * @param col the column
 * @returns the expression
 */
export function cleanHtmlExpr(col: string): pl.Expr {
  let e = pl.col(col)
    .str.replaceAll("(?is)<(script|style)\\b[^>]*>.*?</(script|style)\\s*>", " ")
    .str.replaceAll("(?s)<!--.*?-->", " ")
    .str.replaceAll("(?i)</?[a-z][a-z0-9]*(\\s[^<>]*)?/?>", " ");
  for (const [entity, ch] of NAMED) e = e.str.replaceAll(entity, ch, true);
  e = e.str.replaceAll("\\s+", " ").str.strip();
  return pl.when(e.eq(pl.lit(""))).then(pl.lit(null)).otherwise(e);
}

/**
 * Decodes numeric character references (`&#233;`, `&#xE9;`); invalid code points are left as written.
 * @param text the text
 * @returns the decoded text
 * @example
 * ```ts
 * import { decodeNumericEntities } from "@lib/ingest/tickets/mod.ts";
 * decodeNumericEntities("caf&#233; &#x2014; ok"); // "café — ok"
 * ```
 */
export function decodeNumericEntities(text: string): string {
  return text.replace(/&#(x[0-9a-fA-F]+|\d+);/g, (m, code: string) => {
    const cp = code[0] === "x" || code[0] === "X" ? parseInt(code.slice(1), 16) : parseInt(code, 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
  });
}
