/**
 * Anomaly-labeled service metrics: many series of `latency_ms`, `error_rate_pct` and `throughput_rps`, coupled as
 * real services are, with typed, precisely located, never-overlapping anomalies, labeled per point and listed as
 * events, plus a series table. Pure and seeded: each series draws from `entityStream(seed, { dataset: "anomalies", entity: id })`.
 *
 * @example
 * ```ts
 * import { generateAnomalies, rateTable } from "@lib/generate/anomalies/mod.ts";
 * const ds = generateAnomalies({ series: 50, seed: 1 });
 * console.log(ds.points.height, ds.events.height, rateTable(ds.stats).toString());
 * ```
 * @module
 */
export {
  AnomaliesConfig,
  type AnomaliesConfigInput,
  checkFit,
  type EnabledType,
  enabledTypes,
  freqToMs,
} from "./config.ts";
export {
  drawProfile,
  type Grid,
  type MetricName,
  METRICS,
  REGIONS,
  renderSeries,
  type SeriesBuffers,
  type SeriesProfile,
  type Tier,
  TIERS,
} from "./model.ts";
export { placeAnomalies, type PlacedAnomaly, shrinkToFit } from "./place.ts";
export {
  type AnomalyChunk,
  type AnomalyDataset,
  type AnomalyEvent,
  type AnomalyPlan,
  generateAnomalies,
  type GenerateAnomaliesOptions,
  generateAnomalyChunks,
  type GenerateChunksOptions,
  generateSeries,
  KIND,
  type LabelBuffers,
  makeScratch,
  METRIC_BOUNDS,
  planAnomalies,
  type Scratch,
  seriesId,
  type SeriesMeta,
  type SeriesResult,
} from "./generate.ts";
export { type ChunkData, concatFrames, eventsFrame, pointsFrame, seriesFrame } from "./frames.ts";
export { AnomalyEventRow, AnomalyPoint, AnomalySeriesRow } from "@lib/schema/anomalies.ts";
export {
  type AnomalyStats,
  combineAnomalyStats,
  formatStats,
  rateTable,
  StatsAccumulator,
  type TypeStats,
} from "./stats.ts";
export {
  ANOMALY_TYPE_NAMES,
  ANOMALY_TYPES,
  type AnomalyType,
  type AnomalyTypeName,
  type BaseParams,
  type Draft,
  envelope,
  localStats,
  type MetricKind,
  type Placed,
  type Realized,
  type SeriesContext,
  type Track,
} from "./types/mod.ts";
export {
  EXPORT_FORMATS,
  type ExportFile,
  type ExportFormat,
  NAB_PROBATIONARY_PERCENT,
  NAB_WINDOW_SIZE,
  NAB_WINDOWINGS,
  nabChunkLabels,
  nabDataFiles,
  type NabFileEntry,
  type NabFileLabels,
  nabFileLabels,
  type NabFileLabelsOptions,
  nabLabelFiles,
  nabTimestamp,
  type NabWindowing,
  timeevalDataFiles,
  timeevalIndexFile,
} from "./export.ts";
export {
  detectColumns,
  GENERATOR_VERSION,
  mergeAnomaliesShards,
  writeAnomaliesDataset,
  type WriteAnomaliesOptions,
  type WriteAnomaliesResult,
  writeInjectedDataset,
  type WriteInjectedOptions,
} from "./write.ts";
export {
  decompose,
  inferBounds,
  injectAnomalies,
  type InjectConflict,
  type InjectedSeries,
  type InjectOptions,
  type InjectResult,
  metricKind,
} from "./inject.ts";
export { type AnomalyExample, anomalyExamples, type AnomalyExamplesOptions } from "./examples.ts";
