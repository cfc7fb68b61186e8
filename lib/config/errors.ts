import type { z } from "zod";

/** One problem found in a config: the key path, the value given and the rule it broke. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `archetypes.web.cpu.mean`; empty for the root. */
  key: string;
  /** The value given, JSON-encoded; `undefined` when the key is missing. */
  value: string | undefined;
  /** The rule, in words. */
  rule: string;
}

/** A config that failed its schema; `message` is one line naming the key, the value and the rule. */
export class ConfigError extends Error {
  /** Every issue found, the first one also in `message`. */
  readonly issues: ConfigIssue[];

  /**
   * @param what what was being configured, e.g. `"capacity"`
   * @param issues the issues, at least one
   * @param options the error cause
   */
  constructor(what: string, issues: ConfigIssue[], options?: ErrorOptions) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    const at = first.key === "" ? "config" : first.key;
    const given = first.value === undefined ? "missing" : `got ${first.value}`;
    super(`Invalid ${what} config: ${at} ${first.rule}, ${given}${more}`, options);
    this.name = "ConfigError";
    this.issues = issues;
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
 * @returns one issue per zod issue (unknown keys: one per key)
 */
export function toConfigIssues(input: unknown, error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        out.push({ key: path.join("."), value: show(valueAt(input, path)), rule: "is not a known key" });
      }
      continue;
    }
    const rule = issue.message.replace(/^Invalid input: /, "").replace(/^./, (c) => c.toLowerCase());
    out.push({ key: issue.path.join("."), value: show(valueAt(input, issue.path)), rule: `is invalid: ${rule}` });
  }
  return out;
}
