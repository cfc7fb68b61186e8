/**
 * The anomalies kind: anomaly-labeled service metrics (points with labels, an event table and series metadata).
 * @module
 */
import { AnomaliesConfig } from "@lib/generate/anomalies/config.ts";
import { ANOMALIES_PROFILE } from "@lib/report/kinds.ts";
import { AnomalyEventRow, AnomalyPoint, AnomalySeriesRow } from "@lib/schema/anomalies.ts";
import type { KindDescriptor } from "../registry.ts";
import { anomaliesKind } from "./validate.ts";

export { anomaliesKind, anomalyTargets } from "./validate.ts";

/** The anomalies kind's descriptor. */
export const anomalies: KindDescriptor = {
  kind: "anomalies",
  origin: "generated",
  description: anomaliesKind.description,
  primary: "points",
  tables: { points: AnomalyPoint, events: AnomalyEventRow, series: AnomalySeriesRow },
  config: AnomaliesConfig,
  task: "tasks/generate_anomalies.ts",
  validation: anomaliesKind,
  report: ANOMALIES_PROFILE,
};
