import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * One CLI voice: every task's `--help` has the one layout (usage, description, flags in one column, examples), and
 * the tasks' usage errors read alike.
 */
import assert from "node:assert/strict";
import { helpText, parseFlags } from "@lib/cli/mod.ts";
import { registeredKinds } from "@lib/validate/mod.ts";
import { targetText } from "../../tasks/bench.ts";

/** Every task and subcommand with a help text, as `deno task <task> <args…> --help` reaches it. */
const HELPS: [string, string[], () => Promise<{ main(args: string[]): Promise<number> }>][] = [
  ["demo", [], () => import("../../tasks/demo.ts")],
  ["generate", [], () => import("../../tasks/generate.ts")],
  ["generate", ["capacity"], () => import("../../tasks/generate.ts")],
  ["generate", ["anomalies"], () => import("../../tasks/generate.ts")],
  ["generate", ["incidents"], () => import("../../tasks/generate.ts")],
  ["generate", ["msp"], () => import("../../tasks/generate.ts")],
  ["ingest", [], () => import("../../tasks/ingest.ts")],
  ["ingest", ["nab"], () => import("../../tasks/ingest.ts")],
  ["ingest", ["cloudfront"], () => import("../../tasks/ingest.ts")],
  ["ingest", ["tickets"], () => import("../../tasks/ingest.ts")],
  ["ingest", ["gwa"], () => import("../../tasks/ingest.ts")],
  ["fidelity", [], () => import("../../tasks/fidelity.ts")],
  ["fetch", [], () => import("../../tasks/fetch.ts")],
  ["validate", [], () => import("../../tasks/validate.ts")],
  ["report", [], () => import("../../tasks/report.ts")],
  ["serve", [], () => import("../../tasks/serve.ts")],
  ["replay", [], () => import("../../tasks/replay.ts")],
  ["lake", [], () => import("../../tasks/lake.ts")],
  ["bench", [], () => import("../../tasks/bench.ts")],
  ["schemas", [], () => import("../../tasks/schemas.ts")],
];

/** Runs a task's main in this process and returns what it printed on stdout and its exit code. */
async function captured(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = "", err = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await run(), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/**
 * The problems of a help text against the one layout: `Usage:` first, a description, `Flags:` whose every row is
 * `  -x, --flag ARG  text` or `      --flag ARG  text` with every text starting in one column (two spaces at least
 * after the widest flag; wrapped text under it), `--help` among them, and `Examples:` last, each a `deno task` line.
 */
function layoutProblems(text: string, task: string): string[] {
  const problems: string[] = [];
  const blocks = text.trimEnd().split(/\n\n+/);
  if (!blocks[0].startsWith("Usage: deno task ")) {
    problems.push(`does not start with "Usage: deno task ": ${blocks[0]}`);
  }
  if (blocks.length < 4 || /^[A-Z][a-z ]+:\n/.test(blocks[1])) problems.push("no description after the usage line");
  const flags = blocks.find((b) => b.startsWith("Flags:\n"));
  if (flags === undefined) problems.push("no Flags: block");
  else {
    const rows = flags.split("\n").slice(1);
    const starts = new Set<number>();
    for (const row of rows) {
      const m = /^ {2}(?:-\w, | {4})--[\w:-]+(?: \S+)?( {2,})\S/.exec(row);
      if (m) starts.add(m[0].length - 1);
      else if (!/^ {8,}\S/.test(row)) problems.push(`flag row not in the layout: "${row}"`);
    }
    for (const row of rows.filter((r) => /^ {8,}\S/.test(r))) {
      const indent = row.length - row.trimStart().length;
      if (!starts.has(indent)) problems.push(`continuation not under the text column: "${row}"`);
    }
    if (starts.size > 1) problems.push(`flag texts start in ${starts.size} columns: ${[...starts].join(", ")}`);
    if (!rows.some((r) => /^ {2}-h, --help\s/.test(r))) problems.push("no -h, --help row");
  }
  const last = blocks[blocks.length - 1];
  if (!last.startsWith("Examples:\n")) problems.push("does not end with an Examples: block");
  else {
    for (const line of last.split("\n").slice(1)) {
      if (!line.startsWith(`  deno task ${task}`)) problems.push(`example is not a "deno task ${task}" line: ${line}`);
    }
  }
  return problems;
}

for (const [task, sub, load] of HELPS) {
  Deno.test(`deno task ${[task, ...sub].join(" ")} --help has the one help layout and exits 0`, async () => {
    const { main } = await load();
    const { code, out } = await captured(() => main([...sub, "--help"]));
    assert.equal(code, 0, out);
    assert.deepEqual(layoutProblems(out, task), [], out);
  });
}

Deno.test("helpText() puts every flag's text in one column two spaces after the widest flag", () => {
  const text = helpText("deno task x", {
    description: "Does x.",
    flags: {
      granularity: { type: "string", arg: "daily|hourly", help: "one row per server per day or per hour" },
      seed: { type: "string", arg: "N", help: "seed" },
      help: { type: "boolean", short: "h", help: "show this help" },
    },
    examples: ["deno task x"],
  });
  assert.match(text, /^ {6}--granularity daily\|hourly {2}one row/m);
  assert.match(text, /^ {6}--seed N {20}seed$/m);
  assert.deepEqual(layoutProblems(text, "x"), []);
});

Deno.test("validate --help names every registered kind", async () => {
  const { main } = await import("../../tasks/validate.ts");
  const { out } = await captured(() => main(["--help"]));
  for (const kind of registeredKinds()) assert.match(out, new RegExp(`\\b${kind}\\b`));
  for (const kind of ["capacity", "anomalies", "incidents", "msp"]) assert.match(out, new RegExp(`\\b${kind}\\b`));
});

Deno.test("bench names a case without targets 'no target', never '(target )'", () => {
  assert.equal(targetText({}), "no target");
  assert.equal(targetText({ seconds: 4, rssMb: 1310 }), "target <= 4 s, <= 1,310 MB");
});

Deno.test("a negative number after a flag is its value, so the config check names the range", () => {
  const specs = { servers: { type: "string" as const, help: "fleet size" } };
  assert.deepEqual(parseFlags(["--servers", "-5"], specs).config, { servers: -5 });
  assert.deepEqual(parseFlags(["--servers=-0.5"], specs).config, { servers: -0.5 });
});

Deno.test("an unknown flag is refused with a did-you-mean", () => {
  const specs = {
    servers: { type: "string" as const, help: "fleet size" },
    "start-date": { type: "string" as const, help: "first day" },
  };
  assert.throws(() => parseFlags(["--sever", "5"], specs), /unknown flag --sever \(did you mean --servers\?\)/);
  assert.throws(() => parseFlags(["--start_date", "x"], specs), /did you mean --start-date\?/);
  assert.throws(() => parseFlags(["--zzzzzz"], specs), (e: Error) => !/did you mean/.test(e.message));
});
