/** Small lakes and inputs for the report tests, all in temp folders. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import pl from "nodejs-polars";
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { AnomaliesConfig, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { commitDataset, type Manifest, scanTable, schemaOf, writeTable } from "@lib/lake/mod.ts";
import type { ReportInput } from "@lib/report/mod.ts";
import type { CheckResult, DatasetValidation } from "@lib/validate/types.ts";

/** Text that must come out escaped wherever it appears. */
export const NASTY = `<script>alert("x")</script> & 'q' <b>`;

const CREATED = new Date("2026-01-01T00:00:00Z");

/**
 * A lake with a small capacity dataset, a small anomalies dataset and an odd dataset whose names need escaping.
 * @returns the lake root (a temp folder) and the dataset folders
 */
export async function makeLake(): Promise<{ root: string; dirs: Record<string, string> }> {
  const root = await Deno.makeTempDir({ prefix: "opslab-report-lake-" });
  const dirs = {
    capacity: join(root, "synthetic", "capacity"),
    anomalies: join(root, "synthetic", "anomalies"),
    odd: join(root, "synthetic", "odd"),
  };
  await writeCapacityDataset(
    resolveConfig(CapacityConfig, { flags: { servers: 16, years: 1, seed: 7 }, what: "capacity" }),
    dirs.capacity,
    { created: CREATED },
  );
  await writeAnomaliesDataset(AnomaliesConfig.parse({ series: 40, points: 720, seed: 3 }), dirs.anomalies, {
    created: CREATED,
  });
  await commitDataset(dirs.odd, async (tmp) => {
    const df = oddFrame();
    const file = await writeTable(df, tmp, { name: "odd" });
    return {
      name: "odd",
      kind: "misc",
      layer: "synthetic",
      generator: { name: `hand & <made>`, version: "0.0.1" },
      config: { note: NASTY },
      seed: null,
      primary_table: "odd",
      tables: { odd: { rows: df.height, schema: schemaOf(df), files: [file] } },
      classification: "public",
      retention_days: 7,
      lineage: [{ source: NASTY, relation: `copied "as is"` }],
    };
  }, { created: CREATED });
  return { root, dirs };
}

/** A frame with a column name that needs escaping, text values, nulls and a time column. */
export function oddFrame(): pl.DataFrame {
  const n = 50;
  return pl.DataFrame([
    pl.Series("timestamp", Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1, i))), pl.Datetime("ms")),
    pl.Series(`x<y&"z'`, Float64Array.from({ length: n }, (_, i) => Math.sin(i / 4) * 10)),
    pl.Series("note", Array.from({ length: n }, (_, i) => i % 5 === 0 ? null : `${NASTY}${i}`), pl.String),
    pl.Series("count", Int32Array.from({ length: n }, (_, i) => i)),
  ]);
}

/**
 * Reads a dataset folder into a report input (every table, collected).
 * @param dir the dataset folder
 * @param manifest its manifest
 * @param validation validation results to attach
 * @returns the input
 */
export function inputOf(dir: string, manifest: Manifest, validation: DatasetValidation | null = null): ReportInput {
  const tables = Object.fromEntries(
    Object.keys(manifest.tables).map((t) => [t, scanTable(dir, manifest, { table: t }).collectSync()]),
  );
  return { manifest, tables, validation };
}

/**
 * Validation results with measured values of every shape and text that needs escaping.
 * @param dataset the dataset name
 * @returns the results
 */
export function fakeValidation(dataset: string): DatasetValidation {
  const results: CheckResult[] = [
    {
      id: "completeness.null_rate:cpu_p95",
      family: "completeness",
      severity: "error",
      passed: true,
      measured: 0,
      threshold: "<= 0.01",
      message: "no nulls",
    },
    {
      id: "correlation.pearson:web:cpu_p95|mem_p95",
      family: "correlation",
      severity: "error",
      passed: false,
      measured: 0.123456789,
      threshold: "0.50 ± 0.15",
      message: NASTY,
    },
    {
      id: `validity.range:<col>&"x"`,
      family: "validity",
      severity: "warning",
      passed: false,
      measured: `between <0> & "100"`,
      threshold: `<= 'max'`,
      message: "text measured value",
    },
    {
      id: "time.cadence",
      family: "time",
      severity: "info",
      passed: true,
      measured: null,
      threshold: "regular",
      message: "not measured",
    },
  ];
  return {
    dataset,
    path: `data/synthetic/${dataset}`,
    kind: "capacity",
    rows: 1,
    validated: "2026-01-02T00:00:00.000Z",
    results,
    summary: { passed: 2, failed: 2, errors: 1, warnings: 1 },
  };
}
