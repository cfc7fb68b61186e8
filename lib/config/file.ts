import { parse as parseYaml } from "yaml";
import { ConfigFileError } from "./errors.ts";

/**
 * Reads a JSON or YAML config file (by extension; `.json` is JSON, anything else YAML, a superset of JSON).
 * A `$schema` key, which editors use, is dropped.
 *
 * @param path the file path
 * @returns the parsed object
 * @throws {ConfigFileError} naming the path when the file is missing, unreadable, empty or not an object
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigFileError, readConfigFile } from "@lib/config/mod.ts";
 * await assert.rejects(readConfigFile("/nonexistent/cfg.yaml"), ConfigFileError);
 * ```
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    const reason = cause instanceof Deno.errors.NotFound
      ? "no such file"
      : cause instanceof Deno.errors.IsADirectory
      ? "it is a folder"
      : String((cause as Error).message).replace(/:? (readfile|open) '.*$/, "");
    throw new ConfigFileError(`Cannot read config file "${path}": ${reason}`, { cause });
  }
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    // YAML's first line ends in a colon before a code excerpt; the excerpt is dropped, so is the colon.
    const first = String((cause as Error).message).split("\n")[0].trim().replace(/:$/, "");
    throw new ConfigFileError(`Cannot parse config file "${path}": ${first}`, { cause });
  }
  if (value === null || value === undefined) {
    throw new ConfigFileError(`Cannot use config file "${path}": it is empty (write at least one key, or {})`);
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigFileError(
      `Cannot use config file "${path}": it must hold an object of keys, got ${JSON.stringify(value)}`,
    );
  }
  const { $schema: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}
