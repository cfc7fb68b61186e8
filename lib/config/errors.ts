import type { z } from "zod";
import { didYouMean } from "./suggest.ts";
import { knownKeys } from "./shape.ts";

/** One problem found in a config: the key path, the value given and the rule it broke. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `archetypes.web.cpu.mean`; empty for the root. */
  key: string;
  /** The value given, JSON-encoded; `undefined` when the key is missing. */
  value: string | undefined;
  /** The rule, in words. */
  rule: string;
}

/** One issue as a phrase: `servers is invalid: too small: expected number to be >0, got -5`. */
function describeIssue(issue: ConfigIssue): string {
  const at = issue.key === "" ? "config" : issue.key;
  const given = issue.value === undefined ? "missing" : `got ${issue.value}`;
  return `${at} ${issue.rule}, ${given}`;
}

/**
 * A config that failed its schema. `message` names the key, the value and the rule of every issue: one line for one
 * issue, else a count line and one indented line per issue (all of them, none summarised as "and N more").
 */
export class ConfigError extends Error {
  /** Every issue found, each also in `message`. */
  readonly issues: ConfigIssue[];

  /**
   * @param what what was being configured, e.g. `"capacity"`
   * @param issues the issues, at least one
   * @param options the error cause
   */
  constructor(what: string, issues: ConfigIssue[], options?: ErrorOptions) {
    super(
      issues.length === 1
        ? `Invalid ${what} config: ${describeIssue(issues[0])}`
        : `Invalid ${what} config, ${issues.length} problems:\n${
          issues.map((i) => `  ${describeIssue(i)}`).join("\n")
        }`,
      options,
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/**
 * A config file that cannot be used: missing, unreadable, not JSON/YAML, empty or not an object of keys. A usage
 * error (exit 2), as a bad key is.
 */
export class ConfigFileError extends Error {
  /**
   * @param message one line naming the file and what is wrong
   * @param options the error cause
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigFileError";
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, (_k, v) => (v instanceof Date ? v.toISOString() : v));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Turns zod issues into {@linkcode ConfigIssue}s that name the key, the value and the rule.
 * @param input the value that was parsed
 * @param error the zod error
 * @param options `schema`: the schema parsed against, for "did you mean" hints on unknown keys @default none
 * @returns one issue per zod issue (unknown keys: one per key)
 */
export function toConfigIssues(input: unknown, error: z.ZodError, options: { schema?: z.ZodType } = {}): ConfigIssue[] {
  const { schema } = options;
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const hint = didYouMean(String(key), knownKeys(schema, issue.path));
        out.push({ key: path.join("."), value: show(valueAt(input, path)), rule: `is not a known key${hint}` });
      }
      continue;
    }
    const rule = issue.message.replace(/^Invalid input: /, "").replace(/^./, (c) => c.toLowerCase());
    out.push({ key: issue.path.join("."), value: show(valueAt(input, issue.path)), rule: `is invalid: ${rule}` });
  }
  return out;
}
