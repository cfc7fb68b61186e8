/**
 * Statistics that more than one area computes, so a figure on a report page and the check that judged it come
 * from one estimator: the autocorrelation ({@linkcode lagCorrelation}).
 * @module
 */
export { lagCorrelation, type LagCorrelationOptions } from "./acf.ts";
