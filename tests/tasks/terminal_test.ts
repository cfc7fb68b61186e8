import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Runs every task of deno.json as a user does, `deno task <name> …` in a real terminal (a pseudo-terminal made by
 * util-linux `script`), in a throwaway copy of the project. In a terminal Deno asks "Allow? [y/n/A]" for any access
 * outside a task's flags and waits for an answer forever; without a terminal (CI) it silently denies, so only a
 * pseudo-terminal shows such a hang. Every task must finish, do its work and never print a permission prompt.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyProject, taskDefinitions } from "./_project.ts";

const INSTALL = `util-linux "script" is needed to run the tasks in a pseudo-terminal. On Debian/Ubuntu, as root:
  apt-get update && apt-get install -y bsdutils`;
const PROMPT = /Deno requests|Allow\?|\[y\/n\/A\]/;
const TIMEOUT_MS = 180_000;

/** What one run printed on the terminal, ANSI colours removed. */
interface TerminalRun {
  code: number;
  timedOut: boolean;
  text: string;
}

// deno-lint-ignore no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replaceAll("\r", "");

function scriptCommand(command: string, cwd: string, env: Record<string, string>, signal?: AbortSignal) {
  return new Deno.Command("script", {
    args: ["-qfec", command, "/dev/null"],
    cwd,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(signal ? { signal } : {}),
  });
}

/**
 * Runs a shell command under `script -qfec` (its stdout and stderr are the pseudo-terminal), killed after
 * {@linkcode TIMEOUT_MS}.
 */
async function inTerminal(command: string, cwd: string, env: Record<string, string> = {}): Promise<TerminalRun> {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let out;
  try {
    out = await scriptCommand(command, cwd, env, signal).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`script: not found.\n${INSTALL}`);
    throw e;
  }
  const dec = new TextDecoder();
  return { code: out.code, timedOut: signal.aborted, text: plain(dec.decode(out.stdout) + dec.decode(out.stderr)) };
}

function assertFinished(run: TerminalRun, what: string, code = 0): void {
  assert.ok(!PROMPT.test(run.text), `${what} asked for a permission in the terminal:\n${run.text.slice(-3000)}`);
  assert.ok(!run.timedOut, `${what} did not finish in ${TIMEOUT_MS / 1000} s:\n${run.text.slice(-3000)}`);
  assert.equal(run.code, code, `${what} exit code:\n${run.text.slice(-3000)}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

const TASKS = await taskDefinitions();

Deno.test("every deno run and deno test of deno.json has --no-prompt, so a missing permission fails at once", () => {
  for (const [name, command] of Object.entries(TASKS)) {
    // Leading environment assignments (GLIBC_TUNABLES=...) are not the command.
    for (const part of command.split("&&").map((s) => s.trim().replace(/^(\w+=\S+\s+)+/, ""))) {
      if (/^deno (run|test)\b/.test(part)) assert.match(part, /^deno (run|test) --no-prompt /, `task ${name}: ${part}`);
    }
  }
  assert.match(TASKS.report, /(^|\s)deno run --no-prompt /, "the report task is checked too");
});

Deno.test("demo, report and validate run with one malloc tuning, the one the bench reads for their cases", () => {
  const tunables = (task: string) => /(?:^|\s)GLIBC_TUNABLES=(\S+)/.exec(TASKS[task])?.[1];
  assert.match(tunables("validate") ?? "", /glibc\.malloc\.arena_max=\d+:.*glibc\.malloc\.mmap_threshold=\d+/);
  assert.equal(tunables("demo"), tunables("validate"));
  assert.equal(tunables("report"), tunables("validate"));
});

/** A quick invocation of a task that still does its work, and what must hold afterwards. */
interface TaskRun {
  task: string;
  args: string;
  /** @default 0 */
  code?: number;
  env?: Record<string, string>;
  /** Run only as defined: the run asks for something outside the task's flags on purpose. */
  outsideFlags?: boolean;
  check: (text: string, project: string) => void | Promise<void>;
}

/** Each task, in an order where each finds what it needs (the demo makes the lake the others read). */
const RUNS: TaskRun[] = [
  {
    task: "demo",
    args: "--only msp",
    check: async (text, project) => {
      assert.match(text, /Reports: reports\/index\.html/);
      assert.ok(await exists(join(project, "data/synthetic/msp/manifest.json")));
      assert.ok(await exists(join(project, "data/synthetic/msp/validation.json")));
      assert.ok(await exists(join(project, "reports/msp/index.html")));
    },
  },
  {
    task: "report",
    args: "",
    check: async (text, project) => {
      assert.match(text, /1 reports and reports\/index\.html/);
      assert.match(text, /report msp \[[#.]{24}\] [01]\/1 datasets/);
      assert.ok(await exists(join(project, "reports/index.html")));
    },
  },
  {
    task: "validate",
    args: "msp",
    check: (text) => {
      assert.match(text, /ok\s+msp\s+msp/);
      // One progress display in a terminal, naming the dataset being validated.
      assert.match(text, /validate msp \[[#.]{24}\] [01]\/1 datasets/);
    },
  },
  { task: "lake", args: "list", check: (text) => assert.match(text, /msp/) },
  {
    task: "replay",
    args: "msp --max --sink ndjson --channels tickets --from 2024-03-04 --to 2024-03-05",
    check: (text) => assert.match(text, /^\{"channel":"tickets"/m),
  },
  {
    task: "generate",
    args: "capacity --servers 2 --years 1 --workers 2 --name pty",
    check: async (_, project) => assert.ok(await exists(join(project, "data/synthetic/pty/manifest.json"))),
  },
  {
    task: "fidelity",
    args: "pty",
    check: async (text, project) => {
      assert.match(text, /fidelity score/);
      assert.ok(await exists(join(project, "data/synthetic/pty/fidelity.json")));
    },
  },
  {
    task: "fidelity:reference",
    args: "--help",
    check: (text) => assert.match(text, /deno task fidelity:reference --build-reference/),
  },
  {
    task: "ingest",
    args: "nab",
    check: async (_, project) => assert.ok(await exists(join(project, "data/processed/metrics/nab/manifest.json"))),
  },
  {
    task: "schemas",
    args: "",
    check: async (_, project) => assert.ok(await exists(join(project, "lib/config/schema/capacity.schema.json"))),
  },
  { task: "bench", args: "--help", check: (text) => assert.match(text, /Usage: deno task bench/) },
  {
    task: "docs",
    args: "",
    check: async (_, project) => assert.ok(await exists(join(project, "docs/columns.md"))),
  },
  {
    task: "serve-api",
    args: "msp --help",
    check: (text) => assert.match(text, /Usage: deno task serve-api msp \[dataset\]/),
  },
  {
    // A URL outside the task's --allow-net: fails with a line instead of asking.
    task: "fetch",
    args: "nab --base-url http://127.0.0.1:65000/api/v1",
    code: 1,
    outsideFlags: true,
    env: { KAGGLE_USERNAME: "someone", KAGGLE_KEY: "0123456789abcdef" },
    check: (text) => assert.match(text, /error: .*no network permission for 127\.0\.0\.1:65000/),
  },
];

Deno.test("the tasks list above covers every task of deno.json but test and ok", () => {
  const covered = new Set([...RUNS.map((r) => r.task), "serve"]);
  assert.deepEqual(Object.keys(TASKS).filter((t) => !covered.has(t)).sort(), ["ok", "test"]);
});

/**
 * The suite, run twice: with deno.json as it is, and with --no-prompt taken out of a copy of it, where any access
 * outside a task's flags shows as a prompt (and a hang) instead of an error a library might catch and hide.
 */
for (const mode of ["as defined", "with prompts allowed"] as const) {
  const project = await copyProject();
  addEventListener("unload", () => Deno.removeSync(project, { recursive: true }));
  if (mode === "with prompts allowed") {
    const config = join(project, "deno.json");
    await Deno.writeTextFile(config, (await Deno.readTextFile(config)).replaceAll("--no-prompt ", ""));
  }
  for (const { task, args, code = 0, env = {}, outsideFlags, check } of RUNS) {
    if (outsideFlags && mode !== "as defined") continue;
    Deno.test(`deno task ${task} ${args} finishes in a terminal without a permission prompt (${mode})`, async () => {
      if (task === "ingest") {
        await Deno.mkdir(join(project, "data/raw/metrics"), { recursive: true });
        const fixture = new URL("../fixtures/ingest/nab", import.meta.url).pathname;
        await new Deno.Command("cp", { args: ["-r", fixture, join(project, "data/raw/metrics/nab")] }).output();
      }
      const run = await inTerminal(`deno task ${task} ${args}`, project, env);
      assertFinished(run, `deno task ${task} ${args}`, code);
      await check(run.text, project);
    });
  }

  Deno.test(`deno task serve --port 0 serves the reports in a terminal without a permission prompt (${mode})`, async () => {
    const child = scriptCommand("deno task serve --port 0", project, {}).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const deadline = setTimeout(() => child.kill("SIGTERM"), TIMEOUT_MS);
    try {
      let url: string | undefined;
      while (url === undefined) {
        const { value, done } = await reader.read();
        if (done) break;
        text = plain(text + value);
        url = /http:\/\/127\.0\.0\.1:\d+\//.exec(text)?.[0];
      }
      assert.ok(!PROMPT.test(text), `serve asked for a permission:\n${text}`);
      assert.ok(url, `serve did not start:\n${text}`);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<html/i);
    } finally {
      clearTimeout(deadline);
      child.kill("SIGTERM");
      await reader.cancel();
      await child.stderr.cancel();
      await child.status;
    }
  });
}
