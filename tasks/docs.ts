/**
 * `deno task docs`: writes `docs/columns.md`, every column of every dataset kind (meaning, unit, range), from the
 * row schemas' descriptions and the kinds' column docs.
 * @module
 */
import { HELP_FLAG, helpText, runTask, UsageError } from "@lib/cli/mod.ts";
import { listKinds } from "@lib/kinds/mod.ts";
import { renderColumnsDoc } from "@lib/kinds/columns.ts";

const HELP = helpText("deno task docs [--check]", {
  description:
    `Writes docs/columns.md: every column of every dataset kind with its meaning, unit and range, from the row
schemas' descriptions (lib/schema/) and the kinds' column docs (lib/kinds/<kind>/columns.ts).`,
  flags: {
    check: { type: "boolean", help: "compare instead of writing; exit 1 when docs/columns.md is stale", config: false },
    ...HELP_FLAG,
  },
  examples: ["deno task docs", "deno task docs --check"],
});

/** Where the column docs go. */
export const COLUMNS_DOC = "docs/columns.md";

/**
 * Writes (or checks) the column docs.
 * @param args `--check` compares instead of writing (exit 1 when stale)
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    if (args.includes("--help") || args.includes("-h")) {
      console.log(HELP);
      return 0;
    }
    const unknown = args.find((a) => a !== "--check");
    if (unknown !== undefined) throw new UsageError(`unexpected argument "${unknown}" (see --help)`);
    const text = renderColumnsDoc(listKinds());
    if (args.includes("--check")) {
      const current = await Deno.readTextFile(COLUMNS_DOC).catch(() => "");
      if (current === text) return 0;
      console.error(`stale: ${COLUMNS_DOC} (run deno task docs)`);
      return 1;
    }
    await Deno.mkdir("docs", { recursive: true });
    await Deno.writeTextFile(`${COLUMNS_DOC}.tmp`, text);
    await Deno.rename(`${COLUMNS_DOC}.tmp`, COLUMNS_DOC);
    console.log(`wrote ${COLUMNS_DOC}`);
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
