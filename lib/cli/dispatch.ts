import { didYouMean } from "@lib/config/suggest.ts";

/** A subcommand module: `tasks/<verb>_<kind>.ts` exporting `main`. */
export interface SubcommandModule {
  /** Runs the subcommand with its own arguments; resolves to the exit code. */
  main(args: string[]): Promise<number>;
}

/** Options of {@linkcode dispatch}. */
export interface DispatchOptions {
  /** Text printed for `--help` or no arguments. */
  usage: string;
  /** Loads the module of a kind, by name. */
  load: (kind: string) => Promise<SubcommandModule>;
  /** The kinds on offer. */
  kinds: readonly string[];
}

/**
 * Runs `<verb> <kind> [args]`: prints usage for `--help`, names the known kinds for an unknown one.
 * @param args the command-line arguments
 * @param options usage text, kinds and loader
 * @returns the exit code
 */
export async function dispatch(args: string[], options: DispatchOptions): Promise<number> {
  const { usage, load, kinds } = options;
  const [kind, ...rest] = args;
  if (kind === undefined || kind === "--help" || kind === "-h") {
    console.log(usage);
    return kind === undefined ? 2 : 0;
  }
  if (!kinds.includes(kind)) {
    console.error(`error: unknown kind "${kind}"${didYouMean(kind, kinds)}: expected one of ${kinds.join(", ")}`);
    return 2;
  }
  return await (await load(kind)).main(rest);
}
