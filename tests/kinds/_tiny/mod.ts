/**
 * A small dataset kind defined only for tests: its own folder, one descriptor, one registration line in the test.
 * Shows that a kind is one registration: validation, report, replay, docs and the kind list pick it up.
 * @module
 */
import { z } from "zod";
import type { KindDescriptor } from "@lib/kinds/registry.ts";
import type { KindSpec } from "@lib/validate/registry.ts";
import type { KindProfile } from "@lib/report/kinds.ts";
import type { ReplaySpec } from "@lib/stream/source.ts";

/** One reading of a tiny sensor. */
export const TinyRow = z.strictObject({
  sensor_id: z.string().regex(/^s-\d+$/).describe("sensor id, `s-1` …"),
  at: z.date().describe("time of the reading, UTC"),
  temp_c: z.number().min(-40).max(125).describe("temperature, °C (-40-125)"),
});

/** The tiny kind's config. */
export const TinyConfig = z.strictObject({ sensors: z.int().min(1).default(2) });

const validation: KindSpec = {
  kind: "tiny",
  description: "tiny sensor readings (a test kind)",
  primary: "readings",
  tables: () => ({ readings: { record: TinyRow, key: ["sensor_id", "at"], pii: false } }),
};

const report: KindProfile = { entity: "sensor_id", units: { temp_c: "°C" }, seriesMetrics: ["temp_c"] };

const replay: ReplaySpec = {
  tables: [],
  static: ["readings"],
  staticReason: "the tiny kind replays nothing",
  specs: () => [],
};

/** The tiny kind's descriptor. */
export const tiny: KindDescriptor = {
  kind: "tiny",
  origin: "generated",
  description: validation.description,
  primary: "readings",
  tables: { readings: TinyRow },
  config: TinyConfig,
  validation,
  report,
  replay,
};
