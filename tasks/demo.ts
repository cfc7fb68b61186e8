/**
 * `deno task demo`: the main job end to end. Generates the default datasets into data/synthetic/, validates every
 * dataset in the lake (writing validation.json beside each) and publishes reports/ (one page per dataset and an
 * index). Exit code 1 when a step fails or a dataset fails an error-severity check; the reports are written anyway.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { type FlagSpec, helpText, parseFlags, runTask, UsageError } from "@lib/cli/mod.ts";
import type { SubcommandModule } from "@lib/cli/mod.ts";

/** The default datasets: generator kind and its arguments (empty: every default). */
export const DEMO_DATASETS: [kind: string, args: string[]][] = [
  ["capacity", []],
  ["anomalies", []],
  ["incidents", []],
  ["msp", []],
];

const FLAGS: Record<string, FlagSpec> = {
  only: { type: "string", arg: "KINDS", help: "generate only these kinds, comma-separated", config: false },
  "skip-generate": { type: "boolean", help: "validate and report what the lake already holds", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task demo [flags]", {
  description: `Generates the default datasets (${DEMO_DATASETS.map(([k]) => k).join(", ")}) into data/synthetic/,
validates every dataset in data/ and writes reports/index.html plus one report per dataset. The default
datasets are regenerated in place (--overwrite of the same kind): a folder of that name holding anything else
stops the demo.
Open reports/index.html in a browser, or run "deno task serve".`,
  flags: FLAGS,
  examples: ["deno task demo", "deno task demo --only capacity,msp", "deno task demo --skip-generate"],
});

async function step(title: string, run: () => Promise<number>): Promise<number> {
  const started = performance.now();
  console.log(`\n== ${title}`);
  const code = await run();
  console.log(`   ${code === 0 ? "done" : `exit ${code}`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

/**
 * Runs the demo.
 * @param args command-line arguments
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
    const only = typeof flags.only === "string" ? flags.only.split(",").map((s) => s.trim()) : undefined;
    const unknown = only?.filter((k) => !DEMO_DATASETS.some(([kind]) => kind === k)) ?? [];
    if (unknown.length > 0) {
      throw new UsageError(
        `--only: unknown kind "${unknown[0]}": expected ${DEMO_DATASETS.map(([k]) => k).join(", ")}`,
      );
    }
    let worst = 0;
    if (!flags["skip-generate"]) {
      for (const [kind, kindArgs] of DEMO_DATASETS) {
        if (only && !only.includes(kind)) continue;
        const mod: SubcommandModule = await import(`./generate_${kind}.ts`);
        // The demo regenerates its own default datasets: it replaces them (only datasets of the same kind, under
        // their default names), as a user running it twice expects.
        const code = await step(`generate ${kind}`, () => mod.main([...kindArgs, "--overwrite"]));
        if (code !== 0) return code;
      }
    }
    const validate: SubcommandModule = await import("./validate.ts");
    worst = Math.max(worst, await step("validate every dataset in data/", () => validate.main([])));
    const report: SubcommandModule = await import("./report.ts");
    worst = Math.max(worst, await step("write reports/", () => report.main([])));
    console.log(`\nReports: reports/index.html${worst === 0 ? "" : " (some datasets failed validation: see above)"}`);
    return worst;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
