import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { freqToMs } from "@lib/generate/anomalies/config.ts";
import { fixture, FIXTURE_CONFIG, readText } from "./_fixture.ts";

const HOUR = 3_600_000;

interface IncidentRow {
  incident_id: string;
  type: string;
  start: Date;
  end: Date;
  mitigated_at: Date;
  closed_at: Date;
  modalities: string[];
  db_server: string | null;
  facts: string;
  ticket_id: string;
}

async function incidents(): Promise<IncidentRow[]> {
  const fx = await fixture();
  return fx.table("incidents").toRecords() as unknown as IncidentRow[];
}

/** Per incident id: count, earliest and latest time of rows labeled with it. */
function spans(df: pl.DataFrame, time: string): Map<string, { n: number; first: number; last: number }> {
  const g = df.filter(pl.col("incident_id").isNotNull()).groupBy("incident_id").agg(
    pl.len().alias("n"),
    pl.col(time).min().alias("first"),
    pl.col(time).max().alias("last"),
  );
  return new Map(
    (g.toRecords() as unknown as { incident_id: string; n: number; first: Date; last: Date }[]).map((r) => [
      r.incident_id,
      { n: r.n, first: r.first.getTime(), last: r.last.getTime() },
    ]),
  );
}

Deno.test("the fixture has incidents of most types, each with at least emails and tickets", async () => {
  const rows = await incidents();
  assert.ok(rows.length >= 8, `${rows.length} incidents`);
  assert.ok(new Set(rows.map((r) => r.type)).size >= 5, "five types or more");
  for (const r of rows) {
    assert.ok(r.modalities.includes("emails") && r.modalities.includes("tickets"));
    assert.ok(r.start < r.mitigated_at && r.mitigated_at <= r.end && r.end <= r.closed_at, r.incident_id);
  }
});

Deno.test("every incident appears in each log modality it should, only inside its span", async (t) => {
  const fx = await fixture();
  const rows = await incidents();
  for (const [modality, table] of [["db_logs", "db_log_labels"], ["cloudfront", "cloudfront_labels"]] as const) {
    await t.step(modality, () => {
      const labels = fx.table(table);
      const got = spans(labels, "timestamp");
      for (const r of rows) {
        const s = got.get(r.incident_id);
        if (!r.modalities.includes(modality)) {
          assert.equal(s, undefined, `${r.incident_id} (${r.type}) must not appear in ${modality}`);
          continue;
        }
        assert.ok(s && s.n > 0, `${r.incident_id} (${r.type}) must appear in ${modality}`);
        assert.ok(s.first >= r.start.getTime() && s.last <= r.end.getTime(), `${r.incident_id} inside its span`);
      }
      const background = labels.filter(pl.col("incident_id").isNull()).height;
      assert.ok(background / labels.height > 0.8, `${modality}: background dominates (${background}/${labels.height})`);
    });
  }
});

Deno.test("labeled database records tell the incident's story on the incident's server", async () => {
  const fx = await fixture();
  const rows = await incidents();
  const labels = fx.table("db_log_labels").filter(pl.col("incident_id").isNotNull());
  for (const r of rows.filter((x) => x.modalities.includes("db_logs"))) {
    const mine = labels.filter(pl.col("incident_id").eq(pl.lit(r.incident_id)));
    assert.deepEqual([...new Set(mine.getColumn("server_id").toArray())], [r.db_server], r.incident_id);
    const file = mine.getColumn("file").get(0) as string;
    const lines = (await readText(fx.dir, file)).split("\n");
    const text = (mine.filter(pl.col("file").eq(pl.lit(file))).getColumn("line").toArray() as number[])
      .map((l) => lines[l - 1]).join("\n");
    const facts = JSON.parse(r.facts);
    if (r.type === "access_breach_attempt") assert.ok(text.includes(facts.attacker_ip), "attacker address in the log");
    if (r.type === "disk_full") assert.match(text, /No space left on device|error number 28|"error":28|errno 28/);
    if (r.type === "backup_failure") assert.match(text, /archive command failed|failed too many times/);
  }
});

Deno.test("labeled CloudFront lines show 5xx bursts or the attacker, and background lines never carry an id", async () => {
  const fx = await fixture();
  const rows = await incidents();
  const labels = fx.table("cloudfront_labels");
  const texts = new Map<string, string[]>();
  for (const r of rows.filter((x) => x.modalities.includes("cloudfront"))) {
    const mine = labels.filter(pl.col("incident_id").eq(pl.lit(r.incident_id))).toRecords() as unknown as {
      file: string;
      line: number;
    }[];
    const fields = [];
    for (const { file, line } of mine) {
      if (!texts.has(file)) texts.set(file, (await readText(fx.dir, file)).split("\n"));
      fields.push(texts.get(file)![line - 1].split("\t"));
    }
    const facts = JSON.parse(r.facts);
    if (facts.attacker_ip) {
      assert.ok(fields.some((f) => f[4] === facts.attacker_ip && f[5] === "POST"), `${r.incident_id}: login attempts`);
    } else {
      assert.ok(fields.some((f) => Number(f[8]) >= 500), `${r.incident_id} (${r.type}): some 5xx`);
    }
    assert.ok(fields.every((f) => f[13] !== "Hit"), `${r.incident_id}: cache hits are never hurt`);
  }
  // Attack traffic only ever appears labeled.
  const attackers = new Set(rows.map((r) => JSON.parse(r.facts).attacker_ip).filter(Boolean));
  const bg = labels.filter(pl.col("incident_id").isNull()).head(20_000).toRecords() as unknown as {
    file: string;
    line: number;
  }[];
  for (const { file, line } of bg) {
    if (!texts.has(file)) texts.set(file, (await readText(fx.dir, file)).split("\n"));
    const f = texts.get(file)![line - 1].split("\t");
    assert.ok(!(attackers.has(f[4]) && f[7] === "/api/v1/login" && f[5] === "POST"), "no attack line unlabeled");
  }
});

Deno.test("metric anomalies sit on the incident's servers and services inside its span", async () => {
  const fx = await fixture();
  const rows = await incidents();
  const capacity = fx.table("capacity_metrics");
  const service = fx.table("service_metrics");
  const step = freqToMs(FIXTURE_CONFIG.volumes.service_metrics_step);
  const cap = spans(capacity, "timestamp");
  const svc = spans(service, "timestamp");
  for (const r of rows) {
    const c = cap.get(r.incident_id), s = svc.get(r.incident_id);
    if (!r.modalities.includes("metrics")) {
      assert.ok(!c && !s, r.incident_id);
      continue;
    }
    assert.ok(c || s, `${r.incident_id} (${r.type}) appears in the metrics`);
    // A row covers [timestamp, timestamp + step): it must overlap [start, end].
    if (c) assert.ok(c.first + HOUR > r.start.getTime() && c.last <= r.end.getTime(), `${r.incident_id} capacity span`);
    if (s) assert.ok(s.first + step > r.start.getTime() && s.last <= r.end.getTime(), `${r.incident_id} service span`);
  }
  const anomalies = fx.table("metric_anomalies");
  assert.ok(anomalies.height > 0);
  const shapes = new Set(anomalies.getColumn("anomaly").toArray() as string[]);
  for (const s of shapes) {
    assert.match(s, /^(incident|spike|level_shift|memory_leak|gc_sawtooth|thundering_herd|batch_window)$/);
  }
  // Labels and values agree: a labeled capacity row is the anomaly; its neighbours outside are untouched.
  const labeled = capacity.filter(pl.col("incident_id").isNotNull());
  assert.equal(labeled.height, labeled.filter(pl.col("anomaly").isNotNull()).height);
  assert.ok(capacity.filter(pl.col("incident_id").isNull()).height / capacity.height > 0.95);
});

Deno.test("every incident has e-mails and tickets dated inside [start, closed_at], and tickets name the main ticket", async () => {
  const fx = await fixture();
  const rows = await incidents();
  const emails = spans(fx.table("email_index"), "date");
  const tickets = fx.table("tickets");
  const opened = spans(tickets, "opened_at");
  for (const r of rows) {
    for (const [what, got] of [["emails", emails], ["tickets", opened]] as const) {
      const s = got.get(r.incident_id);
      assert.ok(s && s.n > 0, `${r.incident_id} has ${what}`);
      assert.ok(s.first >= r.start.getTime() && s.last <= r.closed_at.getTime(), `${r.incident_id} ${what} in span`);
    }
    const mine = tickets.filter(pl.col("incident_id").eq(pl.lit(r.incident_id)));
    const main = mine.filter(pl.col("parent_ticket_id").isNull()).getColumn("ticket_id").toArray();
    assert.deepEqual(main, [r.ticket_id], `${r.incident_id}: one main ticket, the one in the incidents table`);
    for (const p of mine.getColumn("parent_ticket_id").toArray()) assert.ok(p === null || p === r.ticket_id);
  }
  const background = tickets.filter(pl.col("incident_id").isNull());
  assert.ok(background.height > tickets.height / 2, "background tickets dominate");
  assert.equal(background.filter(pl.col("severity").isNotNull()).height, 0, "background tickets carry no severity");
  const ids = tickets.getColumn("ticket_id").toArray() as string[];
  assert.deepEqual(ids, [...ids].sort(), "numbered in opening order");
});
