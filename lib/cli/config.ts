import type { z } from "zod";
import { stringify as stringifyYaml } from "yaml";
import { readConfigFile, resolveConfig } from "@lib/config/mod.ts";
import { knownKeys } from "@lib/config/shape.ts";
import { kindDescriptor } from "@lib/kinds/registry.ts";
import type { FlagSpec } from "./args.ts";

/** The `--config` and `--print-config` flags of every generator. */
export const CONFIG_FLAGS: Record<string, FlagSpec> = {
  config: {
    type: "string",
    arg: "FILE",
    help: "JSON or YAML config file, anywhere on disk; a dataset's own config.json works, flags override it",
    config: false,
  },
  "print-config": {
    type: "boolean",
    help: "print the resolved config as YAML (usable as --config) and exit, writing nothing",
    config: false,
  },
};

/** Options of {@linkcode resolveTaskConfig}. */
export interface ResolveTaskConfigOptions {
  /** The dataset kind, for messages and the environment prefix `OPSLAB_<KIND>_`. */
  kind: string;
  /** `--config` as given. @default undefined */
  file?: unknown;
  /** Config keys from flags (snake_case, dotted paths reach into objects). @default {} */
  flags?: Record<string, unknown>;
  /**
   * Keys that say the same thing two ways (`years` or `end_date`): when a flag or variable gives one, the file's
   * other is dropped, so a dataset's resolved `config.json` can be reused with `--years`. @default []
   */
  alternatives?: readonly (readonly [string, string])[];
  /** The environment. @default Deno.env.toObject() */
  env?: Record<string, string>;
}

/**
 * Resolves a generator's config from its defaults, the `--config` file (a dataset's own `config.json` included),
 * flags and `OPSLAB_<KIND>_*` variables.
 * @param schema the config schema
 * @param options kind, file, flags, alternatives
 * @returns the config and the file's keys as read (without the dropped alternatives)
 * @throws {ConfigFileError} when the file cannot be used, {ConfigError} naming every bad key
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { resolveTaskConfig } from "@lib/cli/config.ts";
 * const Schema = z.strictObject({ servers: z.int().positive().default(120) });
 * const { config } = await resolveTaskConfig(Schema, { kind: "x", flags: { servers: 5 }, env: {} });
 * assert.deepEqual(config, { servers: 5 });
 * ```
 */
export async function resolveTaskConfig<S extends z.ZodType>(
  schema: S,
  options: ResolveTaskConfigOptions,
): Promise<{ config: z.output<S>; file: Record<string, unknown> }> {
  const { kind, flags = {}, alternatives = [], env = Deno.env.toObject() } = options;
  const file = typeof options.file === "string" ? await readConfigFile(options.file) : {};
  const envPrefix = `OPSLAB_${kind.toUpperCase()}_`;
  const given = new Set([
    ...Object.keys(flags).filter((k) => flags[k] !== undefined).map((k) => k.split(".")[0]),
    ...Object.keys(env).filter((k) => k.startsWith(envPrefix)).map((k) =>
      k.slice(envPrefix.length).toLowerCase().split("__")[0]
    ),
  ]);
  for (const [a, b] of alternatives) {
    if (given.has(a) && !given.has(b)) delete file[b];
    if (given.has(b) && !given.has(a)) delete file[a];
  }
  const config = resolveConfig(schema, { file, flags, env, envPrefix, what: kind });
  return { config, file };
}

/**
 * A resolved config as YAML that reads back as the same config (`--config` of the printed text resolves to it),
 * headed by a comment naming its JSON Schema.
 * @param kind the dataset kind
 * @param config the resolved config (JSON-safe: dates as ISO strings)
 * @returns the YAML text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@lib/kinds/mod.ts"; // registers the kinds
 * import { configYaml } from "@lib/cli/config.ts";
 * assert.equal(configYaml("capacity", { servers: 5 }).split("\n")[1], "servers: 5");
 * ```
 */
export function configYaml(kind: string, config: unknown): string {
  const plain = JSON.parse(JSON.stringify(config));
  // Top-level keys in the schema's order, so a config prints the same however its keys were made.
  const order = knownKeys(kindDescriptor(kind)?.config);
  if (order.length > 0 && plain !== null && typeof plain === "object") {
    const rank = (k: string) => (order.indexOf(k) === -1 ? order.length : order.indexOf(k));
    const sorted = Object.keys(plain).sort((a, b) => rank(a) - rank(b));
    return header(kind) + stringifyYaml(Object.fromEntries(sorted.map((k) => [k, plain[k]])), { lineWidth: 0 });
  }
  return header(kind) + stringifyYaml(plain, { lineWidth: 0 });
}

const header = (kind: string) => `# opslab ${kind} config (JSON Schema: lib/config/schema/${kind}.schema.json)\n`;
