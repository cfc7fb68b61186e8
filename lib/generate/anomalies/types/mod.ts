/**
 * The anomaly types, by name. A new type is one file in this folder plus one line in {@linkcode ANOMALY_TYPES}.
 *
 * @example
 * ```ts
 * import { ANOMALY_TYPES } from "@lib/generate/anomalies/types/mod.ts";
 * console.log(Object.keys(ANOMALY_TYPES)); // ["spike", "dip", ...]
 * ```
 * @module
 */
import type { AnomalyType } from "./_common.ts";
import { spike } from "./spike.ts";
import { dip } from "./dip.ts";
import { levelShift } from "./level_shift.ts";
import { drift } from "./drift.ts";
import { varianceChange } from "./variance_change.ts";
import { seasonalChange } from "./seasonal_change.ts";
import { missing } from "./missing.ts";
import { flatline } from "./flatline.ts";
import { pattern } from "./pattern.ts";
import { incident } from "./incident.ts";
import { gcSawtooth } from "./gc_sawtooth.ts";
import { thunderingHerd } from "./thundering_herd.ts";
import { batchWindow } from "./batch_window.ts";
import { memoryLeak } from "./memory_leak.ts";

export type { AnomalyType, BaseParams, Draft, MetricKind, Placed, Realized, SeriesContext, Track } from "./_common.ts";
export { envelope, localStats } from "./_common.ts";

/** Every anomaly type, keyed by its name (the order is the order of type codes in the output). */
export const ANOMALY_TYPES = {
  spike,
  dip,
  level_shift: levelShift,
  drift,
  variance_change: varianceChange,
  seasonal_change: seasonalChange,
  missing,
  flatline,
  pattern,
  incident,
  gc_sawtooth: gcSawtooth,
  thundering_herd: thunderingHerd,
  batch_window: batchWindow,
  memory_leak: memoryLeak,
} as const satisfies Record<string, AnomalyType>;

/** The name of an anomaly type. */
export type AnomalyTypeName = keyof typeof ANOMALY_TYPES;

/** The type names, in registry order. */
export const ANOMALY_TYPE_NAMES = Object.keys(ANOMALY_TYPES) as AnomalyTypeName[];
