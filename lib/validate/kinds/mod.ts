/**
 * The dataset kinds the validation engine knows, each registered by importing its file: a new kind is one file
 * here plus one line below.
 * @module
 */
export { capacityKind } from "./capacity.ts";
export { anomaliesKind, anomalyTargets } from "./anomalies.ts";
export { mspKind } from "./msp.ts";
