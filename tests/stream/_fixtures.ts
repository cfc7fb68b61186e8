/** Small datasets written to temp folders for the stream tests. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import pl from "nodejs-polars";
import { commitDataset, schemaOf, writeTable } from "@lib/lake/mod.ts";
import { generateMsp, MSP_TABLES, MspConfig } from "@lib/generate/msp/mod.ts";
import { ReplayEvent } from "@lib/stream/mod.ts";
import type { Sink, SinkStats } from "@lib/stream/mod.ts";

/** Start of the capacity fixture: 2024-01-01T00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

/**
 * The CPU of server `s` at hour `h` in the capacity fixture (a deterministic saw that crosses 80 and 90).
 * @param s server index
 * @param h hour index
 * @returns percent
 */
export function cpuAt(s: number, h: number): number {
  return 40 + ((h * 7 + s * 13) % 58);
}

/**
 * Writes a capacity-like dataset: `servers` servers, one row an hour for `hours` hours, columns timestamp,
 * server_id, cpu_p95, mem_p95, disk_p95, net_in_p95, net_out_p95, is_weekend.
 * @param dir the dataset folder
 * @param options size and name
 * @returns the frame written
 */
export async function writeCapacity(
  dir: string,
  options: { servers?: number; hours?: number; name?: string } = {},
): Promise<pl.DataFrame> {
  const { servers = 3, hours = 24, name = "cap" } = options;
  const n = servers * hours;
  const ts = new Float64Array(n), cpu = new Float64Array(n), mem = new Float64Array(n), disk = new Float64Array(n);
  const ids: string[] = [];
  for (let s = 0, i = 0; s < servers; s++) {
    for (let h = 0; h < hours; h++, i++) {
      ts[i] = T0 + h * 3_600_000;
      ids.push(`srv-${String(s + 1).padStart(4, "0")}`);
      cpu[i] = cpuAt(s, h);
      mem[i] = 50 + s;
      disk[i] = 30 + h / 10;
    }
  }
  const df = pl.DataFrame({
    timestamp: pl.Series("timestamp", ts),
    server_id: ids,
    cpu_p95: pl.Series("cpu_p95", cpu),
    mem_p95: pl.Series("mem_p95", mem),
    disk_p95: pl.Series("disk_p95", disk),
    net_in_p95: pl.Series("net_in_p95", Float64Array.from(cpu, (c) => c * 2)),
    net_out_p95: pl.Series("net_out_p95", Float64Array.from(cpu, (c) => c)),
    is_weekend: Array.from(ts, (t) => [0, 6].includes(new Date(t).getUTCDay())),
  }).withColumns(pl.col("timestamp").cast(pl.Int64).cast(pl.Datetime("ms", "UTC")));
  await commitDataset(dir, async (tmp) => {
    // two files, split by server, as the capacity generator writes chunks
    const half = Math.ceil(servers / 2) * hours;
    const a = await writeTable(df.slice(0, half), tmp, { name: "part-0" });
    const b = await writeTable(df.slice(half, n - half), tmp, { name: "part-1" });
    return {
      name,
      kind: "capacity",
      layer: "synthetic",
      generator: { name: "tests", version: "1" },
      config: {},
      seed: 1,
      primary_table: "capacity",
      tables: { capacity: { rows: n, schema: schemaOf(df), files: n - half > 0 ? [a, b] : [a] } },
      classification: "internal",
      retention_days: 1,
      lineage: [],
    };
  });
  return df;
}

/**
 * Writes a small MSP dataset (generated, all six tables).
 * @param dir the dataset folder
 * @param overrides config keys
 * @returns the generated tables
 */
export async function writeMsp(dir: string, overrides: Record<string, unknown> = {}) {
  const config = MspConfig.parse({ clients: 6, technicians: 4, end: "2024-01-21", ...overrides });
  const ds = generateMsp(config);
  await commitDataset(dir, async (tmp) => {
    const tables: Record<string, { rows: number; schema: Record<string, string>; files: string[] }> = {};
    for (const name of MSP_TABLES) {
      const df = ds.tables[name];
      tables[name] = { rows: df.height, schema: schemaOf(df), files: [await writeTable(df, tmp, { name: name })] };
    }
    return {
      name: config.name,
      kind: "msp",
      layer: "synthetic",
      generator: { name: "tests", version: "1" },
      config: config as unknown as Record<string, unknown>,
      seed: config.seed,
      primary_table: "tickets",
      tables,
      classification: "internal",
      retention_days: 1,
      lineage: [],
    };
  });
  return ds;
}

/**
 * An event with the given time and channel (payload `{i}`), for engine and sink tests.
 * @param ts data time
 * @param i a sequence number
 * @param channel the channel
 * @returns the event
 */
export function ev(ts: number, i: number, channel: ReplayEvent["channel"] = "metrics"): ReplayEvent {
  return new ReplayEvent(
    { ts, channel, event: "test", key: `k-${i % 3}`, keyName: "id", dataset: "fixture" },
    { i, value: i * 1.5 },
  );
}

/** A sink that records each event and the wall time it arrived. */
export class CaptureSink implements Sink {
  readonly name = "capture";
  readonly events: ReplayEvent[] = [];
  readonly times: number[] = [];
  /** @param delayMs how long each write takes (backpressure) */
  constructor(readonly delayMs = 0) {}
  write(e: ReplayEvent): void | Promise<void> {
    this.events.push(e);
    this.times.push(performance.now());
    if (this.delayMs > 0) return new Promise((r) => setTimeout(r, this.delayMs));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  stats(): SinkStats {
    return { sent: this.events.length, dropped: 0 };
  }
}
