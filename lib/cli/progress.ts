import { formatCount, formatDuration } from "./format.ts";

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** What is counted, e.g. `rows`. @default "rows" */
  unit?: string;
  /** Whether the output is a terminal (a redrawn bar) or a log (a plain line every `every` seconds). @default stderr's */
  terminal?: boolean;
  /** Seconds between plain lines on a non-terminal. @default 5, or `OPSLAB_PROGRESS_SECONDS` when set */
  every?: number;
  /** Writes a piece of text. @default to stderr */
  write?: (text: string) => void;
  /** The clock in milliseconds. @default performance.now */
  now?: () => number;
  /** Redraw on a timer too (elapsed time moves while a step runs). @default true */
  timer?: boolean;
  /** Show anything at all (off, e.g., when stdout is the same terminal and carries the data). @default true */
  enabled?: boolean;
}

/**
 * Seconds between plain progress lines off a terminal: `OPSLAB_PROGRESS_SECONDS` (a positive number) where the task
 * may read it, else 5. CI logs that want denser signs of life, and the end-to-end tests, set it.
 */
function plainEvery(): number {
  const { state } = Deno.permissions.querySync({ name: "env", variable: "OPSLAB_PROGRESS_SECONDS" });
  if (state !== "granted") return 5;
  const v = Number(Deno.env.get("OPSLAB_PROGRESS_SECONDS"));
  return Number.isFinite(v) && v > 0 ? v : 5;
}

/** Seconds before a rate is shown: a first reading a few milliseconds in says nothing about the pace. */
const MIN_RATE_SECONDS = 1;

/**
 * One progress display per task on stderr: done / total, the current step, elapsed, rate and ETA. On a terminal a
 * bar redrawn in place; elsewhere (CI logs, a redirected stderr) a plain line every few seconds, so a long run shows
 * signs of life. Rate and ETA come from the first reading on, once a second has passed (a reading after a few
 * milliseconds gives absurd rates); until a unit is done, the elapsed time moves instead. Multi-part work (the
 * modalities of incidents) is one display: the total is every part's, `step()` names the current one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Progress } from "@lib/cli/progress.ts";
 * let clock = 0, text = "";
 * const p = new Progress("capacity", 1_000, {
 *   terminal: false,
 *   timer: false,
 *   now: () => clock,
 *   write: (t) => text += t,
 * });
 * clock = 5_000;
 * p.tick(250);
 * assert.equal(text, "capacity: 250/1,000 rows (25%), 5.0 s elapsed, 50 rows/s, ETA 15.0 s\n");
 * ```
 */
export class Progress {
  #total: number;
  readonly #label: string;
  readonly #unit: string;
  readonly #terminal: boolean;
  readonly #every: number;
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #start: number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #done = 0;
  #step = "";
  #lastDraw = -Infinity;
  #finished = false;

  /**
   * @param label what is being done
   * @param total how many units in all (an estimate grows when passed)
   * @param options unit, output and clock
   */
  constructor(label: string, total: number, options: ProgressOptions = {}) {
    const {
      unit = "rows",
      terminal = Deno.stderr.isTerminal(),
      every = plainEvery(),
      write = (t: string) => void Deno.stderr.writeSync(new TextEncoder().encode(t)),
      now = () => performance.now(),
      timer = true,
      enabled = true,
    } = options;
    this.#label = label;
    this.#total = total;
    this.#unit = unit;
    this.#terminal = terminal;
    this.#every = every * 1000;
    this.#write = write;
    this.#now = now;
    this.#start = now();
    // Plain lines start after the first interval: a run shorter than that prints none.
    if (!terminal) this.#lastDraw = this.#start;
    this.#finished = !enabled;
    if (timer && enabled) {
      const timer = setInterval(() => this.#maybeDraw(), terminal ? 1000 : this.#every);
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  /** @param n units just finished */
  tick(n: number): void {
    this.#done += n;
    if (this.#done > this.#total) this.#total = this.#done;
    this.#maybeDraw();
  }

  /** @param total the total once known (a count of files found, events loaded) */
  setTotal(total: number): void {
    this.#total = Math.max(total, this.#done);
  }

  /** @param text the step now running, e.g. a modality or a dataset name, shown beside the count */
  step(text: string): void {
    this.#step = text;
    this.#maybeDraw();
  }

  /** Ends the display: the terminal bar's last state and a newline; nothing more on a log. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    if (this.#terminal) this.#write(`${this.#line(this.#now())}\n`);
  }

  #maybeDraw(): void {
    if (this.#finished) return;
    const now = this.#now();
    if (now - this.#lastDraw < (this.#terminal ? 100 : this.#every)) return;
    this.#lastDraw = now;
    this.#write(this.#terminal ? `${this.#line(now)}` : `${this.#line(now)}\n`);
  }

  /** The display at a time: `\r` and a bar on a terminal, a plain line elsewhere. */
  #line(now: number): string {
    const secs = (now - this.#start) / 1000;
    const frac = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 1;
    const count = `${formatCount(this.#done)}/${formatCount(this.#total)} ${this.#unit}`;
    const parts = [`${secs.toFixed(1)} s elapsed`];
    // Once every unit is done (files read, then a named step runs) a rate and an ETA of 0 say nothing.
    if (secs >= MIN_RATE_SECONDS && this.#done > 0 && this.#done < this.#total) {
      const rate = this.#done / secs;
      const shown = rate >= 10 ? formatCount(rate) : rate.toFixed(rate >= 1 ? 1 : 2);
      parts.push(`${shown} ${this.#unit}/s`, `ETA ${formatDuration((this.#total - this.#done) / rate)}`);
    }
    const step = this.#step === "" ? "" : ` ${this.#step}`;
    // Nothing counted yet and no total known: the step and the elapsed time say it all.
    if (this.#total === 0) {
      return this.#terminal
        ? `\r${this.#label}${step}  ${parts.join("  ")}\x1b[K`
        : `${this.#label}${step}: ${parts[0]}`;
    }
    if (!this.#terminal) {
      return `${this.#label}${step}: ${count} (${Math.floor(frac * 100)}%), ${parts.join(", ")}`;
    }
    const width = 24;
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
    // \x1b[K clears what a longer earlier line left.
    return `\r${this.#label}${step} [${bar}] ${count}  ${parts.join("  ")}\x1b[K`;
  }
}
