import { parse as parseYaml } from "yaml";

/**
 * Reads a JSON or YAML config file (by extension; `.json` is JSON, anything else YAML, a superset of JSON).
 * A `$schema` key, which editors use, is dropped.
 *
 * @param path the file path
 * @returns the parsed object
 * @throws {Error} naming the path when the file is missing, unreadable or not an object
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new Error(`Cannot read config file "${path}": ${(cause as Error).message}`, { cause });
  }
  let value: unknown;
  try {
    value = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const first = String((cause as Error).message).split("\n")[0];
    throw new Error(`Cannot parse config file "${path}": ${first}`, { cause });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`Cannot use config file "${path}": it must hold an object of keys, got ${JSON.stringify(value)}`);
  }
  const { $schema: _ignored, ...rest } = value as Record<string, unknown>;
  return rest;
}
