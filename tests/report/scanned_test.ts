/**
 * Reports of tables scanned lazily (above the loader's `inMemoryRows`) are the same pages as from tables in memory,
 * but for the last digits of sums taken over the files in another order.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { AnomaliesConfig, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { ScannedTable } from "@lib/lake/mod.ts";
import { buildReport } from "@lib/report/mod.ts";
import { loadForValidation, validateLoaded } from "@lib/validate/mod.ts";

const CREATED = new Date("2026-01-01T00:00:00Z");

/** A page with every decimal number cut to 10 significant digits: sums over files in another order differ in the last. */
function rounded(html: string): string {
  return html.replace(/-?\d+\.\d+(e[-+]?\d+)?/g, (x) => String(Number(Number(x).toPrecision(10))));
}

async function pages(dir: string): Promise<{ memory: string; scanned: string; files: number }> {
  const out: string[] = [];
  let files = 0;
  for (const inMemoryRows of [Number.MAX_SAFE_INTEGER, 0]) {
    const loaded = await loadForValidation(dir, { inMemoryRows });
    const validation = validateLoaded(loaded, { validated: CREATED }).toJSON();
    const primary = loaded.tables[loaded.primary];
    if (primary instanceof ScannedTable) files = primary.files.length;
    out.push(rounded(buildReport({ manifest: loaded.manifest!, tables: loaded.tables, validation }).html));
  }
  return { memory: out[0], scanned: out[1], files };
}

Deno.test("capacity and anomaly reports from scanned part files equal those from memory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-report-scanned-" });
  try {
    const capacity = resolveConfig(CapacityConfig, {
      flags: { servers: 24, years: 1, granularity: "hourly", rows_per_file: 4 * 8760, seed: 2 },
      what: "capacity",
    });
    await writeCapacityDataset(capacity, `${dir}/capacity`, { created: CREATED });
    const cap = await pages(`${dir}/capacity`);
    assert.equal(cap.files, 6);
    assert.ok(cap.memory.includes('id="correlation"') && cap.memory.includes('id="seasonality"'));
    assert.equal(cap.scanned, cap.memory);

    const anomalies = resolveConfig(AnomaliesConfig, {
      flags: { series: 100, points: 1440, rows_per_file: 40_000, seed: 2 },
      what: "anomalies",
    });
    await writeAnomaliesDataset(anomalies, `${dir}/anomalies`, { created: CREATED });
    const ano = await pages(`${dir}/anomalies`);
    assert.ok(ano.files > 1);
    assert.ok(ano.memory.includes('id="anomalies"'));
    assert.equal(ano.scanned, ano.memory);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
