import type pl from "nodejs-polars";
import { type FrameView, frameView, type FrameViewOptions } from "./frame_view.ts";
import { show as showRaw } from "./show.ts";

/** Whether a value is a nodejs-polars DataFrame (its class is not exported for `instanceof`). */
function isFrame(value: unknown): value is pl.DataFrame {
  const v = value as Partial<pl.DataFrame> | null;
  // A column's name shadows a method of that name on a nodejs-polars frame (a column "rows" makes `df.rows` a
  // Series), so only methods no result table is likely to name a column after are looked at.
  return v !== null && typeof v === "object" && Array.isArray(v.columns) &&
    typeof v.select === "function" && typeof v.toRecords === "function";
}

/**
 * The notebooks' `show`: as `show` from `show.ts` (each value reaches the notebook, see there), with DataFrames
 * shown through {@linkcode frameView}: a shape line, dtypes, ISO timestamps, rounded floats, truncated rows and
 * columns, instead of Polars' own display (JavaScript date strings, six lines a row, every float digit).
 * @param values what to show
 * @returns when every value has been shown
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { show } from "@lib/report/display.ts";
 * await show(pl.DataFrame({ x: [1 / 3] })); // prints "1 row × 1 column", "x", "f64", "0.333" outside a notebook
 * ```
 */
export async function show(...values: unknown[]): Promise<void> {
  const shown = values.map((v) => (isFrame(v) ? frameView(v) : v));
  if (inKernel()) await showRaw(...shown);
  else for (const v of shown) console.log(isView(v) ? v.text : v);
}

/** Whether this runs in the Deno Jupyter kernel: outside it, Deno 2.9's `Deno.jupyter` getter throws. */
function inKernel(): boolean {
  try {
    return (Deno as unknown as { jupyter?: unknown }).jupyter !== undefined;
  } catch {
    return false;
  }
}

function isView(v: unknown): v is FrameView {
  return v !== null && typeof v === "object" && typeof (v as FrameView).text === "string" &&
    typeof (v as FrameView).html === "string";
}

/**
 * {@linkcode show} for one frame with its own limits.
 * @param df the frame
 * @param options rows, columns, decimals, text length
 * @returns when it has been shown
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { showFrame } from "@lib/report/display.ts";
 * await showFrame(pl.DataFrame({ x: [1, 2, 3] }), { maxRows: 2 });
 * ```
 */
export async function showFrame(df: pl.DataFrame, options: FrameViewOptions = {}): Promise<void> {
  const view = frameView(df, options);
  if (inKernel()) await showRaw(view);
  else console.log(view.text);
}
