/**
 * GWA-T-12 VM traces (Bitbrains, Grid Workloads Archive): read a `<month>/<vm>.csv` folder with every quirk of the
 * real files handled and counted ({@linkcode readGwa}), aggregate to hourly P95 per VM-month
 * ({@linkcode hourlyP95}), and write it into the lake ({@linkcode ingestGwa}).
 *
 * @example
 * ```ts ignore
 * import { ingestGwa } from "@lib/ingest/gwa/mod.ts";
 * await ingestGwa("../shared/real/bitbrains_rnd", "data/processed/metrics/bitbrains");
 * ```
 * @module
 */
export { GWA_FIELDS, GWA_HEADER, type GwaData, GwaFormatError, hourlyP95, periodP95, readGwa } from "./read.ts";
export { GwaIngestConfig } from "./config.ts";
export { type GwaIngest, ingestGwa, type IngestGwaOptions } from "./dataset.ts";
