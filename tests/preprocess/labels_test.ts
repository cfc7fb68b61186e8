import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { labelWindows } from "@lib/preprocess/mod.ts";
import { H, M, T0, times } from "./_frames.ts";

const windows = pl.DataFrame([
  pl.Series("series_id", ["a", "b"]),
  times("start", [T0 + 2 * H + 30 * M, T0]),
  times("end", [T0 + 4 * H, T0 + 10 * M]),
]);

Deno.test("labelWindows() marks hourly buckets that overlap a closed window, per series", () => {
  const rows = pl.DataFrame([
    pl.Series("series_id", ["a", "a", "a", "a", "a", "a", "b"]),
    times("timestamp", [0, 1, 2, 3, 4, 5, 1].map((h) => T0 + h * H)),
  ]);
  const r = labelWindows(rows, windows, { every: "1h" });
  // Hour 2 overlaps 02:30, hour 4 starts exactly at the window's inclusive end; b's hour 1 is after its window.
  assert.deepEqual(r.getColumn("is_anomaly").toArray(), [false, false, true, true, true, false, false]);
  assert.deepEqual(r.getColumn("series_id").toArray(), rows.getColumn("series_id").toArray());
});

Deno.test("labelWindows() marks points inside [start, end] and nothing when there are no windows", () => {
  const rows = pl.DataFrame([
    pl.Series("series_id", ["a", "a", "a", "a"]),
    times("timestamp", [T0 + 2 * H + 29 * M, T0 + 2 * H + 30 * M, T0 + 4 * H, T0 + 4 * H + 1]),
  ]);
  assert.deepEqual(labelWindows(rows, windows).getColumn("is_anomaly").toArray(), [false, true, true, false]);
  const none = labelWindows(rows, windows.head(0));
  assert.deepEqual(none.getColumn("is_anomaly").toArray(), [false, false, false, false]);
});
