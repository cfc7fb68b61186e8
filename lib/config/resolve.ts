import type { z } from "zod";
import { ConfigError, toConfigIssues } from "./errors.ts";

/** Where config values come from, lowest precedence first. */
export interface ResolveConfigOptions {
  /** The parsed config file (JSON or YAML), if any. @default {} */
  file?: Record<string, unknown>;
  /** Command-line flags, keys in snake_case, values already typed or strings. @default {} */
  flags?: Record<string, unknown>;
  /** The environment, e.g. `Deno.env.toObject()`. @default {} */
  env?: Record<string, string>;
  /** The environment prefix, e.g. `OPSLAB_CAPACITY_`; variables under it override keys. @default "" (none) */
  envPrefix?: string;
  /** What is configured, for messages. @default "opslab" */
  what?: string;
}

/** Parses a flag or environment string: JSON when it is JSON (numbers, booleans, lists), else the string. */
export function coerceValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    if (cur[key] === null || typeof cur[key] !== "object" || Array.isArray(cur[key])) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

/**
 * Resolves a config: schema defaults, then the file, then flags, then environment overrides (each later source
 * wins), validated once against the schema.
 *
 * Environment variables `<envPrefix>KEY` set top-level key `key` (`OPSLAB_CAPACITY_SERVERS=150` sets `servers`);
 * a double underscore reaches into objects (`OPSLAB_CAPACITY_HOLIDAYS__ENABLED=false`).
 *
 * @param schema a zod object schema (strict, with defaults)
 * @param options the sources
 * @returns the validated config
 * @throws {ConfigError} naming the key, the value and the rule
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { resolveConfig } from "@lib/config/mod.ts";
 * const Schema = z.strictObject({ servers: z.int().positive().default(120) });
 * const config = resolveConfig(Schema, { env: { OPSLAB_X_SERVERS: "150" }, envPrefix: "OPSLAB_X_" });
 * assert.deepEqual(config, { servers: 150 });
 * ```
 */
export function resolveConfig<S extends z.ZodType>(schema: S, options: ResolveConfigOptions = {}): z.output<S> {
  const { file = {}, flags = {}, env = {}, envPrefix = "", what = "opslab" } = options;
  const merged: Record<string, unknown> = structuredClone(file);
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) setPath(merged, key.split("."), value);
  }
  if (envPrefix !== "") {
    for (const [name, text] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
      if (!name.startsWith(envPrefix)) continue;
      const path = name.slice(envPrefix.length).toLowerCase().split("__");
      setPath(merged, path, coerceValue(text));
    }
  }
  const result = schema.safeParse(merged);
  if (!result.success) throw new ConfigError(what, toConfigIssues(merged, result.error, { schema }));
  return result.data;
}
