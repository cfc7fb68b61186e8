/**
 * Statistics that more than one area computes, so a figure on a report page and the check that judged it come
 * from one estimator: the autocorrelation of lagged pairs ({@linkcode lagCorrelation}) and the sample ACF of one
 * series ({@linkcode sampleAcf}).
 * @module
 */
export { lagCorrelation, type LagCorrelationOptions, sampleAcf } from "./acf.ts";
