import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * The built-in Bitbrains reference against the real traces in ../shared/real (read at test time): the committed
 * numbers are what the code computes from them, and each month of the trace on its own passes against them.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { join } from "node:path";
import { ingestGwa } from "@lib/ingest/gwa/mod.ts";
import { builtinProfile, compareProfiles, profileDataset, profileFrame, resolveRoles } from "@lib/fidelity/mod.ts";
import { readTable } from "@lib/lake/mod.ts";

const REAL = new URL("../../../shared/real/bitbrains_rnd", import.meta.url).pathname;

Deno.test("the built-in bitbrains_rnd profile is what the code computes from the real traces; each month passes", async () => {
  try {
    await Deno.stat(join(REAL, "2013-7"));
  } catch {
    throw new Error(`The real Bitbrains traces are missing at ${REAL}: see ../shared/real/README.md`);
  }
  const tmp = await Deno.makeTempDir({ prefix: "opslab-fidelity-ref-" });
  try {
    const out = join(tmp, "bitbrains");
    await ingestGwa(REAL, out, { created: new Date("2026-01-01T00:00:00Z") });
    const fresh = await profileDataset(out);
    const built = await builtinProfile("bitbrains_rnd");
    assert.deepEqual(fresh.metrics, built.metrics, "rebuild with: deno task fidelity:reference (see README)");
    assert.deepEqual(fresh.cross, built.cross);
    assert.deepEqual(fresh.acf_curve, built.acf_curve);
    assert.equal(built.roles.utcOffsetHours, 2);
    const hourly = readTable(join(out, "hourly.parquet"));
    const roles = { ...resolveRoles("gwa"), utcOffsetHours: 2 };
    for (const month of ["2013-7", "2013-8", "2013-9"]) {
      const p = profileFrame(hourly.filter(pl.col("month").eq(pl.lit(month))), {
        roles,
        source: { name: month, kind: "gwa" },
      });
      const c = compareProfiles(p, built);
      assert.deepEqual(c.named, { passed: 10, measured: 10, total: 11 }, month);
    }
    // The daily variant: daily P95 of the same 5-minute samples, used for daily data.
    const freshDaily = await profileDataset(out, { table: "daily" });
    const builtDaily = await builtinProfile("bitbrains_rnd", { granularity: "daily" });
    assert.equal(builtDaily.granularity, "daily");
    assert.deepEqual(
      freshDaily.metrics,
      builtDaily.metrics,
      "rebuild with: deno task fidelity:reference --table daily",
    );
    assert.deepEqual(freshDaily.cross, builtDaily.cross);
    assert.equal((await builtinProfile("bitbrains_rnd", { granularity: "hourly" })).granularity, "hourly");
    assert.equal((await builtinProfile("bitbrains_rnd", { granularity: "300s" })).granularity, "hourly");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
