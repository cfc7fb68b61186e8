/**
 * Fidelity: how much a time-series dataset behaves like a real fleet. {@linkcode profileDataset} /
 * {@linkcode profileFrame} compute a small JSON profile of statistics (marginals, autocorrelations, calendar
 * effects, bounds, cross-metric correlations, tails, anomaly difficulty) with columns mapped by role.
 *
 * @example
 * ```ts ignore
 * import { profileDataset } from "@lib/fidelity/mod.ts";
 * const p = await profileDataset("data/synthetic/capacity");
 * p.metrics.cpu.entity.mean.median;
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
