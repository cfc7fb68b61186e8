/** The part of `Deno.jupyter` that {@linkcode show} uses (present only inside the Deno Jupyter kernel). */
interface JupyterDisplay {
  display(value: unknown, options?: { raw?: boolean }): Promise<void>;
  format(value: unknown): Promise<Record<string, unknown>>;
}

/** Options of {@linkcode show}. */
export interface ShowOptions {
  /** Milliseconds to wait after each output, plus 1 ms per 10 kB of it, for the kernel to send it. @default 150 */
  settleMs?: number;
}

/**
 * Shows values in a notebook cell so that each reaches the notebook: `await show(x)` instead of ending a cell with
 * `x`. Why: Deno's kernel (2.9) publishes a cell's outputs from a queue drained by a separate loop, while it
 * reports the cell idle directly; nbconvert/nbclient keep only what arrives before idle, so a late output is
 * dropped without an error. A cell's last expression is queued last of all (after the cell has finished), and a
 * large one (a chart's SVG) is signed and sent more slowly than the short idle message that overtakes it. `show`
 * queues each output while the cell still runs and then waits, so the queue is sent before the cell ends.
 * Text is shown as it is (like `console.log`, whose output travels the same queue); anything else as
 * `Deno.jupyter.display` formats it (its `Symbol.for("Jupyter.display")` bundle, e.g. a Polars DataFrame's table).
 * Outside a kernel, it prints.
 *
 * @param values what to show, each as its own output
 * @returns when every value has been queued and the wait is over
 * @example
 * ```ts
 * import { show } from "@lib/report/show.ts";
 * await show("3 datasets"); // prints "3 datasets" outside a notebook
 * ```
 */
export async function show(...values: unknown[]): Promise<void> {
  await showWith(values);
}

/**
 * {@linkcode show} with options.
 * @param values what to show
 * @param options the wait
 * @returns when every value has been queued and the wait is over
 * @example
 * ```ts
 * import { showWith } from "@lib/report/show.ts";
 * await showWith(["done"], { settleMs: 300 });
 * ```
 */
export async function showWith(values: unknown[], options: ShowOptions = {}): Promise<void> {
  const { settleMs = 150 } = options;
  const jupyter = kernelDisplay();
  for (const value of values) {
    if (jupyter === undefined) {
      console.log(value);
      continue;
    }
    const bundle = typeof value === "string" ? { "text/plain": value } : await jupyter.format(value);
    await jupyter.display(bundle, { raw: true });
    const bytes = JSON.stringify(bundle).length;
    await new Promise((resolve) => setTimeout(resolve, settleMs + Math.ceil(bytes / 10_000)));
  }
}

/** `Deno.jupyter` inside the Deno Jupyter kernel; outside it undefined (Deno 2.9's getter throws there). */
function kernelDisplay(): JupyterDisplay | undefined {
  try {
    return (Deno as unknown as { jupyter?: JupyterDisplay }).jupyter;
  } catch {
    return undefined;
  }
}
