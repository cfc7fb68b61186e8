const ESCAPE = /%[0-9A-Fa-f]{2}/;

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Malformed escapes (a lone "%" or a cut multi-byte sequence): decode the runs that are valid UTF-8.
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * URL-decodes a logged header value, repeatedly: CloudFront percent-encodes user agents (`%20` for a space), and
 * some arrive encoded twice (`%2520`). Decoding stops when nothing changes, no escape is left, or after `max`
 * passes. `+` is kept: CloudFront does not write spaces as `+`.
 * @param text the value as logged
 * @param max the most passes @default 3
 * @returns the decoded value and how many passes changed it (2 or more: it was encoded more than once)
 * @example
 * ```ts
 * import { decodeRepeated } from "@lib/ingest/cloudfront/mod.ts";
 * decodeRepeated("Mozilla/5.0%2520(X11)"); // { text: "Mozilla/5.0 (X11)", passes: 2 }
 * ```
 */
export function decodeRepeated(text: string, max = 3): { text: string; passes: number } {
  let cur = text;
  let passes = 0;
  while (passes < max && ESCAPE.test(cur)) {
    const next = decodeOnce(cur);
    if (next === cur) break;
    cur = next;
    passes++;
  }
  return { text: cur, passes };
}
