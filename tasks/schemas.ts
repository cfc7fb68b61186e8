/**
 * `deno task schemas`: writes a JSON Schema of every generator config to lib/config/schema/, for editors
 * (`$schema: ../lib/config/schema/capacity.schema.json` in a YAML or JSON config).
 * @module
 */
import { z } from "zod";
import { type FlagSpec, HELP_FLAG, helpText, parseFlags, runTask, UsageError } from "@lib/cli/mod.ts";
import { listKinds } from "@lib/kinds/mod.ts";
import { ChecksFile } from "@lib/validate/checks_file.ts";

const FLAGS: Record<string, FlagSpec> = {
  check: { type: "boolean", help: "compare instead of writing; exit 1 when a schema file is stale", config: false },
  ...HELP_FLAG,
};

const HELP = helpText("deno task schemas [--check]", {
  description: `Writes a JSON Schema of every generator config to lib/config/schema/<kind>.schema.json, and of the
checks file of "deno task validate --checks" to checks.schema.json, for editors
("$schema": "../lib/config/schema/capacity.schema.json" in a YAML or JSON config). Every key carries the
description of its config field.`,
  flags: FLAGS,
  examples: ["deno task schemas", "deno task schemas --check"],
});
/**
 * The JSON Schema text of one config (input side: defaults are optional keys), with `$schema` allowed.
 * @param schema the zod config schema
 * @returns JSON text
 */
export function jsonSchemaText(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const props = (json.properties ?? {}) as Record<string, unknown>;
  json.properties = { $schema: { type: "string", description: "JSON Schema of this file, for editors" }, ...props };
  return JSON.stringify(json, null, 2) + "\n";
}

/**
 * Writes the schema files.
 * @param args `--check` compares instead of writing (exit 1 when stale)
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { flags, positionals } = parseFlags(args, FLAGS);
    if (flags.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
    const check = flags.check === true;
    let stale = 0;
    // Every generator config, and the checks file of `deno task validate --checks`.
    const schemas = [
      ...listKinds("generated").flatMap(({ kind, config }) => config === undefined ? [] : [{ kind, config }]),
      { kind: "checks", config: ChecksFile },
    ];
    for (const { kind, config: schema } of schemas) {
      const path = `lib/config/schema/${kind}.schema.json`;
      const text = jsonSchemaText(schema);
      if (check) {
        const current = await Deno.readTextFile(path).catch(() => "");
        if (current !== text) {
          console.error(`stale: ${path} (run deno task schemas)`);
          stale++;
        }
      } else {
        await Deno.writeTextFile(`${path}.tmp`, text);
        await Deno.rename(`${path}.tmp`, path);
        console.log(`wrote ${path}`);
      }
    }
    return stale > 0 ? 1 : 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
