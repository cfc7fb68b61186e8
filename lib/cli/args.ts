import { parseArgs } from "node:util";
import { coerceValue } from "@lib/config/mod.ts";

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
 * Parses command-line arguments against a flag table; unknown flags and missing values are {@linkcode UsageError}s.
 * @param args the arguments
 * @param specs the flags, by kebab-case name
 * @returns config overrides, flags and positionals
 */
export function parseFlags(args: string[], specs: Record<string, FlagSpec>): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(specs).map(([name, s]) => [name, { type: s.type, ...(s.short ? { short: s.short } : {}) }]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    let message = String((e as Error).message).split("\n")[0].replace(/\. To specify.*$/, "");
    if (/ambiguous/.test(message)) message += " (write --flag=VALUE for a value that starts with '-')";
    throw new UsageError(message);
  }
  const config: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (specs[name].config === false || value === undefined) continue;
    config[name.replaceAll("-", "_")] = typeof value === "string" ? coerceValue(value) : value;
  }
  return { config, flags: parsed.values as ParsedArgs["flags"], positionals: parsed.positionals };
}

/**
 * Formats a help text: usage line, description, then one line per flag.
 * @param usage the usage line
 * @param description a paragraph
 * @param specs the flags
 * @param footer text after the flags
 * @returns the help text
 */
export function helpText(usage: string, description: string, specs: Record<string, FlagSpec>, footer = ""): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : "    "}--${name}${s.arg ? ` ${s.arg}` : ""}`;
    return `  ${left.padEnd(30)} ${s.help}`;
  });
  return [`Usage: ${usage}`, "", description, "", "Flags:", ...rows, footer ? `\n${footer}` : ""].join("\n")
    .trimEnd();
}

/**
 * An integer flag's value, checked.
 * @param value the flag as parsed (undefined when not given)
 * @param flag its name, for the message
 * @param fallback the value when not given
 * @param range the smallest and largest allowed @default 0 to Number.MAX_SAFE_INTEGER
 * @returns the integer
 * @throws {UsageError} naming the flag, the value and the rule
 */
export function integerFlag(
  value: string | boolean | undefined,
  flag: string,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  if (value === undefined) return fallback;
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = range;
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const rule = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be an integer ${rule}, got "${value}"`);
  }
  return n;
}
