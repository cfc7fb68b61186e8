/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** What is counted, e.g. `rows`. @default "rows" */
  unit?: string;
  /** Draw even when stderr is not a terminal. @default false */
  force?: boolean;
}

/**
 * A progress bar on stderr (done / total, rate, ETA), drawn only when stderr is a terminal so logs and CI stay
 * quiet.
 */
export class Progress {
  readonly #total: number;
  readonly #label: string;
  readonly #unit: string;
  readonly #enabled: boolean;
  readonly #start = performance.now();
  #done = 0;
  #lastDraw = 0;

  /**
   * @param label what is being done
   * @param total how many units in all
   * @param options unit and forcing
   */
  constructor(label: string, total: number, options: ProgressOptions = {}) {
    const { unit = "rows", force = false } = options;
    this.#label = label;
    this.#total = total;
    this.#unit = unit;
    this.#enabled = force || Deno.stderr.isTerminal();
  }

  /** @param n units just finished */
  tick(n: number): void {
    this.#done += n;
    const now = performance.now();
    if (this.#enabled && (now - this.#lastDraw > 100 || this.#done >= this.#total)) {
      this.#lastDraw = now;
      this.#draw(now);
    }
  }

  /** Ends the bar with a newline. */
  finish(): void {
    if (this.#enabled) {
      this.#draw(performance.now());
      Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    }
  }

  #draw(now: number): void {
    const secs = (now - this.#start) / 1000;
    const frac = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 1;
    const rate = secs > 0 ? this.#done / secs : 0;
    const eta = rate > 0 ? (this.#total - this.#done) / rate : 0;
    const width = 24;
    const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
    const line = `\r${this.#label} [${bar}] ${this.#done.toLocaleString("en-US")}/${
      this.#total.toLocaleString("en-US")
    } ${this.#unit} ${Math.round(rate).toLocaleString("en-US")}/s ETA ${eta.toFixed(1)}s `;
    Deno.stderr.writeSync(new TextEncoder().encode(line));
  }
}
