import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { ANOMALY_TYPE_NAMES, REGION_NAMES, TIER_NAMES } from "@lib/schema/anomalies.ts";
import { ARCHETYPES } from "@lib/schema/capacity.ts";
import { ANOMALY_TYPES } from "@lib/generate/anomalies/types/mod.ts";
import { REGIONS, TIERS } from "@lib/generate/anomalies/model.ts";
import { CapacityConfig } from "@lib/generate/capacity/config.ts";

// The row schemas in lib/schema list the values their enum columns take; the generators hold the models behind
// them (weights, ranges, offsets). A type, tier or region added to a generator must be added to its schema too.
Deno.test("the anomalies schema's type, tier and region names are the generator's, in its order", () => {
  assert.deepEqual([...ANOMALY_TYPE_NAMES], Object.keys(ANOMALY_TYPES));
  assert.deepEqual([...TIER_NAMES], Object.keys(TIERS));
  assert.deepEqual([...REGION_NAMES], Object.keys(REGIONS));
});

Deno.test("the capacity schema's archetypes are the config's", () => {
  const config = CapacityConfig.parse({});
  assert.deepEqual([...ARCHETYPES], Object.keys(config.archetypes));
});
