import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { kindProfile } from "@lib/report/mod.ts";
import { genericSeasonality } from "@lib/report/_generic_seasonality.ts";
import { summarizeViews } from "@lib/report/_views.ts";

const HOUR = 3_600_000;

Deno.test("seasonality of a plain time series comes from its roles: hour profile, 24 h autocorrelation, strength", () => {
  const n = 24 * 21;
  const t = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * HOUR));
  const x = t.map((d, i) => 100 + 30 * Math.sin((2 * Math.PI * d.getUTCHours()) / 24) + ((i * 7919) % 11) - 5);
  const df = pl.DataFrame([pl.Series("ts", t, pl.Datetime("ms", "UTC")), pl.Series("latency_ms", x)]);
  const s = genericSeasonality(df, kindProfile("unknown"))!;
  assert.equal(s.metric, "latency_ms");
  assert.equal(s.hour.length, 24);
  assert.equal(s.dow.length, 7);
  const at = (lag: number) => s.acf.find((p) => p.lag === lag)!.r;
  assert.ok(at(24) > 0.8 && at(12) < -0.6, `r(24)=${at(24)} r(12)=${at(12)}`);
  assert.ok(s.strength! > 0.8 && s.strength! <= 1, `strength ${s.strength}`);
  assert.equal(s.generic, true);
});

Deno.test("kind views count on the data: SLA compliance by priority equals the share of met tickets", () => {
  const priority = ["low", "low", "high", "high", "high", "critical"];
  const sla = ["met", "breached", "met", "met", "breached", "met"];
  const created = priority.map((_, i) => new Date(Date.UTC(2024, 0, 1, i)));
  const tickets = pl.DataFrame([
    pl.Series("priority", priority),
    pl.Series("sla_status", sla),
    pl.Series("created_at", created, pl.Datetime("ms", "UTC")),
    pl.Series("client_id", ["a", "b", "a", "b", "a", "b"]),
    pl.Series("technician_id", ["t1", "t1", "t2", "t2", "t2", "t1"]),
  ]);
  const views = summarizeViews({ tickets }, kindProfile("msp"));
  const desk = views.find((v) => v.id === "msp")!;
  const rate = desk.charts.find((c) => c.title === "SLA met by ticket priority")!;
  assert.equal(rate.type, "rate");
  if (rate.type !== "rate") return;
  assert.deepEqual(rate.keys, ["critical", "high", "low"]);
  assert.deepEqual(rate.v, [1, 2 / 3, 0.5]);
  const perHour = desk.charts.find((c) => c.title.startsWith("Tickets opened by hour"))!;
  assert.ok(perHour.type === "bars" && perHour.v.reduce((a, b) => a + b, 0) === 6);
  // Charts whose tables are missing (sla_metrics, service_delivery_daily) are left out, not drawn empty.
  assert.ok(!desk.charts.some((c) => c.title === "SLA met by SLA type"));
});
