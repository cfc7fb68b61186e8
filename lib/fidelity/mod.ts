/**
 * Fidelity: how much a time-series dataset behaves like a real fleet. {@linkcode profileDataset} /
 * {@linkcode profileFrame} compute a small JSON profile of statistics (marginals, autocorrelations, calendar
 * effects, bounds, cross-metric correlations, tails, anomaly difficulty) with columns mapped by role;
 * {@linkcode compareProfiles} checks a profile against a reference profile (the 11 rows of issue 14's table as named
 * checks, then detail checks), {@linkcode compareTargets} against the issue's real figures, and
 * {@linkcode checkFidelity} against several references at once with one score. Built-in references:
 * `bitbrains_rnd` (computed from the GWA-T-12 Bitbrains traces) and `issue-targets`.
 *
 * @example
 * ```ts ignore
 * import { builtinProfile, compareProfiles, profileDataset } from "@lib/fidelity/mod.ts";
 * const p = await profileDataset("data/synthetic/capacity");
 * p.metrics.cpu.entity.mean.median;
 * compareProfiles(p, await builtinProfile("bitbrains_rnd")).score;
 * ```
 * @module
 */
export {
  type DifficultyProfile,
  ENTITY_STATS,
  FALSE_ALARM_RATE,
  type FidelityProfile,
  type MetricProfile,
  profileDataset,
  type ProfileDatasetOptions,
  profileFrame,
  type ProfileFrameOptions,
  type ProfileSource,
  Z_EXTREME,
  Z_WINDOW,
} from "./profile.ts";
export {
  DEFAULT_ROLES,
  type FidelityRoles,
  parseMetricRoles,
  resolveRoles,
  ROLE_TRAITS,
  type RoleTraits,
  roleTraits,
} from "./roles.ts";
export { type Dist, dist, distQuantile, ksCritical, ksDistance, LEVELS } from "./_stats.ts";
export {
  type CheckRule,
  compareProfiles,
  type Extracted,
  type FidelityCheck,
  type FidelityComparison,
  NAMED_CHECKS,
  type NamedCheck,
} from "./compare.ts";
export { compareTargets, ISSUE_TARGETS, ISSUE_TARGETS_NAME, type Target } from "./targets.ts";
export {
  asProfile,
  BUILTIN_REFERENCES,
  builtinProfile,
  checkFidelity,
  DEFAULT_REFERENCES,
  defaultReferences,
  type FidelityReport,
  fidelityTable,
  loadReference,
  type Reference,
} from "./references.ts";
