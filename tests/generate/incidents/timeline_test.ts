import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { ConfigError, resolveConfig } from "@lib/config/mod.ts";
import {
  buildFleet,
  generateTimeline,
  INCIDENT_TYPE_NAMES,
  IncidentsConfig,
  MODALITIES,
  period,
  planIncidents,
} from "@lib/generate/incidents/mod.ts";

const resolve = (flags: Record<string, unknown>) => resolveConfig(IncidentsConfig, { flags, what: "incidents" });
const FLEET = buildFleet(42, 120);

Deno.test("IncidentsConfig has fixed-date defaults and rejects bad input with one clear line", async (t) => {
  const c = IncidentsConfig.parse({});
  assert.deepEqual([c.from, c.to, c.incidents_per_week, c.seed, c.name], [
    "2024-03-04",
    "2024-03-18",
    4,
    42,
    "incidents",
  ]);
  assert.deepEqual(c.modalities, [...MODALITIES]);
  assert.equal(c.classification, "internal");
  assert.deepEqual(resolve({ modalities: "cloudfront,emails" }).modalities, ["cloudfront", "emails"]);
  for (
    const [flags, pattern] of [
      [{ to: "2024-03-04" }, /to .*must be after from/],
      [{ from: "2024-02-30" }, /from .*must be a real calendar date/],
      [{ modalities: "cloudfront,logs" }, /modalities/],
      [{ modalities: "emails,emails" }, /must not repeat/],
      [{ incidents_per_week: -1 }, /incidents_per_week/],
      [{ servers: 3 }, /servers/],
      [{ colour: "red" }, /colour|Unrecognized|unrecognized/],
    ] as const
  ) {
    await t.step(JSON.stringify(flags), () => {
      assert.throws(
        () => resolve(flags),
        (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes("\n"),
      );
    });
  }
});

Deno.test("the fleet is the capacity fleet: same ids and archetypes, database roles by service", () => {
  assert.equal(FLEET.servers.length, 120);
  assert.equal(FLEET.servers[0].id, "srv-0001");
  for (const [app, list] of FLEET.byApp) {
    const dbs = list.filter((s) => s.engine !== undefined);
    if (dbs.length === 0) continue;
    assert.equal(dbs.filter((s) => s.role === "primary").length, 1, app);
    assert.equal(dbs[0].role, "primary");
  }
  const engines = new Set(FLEET.servers.map((s) => s.engine).filter(Boolean));
  assert.deepEqual([...engines].sort(), ["mongodb", "mysql", "postgresql"]);
  for (const s of FLEET.servers) assert.match(s.ip, /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
});

Deno.test("every incident type can be drawn alone and tells a consistent story", async (t) => {
  for (const name of INCIDENT_TYPE_NAMES) {
    await t.step(name, () => {
      const types = Object.fromEntries(INCIDENT_TYPE_NAMES.map((n) => [n, { weight: n === name ? 1 : 0 }]));
      for (const seed of [42, 1337, 1211]) {
        const config = IncidentsConfig.parse({ seed, incidents_per_week: 6, types });
        const { incidents } = generateTimeline(config, buildFleet(seed, config.servers));
        assert.ok(incidents.length > 0, `${name} seed ${seed}`);
        for (const inc of incidents) {
          assert.equal(inc.type, name);
          assert.ok(inc.start < inc.detected && inc.detected < inc.mitigated && inc.mitigated < inc.resolved);
          assert.ok(inc.resolved <= inc.closed);
          for (const id of inc.servers) assert.ok(FLEET.servers.some((s) => s.id === id) || /^srv-\d{4}$/.test(id));
          assert.ok(inc.title.length > 10 && inc.words.cause.length > 10);
          if (inc.modalities.includes("db_logs")) assert.ok(inc.db && inc.servers.includes(inc.db.server));
          if (name === "certificate_expiry") assert.equal(inc.start % 3_600_000, 0, "certificates expire on the hour");
          if (name === "backup_failure") {
            assert.ok(new Date(inc.start).getUTCHours() < 5, "backups fail in the nightly window");
          }
        }
      }
    });
  }
});

Deno.test("the timeline follows incidents_per_week, stays inside the period and never overlaps", () => {
  const config = IncidentsConfig.parse({ from: "2024-01-01", to: "2024-07-01", incidents_per_week: 5, seed: 3 });
  const { incidents, drawn, dropped } = generateTimeline(config, FLEET);
  const { start, end } = period(config);
  const weeks = (end - start) / (7 * 86_400_000);
  assert.ok(Math.abs(drawn / weeks - 5) < 1.5, `drawn ${drawn} over ${weeks.toFixed(1)} weeks`);
  assert.equal(incidents.length, drawn - dropped);
  assert.ok(dropped / drawn < 0.05, `dropped ${dropped}`);
  incidents.forEach((inc, i) => {
    assert.equal(inc.id, `inc-${String(i + 1).padStart(4, "0")}`);
    assert.ok(inc.start >= start && inc.closed < end);
    if (i > 0) assert.ok(inc.start >= incidents[i - 1].resolved + 30 * 60_000, `${inc.id} overlaps its predecessor`);
  });
  const severities = new Set(incidents.map((i) => i.severity));
  assert.deepEqual([...severities].sort(), [1, 2, 3, 4]);
});

Deno.test("planIncidents() is deterministic and numbers tickets in opening order", () => {
  const a = planIncidents(IncidentsConfig.parse({ seed: 11 }));
  const b = planIncidents(IncidentsConfig.parse({ seed: 11 }));
  assert.deepEqual(JSON.stringify(a.timeline), JSON.stringify(b.timeline));
  assert.deepEqual(a.tickets, b.tickets);
  assert.equal(a.tickets.mainTicket.length, a.timeline.incidents.length);
  const opened = a.tickets.tickets.map((t) => t.opened_at);
  assert.deepEqual(opened, [...opened].sort((x, y) => x - y));
});
