/**
 * Varied wording from small templates: `[a|b|c]` picks one alternative (nestable), `[?text]` keeps `text` half of
 * the time, `{name}` inserts a variable. Enough alternatives per sentence keep near-duplicates rare; see
 * {@linkcode nearDuplicates} in `neardup.ts`.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { FIRST_NAMES, LAST_NAMES } from "./catalog.ts";

/**
 * Fills a template.
 * @param rng the stream
 * @param template the template text
 * @param vars variables by name
 * @returns the text
 * @throws {RangeError} for an unknown variable or an unbalanced bracket
 * @example
 * ```ts
 * import { Rng } from "@lib/random/mod.ts";
 * import { fill } from "@lib/generate/incidents/text.ts";
 * fill(Rng.fromKey("x"), "[Hi|Hello] {who}", { who: "team" }); // "Hi team" or "Hello team"
 * ```
 */
export function fill(rng: Rng, template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  let pos = 0;
  const parse = (stopAt: string): string => {
    let out = "";
    while (pos < template.length) {
      const ch = template[pos];
      if (stopAt.includes(ch)) return out;
      if (ch === "[") {
        pos++;
        const optional = template[pos] === "?";
        if (optional) pos++;
        const options: string[] = [];
        for (;;) {
          options.push(parse("|]"));
          if (pos >= template.length) throw new RangeError(`Cannot fill template: unbalanced "[" in "${template}"`);
          if (template[pos++] === "]") break;
        }
        if (optional) out += rng.bernoulli(0.5) ? options.join("|") : "";
        else out += options[Math.floor(rng.next() * options.length)];
      } else if (ch === "{") {
        const close = template.indexOf("}", pos);
        const name = template.slice(pos + 1, close);
        if (close < 0 || !(name in vars)) {
          throw new RangeError(`Cannot fill template: unknown variable "${name}" in "${template}"`);
        }
        out += String(vars[name]);
        pos = close + 1;
      } else {
        out += ch;
        pos++;
      }
    }
    return out;
  };
  const text = parse("");
  return text.replace(/ {2,}/g, " ").replace(/ ([,.;:])/g, "$1").trim();
}

/** A fictional person: display name and address at a reserved domain. */
export interface Person {
  name: string;
  address: string;
}

/**
 * Draws a fictional person.
 * @param rng the stream
 * @param domain the mail domain (`example.com`, `example.net` or `example.org`)
 * @returns the person
 */
export function person(rng: Rng, domain = "example.com"): Person {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return { name: `${first} ${last}`, address: `${first}.${last}@${domain}`.toLowerCase() };
}

/**
 * Wraps text to lines of at most `width` characters at spaces (longer words stay whole), paragraph by paragraph.
 * @param text the text, paragraphs separated by blank lines
 * @param width the line width
 * @returns the lines
 */
export function wrap(text: string, width = 72): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (line.length <= width) {
      out.push(line);
      continue;
    }
    let cur = "";
    const indent = /^(\s*(?:[-*] )?)/.exec(line)![1];
    for (const word of line.slice(indent.length).split(" ")) {
      if (cur === "") cur = indent + word;
      else if (cur.length + 1 + word.length <= width) cur += " " + word;
      else {
        out.push(cur);
        cur = " ".repeat(indent.length) + word;
      }
    }
    if (cur !== "") out.push(cur);
  }
  return out;
}

/**
 * A UTC time as `14:05 UTC`.
 * @param ms epoch milliseconds
 * @returns the text
 */
export function hhmm(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/**
 * A duration as `1 h 25 min` or `40 min`.
 * @param ms milliseconds
 * @returns the text
 */
export function duration(ms: number): string {
  const m = Math.max(1, Math.round(ms / 60_000));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/**
 * Upper-cases the first letter.
 * @param s a text
 * @returns the text
 */
export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}
