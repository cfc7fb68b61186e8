/**
 * Config for every generator: zod schemas with documented defaults, resolved from a file, flags and environment.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveConfig } from "@lib/config/mod.ts";
 * import { CapacityConfig } from "@lib/generate/capacity/mod.ts";
 * const config = resolveConfig(CapacityConfig, { flags: { servers: 10 } });
 * assert.equal(config.servers, 10);
 * ```
 * @module
 */
export { ConfigError, ConfigFileError, type ConfigIssue, toConfigIssues } from "./errors.ts";
export { closest, didYouMean, type DidYouMeanOptions } from "./suggest.ts";
export { coerceValue, resolveConfig, type ResolveConfigOptions } from "./resolve.ts";
export { readConfigFile } from "./file.ts";
