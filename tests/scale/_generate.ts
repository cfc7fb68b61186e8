/**
 * Runs `tasks/generate.ts` as its own process with the generate task's permissions (writes only under `root`), as
 * the scale tests need: the workers and memory tests are about whole processes.
 * @module
 */

/** The exit code and output of one run. */
export interface GenerateRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * @param root the folder the process may write in
 * @param kind the generator kind
 * @param args the generator's arguments
 * @returns the exit code and decoded output
 */
export async function runGenerate(root: string, kind: string, args: string[]): Promise<GenerateRun> {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      "--allow-read",
      `--allow-write=${root}`,
      "--allow-run=deno",
      "tasks/generate.ts",
      kind,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
