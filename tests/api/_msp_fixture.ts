import { join } from "node:path";
import pl from "nodejs-polars";
import { MSP_TABLES, MspConfig, writeMspDataset } from "@lib/generate/msp/mod.ts";
import { readTable } from "@lib/lake/mod.ts";

const made: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of made) {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch {
      // already gone
    }
  }
});

/** A fresh temp folder, removed when the test module ends. */
export async function tempDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "opslab-msp-api-" });
  made.push(dir);
  return dir;
}

let small: Promise<string> | undefined;

/**
 * A small generated MSP dataset (6 clients, 3 technicians, two months: 291 tickets), made once per module.
 * @returns its folder
 */
export function smallMspDataset(): Promise<string> {
  small ??= (async () => {
    const dir = join(await tempDir(), "msp-small");
    const config = MspConfig.parse({
      name: "msp-small",
      clients: 6,
      technicians: 3,
      ticket_rate_scale: 4,
      end: "2024-02-29",
      seed: 7,
    });
    const { manifest, results } = await writeMspDataset(config, dir);
    if (!manifest) {
      throw new Error(`the small MSP dataset failed its checks: ${results.filter((r) => !r.passed).map((r) => r.id)}`);
    }
    return dir;
  })();
  return small;
}

const KEYS: Record<string, string[]> = {
  clients: ["client_id"],
  technicians: ["technician_id"],
  tickets: ["ticket_id"],
  sla_metrics: ["ticket_id", "sla_type"],
  service_delivery_daily: ["date"],
  technician_productivity: ["technician_id", "period"],
};

/**
 * The six MSP tables of a dataset folder, each sorted by its key.
 * @param dir the folder
 * @returns table name to frame
 */
export function sortedTables(dir: string): Record<string, pl.DataFrame> {
  return Object.fromEntries(MSP_TABLES.map((t) => [t, readTable(join(dir, `${t}.parquet`)).sort(KEYS[t])]));
}

/**
 * The tables of `b` that differ from `a` (sorted, nulls equal, dtypes included), with the first differing column.
 * @param a a dataset folder
 * @param b another
 * @returns descriptions of the differences; empty when equal
 */
export function tableDifferences(a: string, b: string): string[] {
  const ta = sortedTables(a), tb = sortedTables(b);
  const out: string[] = [];
  for (const t of MSP_TABLES) {
    const x = ta[t], y = tb[t];
    if (JSON.stringify(x.schema) !== JSON.stringify(y.schema)) out.push(`${t}: schema differs`);
    else if (x.height !== y.height) out.push(`${t}: ${x.height} rows against ${y.height}`);
    else if (!x.frameEqual(y, true)) {
      const col = x.columns.find((c) => !x.getColumn(c).seriesEqual(y.getColumn(c), true, true));
      out.push(`${t}: column ${col} differs`);
    }
  }
  return out;
}
