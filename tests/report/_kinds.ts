/**
 * A small lake holding one dataset of every kind the reports know, for the layout tests: capacity, anomalies,
 * incidents, msp (generated), NAB, CloudFront, tickets (ingested from tests/fixtures/ingest), plus an external
 * CSV file opslab never made. Small sizes: the whole lake is written in a few seconds.
 */
import { join } from "node:path";
import { resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig, writeCapacityDataset } from "@lib/generate/capacity/mod.ts";
import { AnomaliesConfig, writeAnomaliesDataset } from "@lib/generate/anomalies/mod.ts";
import { IncidentsConfig, writeIncidentsDataset } from "@lib/generate/incidents/mod.ts";
import { MspConfig, writeMspDataset } from "@lib/generate/msp/mod.ts";
import { ingestNab } from "@lib/ingest/nab/mod.ts";
import { ingestCloudFront } from "@lib/ingest/cloudfront/mod.ts";
import { ingestTickets } from "@lib/ingest/tickets/mod.ts";

const CREATED = new Date("2026-01-01T00:00:00Z");
const FIXTURES = new URL("../fixtures/ingest/", import.meta.url).pathname;

/** A small incidents dataset: 4 days, 16 servers, 14 incidents a week, light volumes (written in seconds). */
export const SMALL_INCIDENTS = {
  seed: 11,
  from: "2024-03-04",
  to: "2024-03-08",
  servers: 16,
  incidents_per_week: 14,
  volumes: {
    cloudfront_requests_per_day: 1500,
    db_records_per_server_hour: 4,
    tickets_per_day: 6,
    emails_per_day: 3,
    service_metrics_step: "15m",
  },
};

/** The dataset folders of {@linkcode makeKindsLake}, by report name. */
export interface KindsLake {
  root: string;
  dirs: Record<string, string>;
  /** An external CSV file (outside the lake). */
  csv: string;
}

/**
 * Writes the lake into a temp folder.
 * @returns the root, the dataset folders and the external CSV
 */
export async function makeKindsLake(): Promise<KindsLake> {
  const root = await Deno.makeTempDir({ prefix: "opslab-report-kinds-" });
  const dirs = {
    capacity: join(root, "synthetic", "capacity"),
    anomalies: join(root, "synthetic", "anomalies"),
    incidents: join(root, "synthetic", "incidents"),
    msp: join(root, "synthetic", "msp"),
    nab: join(root, "processed", "metrics", "nab"),
    cloudfront: join(root, "processed", "logs", "cloudfront"),
    tickets: join(root, "processed", "tickets", "tickets"),
  };
  await writeCapacityDataset(
    resolveConfig(CapacityConfig, { flags: { servers: 12, years: 1, seed: 7 }, what: "capacity" }),
    dirs.capacity,
    { created: CREATED },
  );
  await writeAnomaliesDataset(AnomaliesConfig.parse({ series: 40, points: 720, seed: 3 }), dirs.anomalies, {
    created: CREATED,
  });
  await writeIncidentsDataset(
    IncidentsConfig.parse(SMALL_INCIDENTS),
    dirs.incidents,
    { created: CREATED },
  );
  await writeMspDataset(
    MspConfig.parse({ clients: 16, technicians: 8, desks: 4, start: "2024-01-01", end: "2024-03-31" }),
    dirs.msp,
    { created: CREATED },
  );
  await ingestNab(join(FIXTURES, "nab"), dirs.nab, { config: { select: "all" } });
  await ingestCloudFront(join(FIXTURES, "cloudfront"), dirs.cloudfront);
  await ingestTickets(join(FIXTURES, "tickets"), dirs.tickets);
  const csv = join(root, "external.csv");
  const lines = ["ts,host,latency_ms,status,region"];
  for (let i = 0; i < 500; i++) {
    const t = new Date(Date.UTC(2025, 0, 1) + i * 600_000).toISOString();
    lines.push(
      `${t},host-${i % 7},${(20 + 10 * Math.sin(i / 12) + (i % 5)).toFixed(2)},${i % 41 === 0 ? 500 : 200},${
        i % 3 === 0 ? "" : "eu-west-1"
      }`,
    );
  }
  await Deno.writeTextFile(csv, lines.join("\n") + "\n");
  return { root, dirs, csv };
}
