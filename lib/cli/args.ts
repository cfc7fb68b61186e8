import { parseArgs } from "node:util";
import { coerceValue, didYouMean } from "@lib/config/mod.ts";

/** A command-line flag: its type and help text. */
export interface FlagSpec {
  type: "string" | "boolean";
  /** One line of help. */
  help: string;
  /** Placeholder shown in help, e.g. `N` or `PATH`. */
  arg?: string;
  short?: string;
  /** Whether the flag maps to a config key (kebab-case to snake_case); false for task-only flags. @default true */
  config?: boolean;
}

/** Parsed arguments: config overrides, task-only flags and positionals. */
export interface ParsedArgs {
  /** Flags that map to config keys, snake_case, values coerced (numbers, booleans). */
  config: Record<string, unknown>;
  /** Every flag as given, camel-free (kebab-case keys). */
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** A usage error: bad flags. Tasks print its one-line message and exit 2. */
export class UsageError extends Error {
  /** @param message the one-line message */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Joins a string flag and a following value that starts with `-` and reads as a number (`--servers -5` becomes
 * `--servers=-5`), so the value reaches the config check, which names the range, instead of parseArgs' "ambiguous".
 */
function joinNegativeValues(args: string[], specs: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") && !args[i].includes("=") ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && specs[name]?.type === "string" && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

/**
 * A `node:util` parseArgs error as one line of ours: the flag named, with a "did you mean" for an unknown one.
 * @param e the error parseArgs threw
 * @param specs the flags on offer (only their names and short forms are read)
 * @returns the line, without `error: `
 */
export function usageMessage(e: Error, specs: Record<string, Pick<FlagSpec, "short">>): string {
  const message = String(e.message).split("\n")[0].replace(/\. To specify.*$/, "");
  const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown) {
    const [, dashes, name] = unknown;
    const names = dashes === "--" ? Object.keys(specs) : Object.values(specs).flatMap((s) => s.short ?? []);
    return `unknown flag ${dashes}${name}${didYouMean(name, names, { quote: (n) => `${dashes}${n}` })} (see --help)`;
  }
  const ambiguous = /^Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1].split(" ").pop()} needs a value (write --flag=VALUE for one starting with "-")`;
  const missing = /^Option '([^']+)' argument missing/.exec(message);
  if (missing) return `${missing[1].split(" ").pop()} needs a value`;
  return message;
}

/**
 * Parses command-line arguments against a flag table; unknown flags (with a "did you mean") and missing values are
 * {@linkcode UsageError}s. A negative number after a string flag is its value (`--servers -5`).
 * @param args the arguments
 * @param specs the flags, by kebab-case name
 * @returns config overrides, flags and positionals
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "@lib/cli/args.ts";
 * const specs = { servers: { type: "string", help: "fleet size" } } as const;
 * assert.deepEqual(parseFlags(["--servers", "-5"], specs).config, { servers: -5 });
 * assert.throws(() => parseFlags(["--sever", "5"], specs), /unknown flag --sever \(did you mean --servers\?\)/);
 * ```
 */
export function parseFlags(args: string[], specs: Record<string, FlagSpec>): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, specs),
      options: Object.fromEntries(
        Object.entries(specs).map(([name, s]) => [name, { type: s.type, ...(s.short ? { short: s.short } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error, specs));
  }
  const config: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (specs[name].config === false || value === undefined) continue;
    config[name.replaceAll("-", "_")] = typeof value === "string" ? coerceValue(value) : value;
  }
  return { config, flags: parsed.values as ParsedArgs["flags"], positionals: parsed.positionals };
}

/** The parts of a help text besides the usage line: description, flags, lists, notes, examples. */
export interface HelpOptions {
  /** A paragraph under the usage line. */
  description: string;
  /** The flags. */
  flags: Record<string, FlagSpec>;
  /** Named lists shown before the flags, e.g. `{ Kinds: [["capacity", "server metrics"], …] }`. @default {} */
  lists?: Record<string, [string, string][]>;
  /** Example command lines, shown last under `Examples:`. @default [] */
  examples?: string[];
  /** A paragraph after the flags (exit codes, scaling out). @default "" */
  notes?: string;
}

/** Rows `  left   text`, the text in one column two spaces after the widest left part; long text wraps under it. */
export function columns(rows: [string, string][], width = 118): string[] {
  const left = Math.max(...rows.map(([l]) => l.length)) + 2;
  return rows.flatMap(([l, text]) => {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
      if (line !== "" && 2 + left + line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    lines.push(line);
    return lines.map((t, i) => `  ${(i === 0 ? l : "").padEnd(left)}${t}`.trimEnd());
  });
}

/**
 * Formats a help text, the one layout of every task: `Usage:` line(s), a description, named lists (kinds,
 * sources), `Flags:` with the text of every flag in one column, notes, then `Examples:`.
 * @param usage the usage line(s), without `Usage: `
 * @param options the description, the flags, lists, notes and examples
 * @returns the help text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpText } from "@lib/cli/args.ts";
 * const text = helpText("deno task x [flags]", {
 *   description: "Does x.",
 *   flags: {
 *     seed: { type: "string", arg: "N", help: "seed" },
 *     granularity: { type: "string", arg: "daily|hourly", help: "rows per day or per hour" },
 *   },
 *   examples: ["deno task x --seed 7"],
 * });
 * assert.match(text, /^ {6}--seed N {20}seed$/m);
 * assert.match(text, /^ {6}--granularity daily\|hourly {2}rows per day/m);
 * assert.match(text, /Examples:\n {2}deno task x --seed 7$/);
 * ```
 */
export function helpText(usage: string, options: HelpOptions): string {
  const { description, flags: specs, lists = {}, examples = [], notes = "" } = options;
  const usageLines = usage.split("\n").map((u, i) => `${i === 0 ? "Usage:" : "      "} ${u.trim()}`);
  const flagRows: [string, string][] = Object.entries(specs).map(([name, s]) => [
    `${s.short ? `-${s.short}, ` : "    "}--${name}${s.arg ? ` ${s.arg}` : ""}`,
    s.help,
  ]);
  const parts = [usageLines.join("\n"), description.trim().replace(/\n{3,}/g, "\n\n")];
  for (const [title, rows] of Object.entries(lists)) parts.push(`${title}:\n${columns(rows).join("\n")}`);
  parts.push(`Flags:\n${columns(flagRows).join("\n")}`);
  if (notes.trim() !== "") parts.push(notes.trim());
  if (examples.length > 0) parts.push(`Examples:\n${examples.map((e) => `  ${e}`).join("\n")}`);
  return parts.join("\n\n");
}

/** The `--help` flag every task takes. */
export const HELP_FLAG: Record<string, FlagSpec> = {
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

/** The default and range of {@linkcode integerFlag}. */
export interface IntegerFlagOptions {
  /** The value when the flag is not given. */
  fallback: number;
  /** The smallest allowed. @default 0 */
  min?: number;
  /** The largest allowed. @default Number.MAX_SAFE_INTEGER */
  max?: number;
}

/**
 * An integer flag's value, checked.
 * @param value the flag as parsed (undefined when not given)
 * @param flag its name, for the message
 * @param options the value when not given, and the range
 * @returns the integer
 * @throws {UsageError} naming the flag, the value and the rule
 */
export function integerFlag(value: string | boolean | undefined, flag: string, options: IntegerFlagOptions): number {
  const { fallback, min = 0, max = Number.MAX_SAFE_INTEGER } = options;
  if (value === undefined) return fallback;
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const rule = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be an integer ${rule}, got "${value}"`);
  }
  return n;
}
