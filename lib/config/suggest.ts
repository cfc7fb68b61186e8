/**
 * The closest of some names to a mistyped one, for a "did you mean" hint: the smallest edit distance (insertions,
 * deletions, substitutions, and swaps of two neighbours) of at most a third of the name's length (at least 2; 1 for
 * names of up to 3 characters), or a name that the typed one (3 characters or more) is a prefix of.
 * @param typed the name as given
 * @param names the names on offer
 * @returns the suggestion, or undefined when none is close
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closest } from "@lib/config/suggest.ts";
 * assert.equal(closest("sever", ["seed", "servers", "years"]), "servers");
 * assert.equal(closest("zzz", ["servers", "seed"]), undefined);
 * ```
 */
export function closest(typed: string, names: Iterable<string>): string | undefined {
  const limit = typed.length <= 3 ? 1 : Math.max(2, Math.floor(typed.length / 3));
  let best: string | undefined;
  let bestScore = [Infinity, 0];
  for (const name of names) {
    if (name === typed) continue;
    const d = name.startsWith(typed) && typed.length >= 3 ? limit : distance(typed, name);
    // Ties go to the name sharing more letters with the typed one ("sever": "servers" over "seed").
    const shared = sharedLetters(typed, name);
    if (d <= limit && (d < bestScore[0] || (d === bestScore[0] && shared > bestScore[1]))) {
      best = name;
      bestScore = [d, shared];
    }
  }
  return best;
}

/** Letters two names have in common, counted with repeats. */
function sharedLetters(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const c of b) counts.set(c, (counts.get(c) ?? 0) + 1);
  let n = 0;
  for (const c of a) {
    const left = counts.get(c) ?? 0;
    if (left > 0) {
      n++;
      counts.set(c, left - 1);
    }
  }
  return n;
}

/** Optimal string alignment distance: Levenshtein plus swaps of adjacent characters. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => {
    const row = new Array<number>(b.length + 1).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

/** How {@linkcode didYouMean} writes a name. */
export interface DidYouMeanOptions {
  /** How a name is written in the hint. @default (n) => `"${n}"` */
  quote?: (name: string) => string;
}

/**
 * ` (did you mean "x"?)` for a mistyped name, or an empty string.
 * @param typed the name as given
 * @param names the names on offer
 * @param options `quote`: how a name is written in the hint @default (n) => `"${n}"`
 * @returns the hint, with a leading space
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { didYouMean } from "@lib/config/suggest.ts";
 * assert.equal(didYouMean("sede", ["seed"]), ` (did you mean "seed"?)`);
 * ```
 */
export function didYouMean(
  typed: string,
  names: Iterable<string>,
  options: DidYouMeanOptions = {},
): string {
  const { quote = (n: string) => `"${n}"` } = options;
  const name = closest(typed, names);
  return name === undefined ? "" : ` (did you mean ${quote(name)}?)`;
}
