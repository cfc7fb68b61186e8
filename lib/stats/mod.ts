/**
 * Statistics that more than one area computes, so a figure on a report page and the check that judged it come
 * from one estimator: the autocorrelation of lagged pairs ({@linkcode lagCorrelation}), the sample ACF of one
 * series ({@linkcode sampleAcf}), and the two-sample drift statistics of the compare page ({@linkcode ksStatistic},
 * {@linkcode psi}, {@linkcode wasserstein1}).
 * @module
 */
export { lagCorrelation, type LagCorrelationOptions, sampleAcf } from "./acf.ts";
export {
  categoryPsi,
  kolmogorovQ,
  type KsResult,
  ksStatistic,
  psi,
  type PsiOptions,
  quantileSorted,
  wasserstein1,
  type Wasserstein1Normalized,
  wasserstein1Normalized,
  type Wasserstein1NormalizedOptions,
} from "./drift.ts";
