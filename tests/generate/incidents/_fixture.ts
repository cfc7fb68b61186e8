/**
 * One small incidents dataset, generated once per test process into a temp dir and shared by the test files.
 * @module
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import { IncidentsConfig, type IncidentsConfigInput, writeIncidentsDataset } from "@lib/generate/incidents/mod.ts";
import type { Manifest } from "@lib/lake/mod.ts";

/** The fixture's config: one week, dense in incidents, light in background, every modality. */
export const FIXTURE_INPUT: IncidentsConfigInput = {
  seed: 7,
  from: "2024-03-04",
  to: "2024-03-11",
  incidents_per_week: 14,
  volumes: {
    cloudfront_requests_per_day: 5000,
    db_records_per_server_hour: 6,
    tickets_per_day: 12,
    emails_per_day: 5,
    service_metrics_step: "15m",
  },
};

/** The fixture's resolved config. */
export const FIXTURE_CONFIG = IncidentsConfig.parse(FIXTURE_INPUT);

/** A generated dataset. */
export interface Fixture {
  dir: string;
  manifest: Manifest;
  /** Reads a table (all its parts). */
  table(name: string): pl.DataFrame;
}

let cached: Promise<Fixture> | undefined;

/**
 * Writes a dataset for a config into a fresh temp dir.
 * @param input the config
 * @returns the fixture
 */
export async function makeDataset(input: IncidentsConfigInput): Promise<Fixture> {
  const root = await Deno.makeTempDir({ prefix: "opslab-incidents-" });
  const dir = join(root, "ds");
  const manifest = await writeIncidentsDataset(IncidentsConfig.parse(input), dir, {
    created: new Date("2024-04-01T00:00:00Z"),
  });
  return {
    dir,
    manifest,
    table(name: string) {
      const files = manifest.tables[name]?.files ?? [];
      if (files.length === 0) throw new Error(`fixture has no table "${name}"`);
      const frames = files.map((f) => pl.readParquet(join(dir, f)));
      return frames.length === 1 ? frames[0] : pl.concat(frames, { how: "vertical" });
    },
  };
}

/** The shared fixture dataset (generated on first use). */
export function fixture(): Promise<Fixture> {
  cached ??= makeDataset(FIXTURE_INPUT);
  return cached;
}

/**
 * The text of a dataset file (gunzipped when it ends in `.gz`).
 * @param dir the dataset folder
 * @param file the relative path
 * @returns the text
 */
export async function readText(dir: string, file: string): Promise<string> {
  const bytes = await Deno.readFile(join(dir, file));
  if (!file.endsWith(".gz")) return new TextDecoder().decode(bytes);
  const { gunzipSync } = await import("node:zlib");
  return new TextDecoder().decode(gunzipSync(bytes));
}

/**
 * Every file of the dataset under a folder, relative paths, sorted.
 * @param fx the fixture
 * @param prefix the folder, e.g. `db_logs/`
 * @returns the paths
 */
export function filesUnder(fx: Fixture, prefix: string): string[] {
  return fx.manifest.files.map((f) => f.path).filter((p) => p.startsWith(prefix)).sort();
}
