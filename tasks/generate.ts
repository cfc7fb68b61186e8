/**
 * `deno task generate <kind> [flags]`: generate a synthetic dataset into `data/synthetic/<name>/`.
 * Each kind lives in `tasks/generate_<kind>.ts`; `deno task generate <kind> --help` explains its flags.
 * @module
 */
import { dispatch } from "@lib/cli/dispatch.ts";
import { listKinds } from "@lib/kinds/mod.ts";
import { HELP_FLAG, helpText } from "@lib/cli/args.ts";

/** The generated kinds, from the kind registry: each descriptor names its task module. */
const KINDS = listKinds("generated");

const USAGE = helpText("deno task generate <kind> [flags]", {
  description: `Generates a seeded synthetic dataset into data/synthetic/<name>/ with manifest.json and config.json.
Run "deno task generate <kind> --help" for the flags of a kind.`,
  flags: HELP_FLAG,
  lists: {
    Kinds: KINDS.map((d) => [d.kind, d.description]),
  },
  examples: [
    "deno task generate capacity --servers 200 --years 2",
    "deno task generate msp --help",
  ],
});

/**
 * Runs `generate <kind> …`.
 * @param args the command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return dispatch(args, {
    usage: USAGE,
    kinds: KINDS.map((d) => d.kind),
    load: (kind) => import(`../${KINDS.find((d) => d.kind === kind)!.task}`),
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
