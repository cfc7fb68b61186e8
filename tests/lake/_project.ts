// A throwaway project folder with its own lake (data/), in which the real tasks run as subprocesses with the
// permissions deno.json gives them: the tasks' relative paths (data/, data/synthetic/...) then mean this lake.
import { join } from "node:path";

const REPO = new URL("../../", import.meta.url).pathname;
const CONFIG = join(REPO, "deno.json");
// Real path: Deno checks FFI access against the resolved path of the native module.
const NODE_MODULES = Deno.realPathSync(join(REPO, "node_modules"));

/** The permissions of each task, as in deno.json (paths relative to the project folder). */
const PERMS: Record<string, string[]> = {
  generate: ["--allow-write=data", "--allow-run=deno"],
  lake: ["--allow-write=data"],
  ingest: ["--allow-write=data"],
  validate: ["--allow-write=data"],
  report: ["--allow-write=reports"],
};

/** A finished run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A project folder with an empty lake. */
export class Project {
  constructor(readonly dir: string) {}

  /** Makes one under /tmp. */
  static async make(): Promise<Project> {
    const dir = await Deno.makeTempDir({ prefix: "opslab-lake-safety-" });
    await Deno.mkdir(join(dir, "data", "synthetic"), { recursive: true });
    return new Project(dir);
  }

  /** A path inside the project. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** The command of `deno task <task> <args>` run in the project. */
  command(task: string, args: string[], env: Record<string, string> = {}): Deno.Command {
    return new Deno.Command("deno", {
      args: [
        "run",
        "--no-prompt",
        `--config=${CONFIG}`,
        `--allow-ffi=${NODE_MODULES}`,
        "--allow-sys",
        "--allow-env",
        "--allow-read",
        ...PERMS[task],
        join(REPO, "tasks", `${task}.ts`),
        ...args,
      ],
      cwd: this.dir,
      env,
      stdout: "piped",
      stderr: "piped",
    });
  }

  /**
   * The command of a task run from the repository (as `--workers` needs: its shard processes find deno.json and
   * node_modules there), writing only inside the project.
   */
  commandInRepo(task: string, args: string[]): Deno.Command {
    return new Deno.Command("deno", {
      args: [
        "run",
        "--no-prompt",
        "--allow-ffi=./node_modules",
        "--allow-sys",
        "--allow-env",
        "--allow-read",
        `--allow-write=${this.dir}`,
        "--allow-run=deno",
        join(REPO, "tasks", `${task}.ts`),
        ...args,
      ],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    });
  }

  /** Runs a task to its end. */
  async run(task: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
    const out = await this.command(task, args, env).output();
    const d = new TextDecoder();
    return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
  }

  /** Names in a folder of the project, sorted. */
  async names(...parts: string[]): Promise<string[]> {
    try {
      return (await Array.fromAsync(Deno.readDir(this.path(...parts)))).map((e) => e.name).sort();
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw e;
    }
  }

  /** Removes the project. */
  async remove(): Promise<void> {
    await Deno.remove(this.dir, { recursive: true });
  }
}

/** Copies a folder tree. */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/** Makes a symbolic link with ln (tests may write only under /tmp, and Deno.symlink needs unscoped write access). */
export async function symlink(target: string, path: string): Promise<void> {
  const out = await new Deno.Command("ln", { args: ["-s", target, path], stderr: "piped" }).output();
  if (out.code !== 0) throw new Error(`ln -s ${target} ${path}: ${new TextDecoder().decode(out.stderr)}`);
}

/** Waits until `probe` holds, polling; fails naming `what` after `ms`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A small capacity dataset: 2 servers, 10 days. */
export const SMALL = ["capacity", "--servers", "2", "--start-date", "2024-01-01", "--end-date", "2024-01-10"];

/** A capacity run long enough to interrupt while it writes: hourly, many part files. */
export const LONG = [
  "capacity",
  "--servers",
  "600",
  "--granularity",
  "hourly",
  "--start-date",
  "2024-01-01",
  "--end-date",
  "2024-06-30",
  "--rows-per-file",
  "20000",
  "--chunk-servers",
  "8",
];
