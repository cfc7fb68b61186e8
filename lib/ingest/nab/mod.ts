/**
 * The Numenta Anomaly Benchmark: read a NAB-layout folder (`data/<category>/<name>.csv`,
 * `labels/combined_windows.json`) into tidy frames with every quirk counted ({@linkcode readNab}), then derive the
 * hourly feature table with labels and a leak-free chronological split ({@linkcode processNab}).
 *
 * @example
 * ```ts ignore
 * import { processNab, readNab } from "@lib/ingest/nab/mod.ts";
 * const data = await readNab("data/raw/metrics/nab", { select: "all" });
 * const { hourly, report } = processNab(data, { agg: "p95" });
 * ```
 * @module
 */
export { type NabData, type NabDuplicatePolicy, type NabOrderPolicy, readNab, type ReadNabOptions } from "./read.ts";
export { type NabProcessed, processNab, type ProcessNabOptions } from "./process.ts";
export { NAB_TIME_FORMATS, parseNabPoints, parseNabTime, parseNabWindows, toUtc } from "./labels.ts";
export { findNabLayout, type NabFile, type NabLayout, selectNabFiles } from "./_layout.ts";
export { NabFormatError } from "./errors.ts";
export { NabIngestConfig } from "./config.ts";
export { ingestNab, type IngestNabOptions, type NabIngest } from "./dataset.ts";
