import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  type FaultKind,
  loadMspApiData,
  type MspApiData,
  type MspApiOptions,
  serveMspApi,
  startWebhookEmitter,
} from "@lib/api/msp/mod.ts";
import {
  ingestMspApi,
  type IngestMspApiOptions,
  MspApiClient,
  readCheckpoint,
  readCredentials,
  startWebhookReceiver,
  TokenBucket,
} from "@lib/ingest/msp_api/mod.ts";
import { readTable } from "@lib/lake/mod.ts";
import { smallMspDataset, tableDifferences, tempDir } from "../api/_msp_fixture.ts";

const KEY = "s3cret-key-never-printed", TENANT = "acme";
const CREDS = { apiKey: KEY, tenant: TENANT };
let data: MspApiData | undefined;
async function serve(options: Partial<MspApiOptions> = {}, tweak?: (d: MspApiData) => MspApiData) {
  data ??= await loadMspApiData(await smallMspDataset());
  return serveMspApi(tweak ? tweak(structuredClone(data)) : data, {
    apiKey: KEY,
    tenant: TENANT,
    rateLimit: 0,
    ...options,
  });
}

/** Fast retries for tests: short backoff, a short timeout (timeout faults hold the request until the client quits). */
const FAST = { baseDelayMs: 10, maxDelayMs: 200, timeoutMs: 400, maxAttempts: 30 };

async function roundTrip(server: Partial<MspApiOptions>, options: Partial<IngestMspApiOptions> = {}) {
  const src = await smallMspDataset();
  const api = await serve(server);
  const out = join(await tempDir(), "msp");
  try {
    const result = await ingestMspApi(api.url, out, { credentials: CREDS, pageSize: 25, client: FAST, ...options });
    return { src, out, result, stats: api.stats };
  } finally {
    await api.close();
  }
}

Deno.test("ingestMspApi() round trip: the six tables equal the served dataset's, sorted", async () => {
  const { src, out, result } = await roundTrip({});
  assert.deepEqual(tableDifferences(src, out), []);
  const r = result.report;
  assert.equal(r.rows_read, r.rows_written + r.rows_quarantined);
  assert.equal(r.rows_quarantined, 0);
  assert.equal(result.manifest.kind, "msp");
  assert.ok(result.manifest.lineage.length >= 3);
  assert.ok(result.manifest.lineage.every((l) => /^[0-9a-f]{64}$/.test(l.sha256 ?? "")));
});

Deno.test("ingestMspApi() under a rate limit low enough to hit: waits on 429 + Retry-After, loses nothing", async () => {
  const { src, out, result, stats } = await roundTrip({ rateLimit: 240, burst: 2 });
  assert.ok(stats.rateLimited > 0, "the server never limited the client");
  assert.equal(result.client.rateLimited, stats.rateLimited);
  assert.ok(result.client.backoffMs >= 1000 * stats.rateLimited * 0.99, `backoff ${result.client.backoffMs} ms`);
  assert.deepEqual(tableDifferences(src, out), []);
});

Deno.test("ingestMspApi() with its own token bucket under the server's limit is never limited", async () => {
  const { src, out, result, stats } = await roundTrip({ rateLimit: 600, burst: 1 }, {
    client: { ...FAST, rps: 8, burst: 1 },
  });
  assert.equal(stats.rateLimited, 0);
  assert.ok(result.client.throttledMs > 0);
  assert.deepEqual(tableDifferences(src, out), []);
});

Deno.test("ingestMspApi() under every injected fault kind: nothing lost, nothing duplicated", async (t) => {
  for (const kind of ["429", "500", "timeout", "truncate"] as FaultKind[]) {
    await t.step(kind, async () => {
      const { src, out, result, stats } = await roundTrip({ faults: { [kind]: 0.3 }, seed: 3 });
      assert.ok(stats.faults[kind] > 0, `no ${kind} fault was injected`);
      assert.ok(result.client.retries >= stats.faults[kind]);
      assert.deepEqual(tableDifferences(src, out), []);
      const tickets = readTable(join(out, "tickets.parquet"));
      assert.equal(tickets.getColumn("ticket_id").nUnique(), tickets.height);
    });
  }
  await t.step("all four at once", async () => {
    const { src, out, stats } = await roundTrip({
      faults: { "429": 0.1, "500": 0.1, timeout: 0.1, truncate: 0.1 },
      seed: 11,
    });
    assert.ok(Object.values(stats.faults).filter((n) => n > 0).length >= 2);
    assert.deepEqual(tableDifferences(src, out), []);
  });
});

Deno.test("ingestMspApi() again on the same state fetches only what changed since, and builds the same dataset", async () => {
  const src = await smallMspDataset();
  const api = await serve();
  const dir = await tempDir();
  try {
    const first = await ingestMspApi(api.url, join(dir, "a"), {
      credentials: CREDS,
      pageSize: 20,
      stateDir: join(dir, "state"),
    });
    const total = Object.values(first.sync.fetched).reduce((n, f) => n + f.objects, 0);
    const second = await ingestMspApi(api.url, join(dir, "b"), {
      credentials: CREDS,
      pageSize: 20,
      stateDir: join(dir, "state"),
    });
    const again = Object.values(second.sync.fetched).reduce((n, f) => n + f.objects, 0);
    // Only the objects at the high-water mark come again (inclusive bound), one or a few per list.
    assert.ok(again >= 3 && again < total / 4, `${again} of ${total} fetched again`);
    assert.ok((second.report.repaired.superseded_versions ?? 0) >= 3);
    assert.deepEqual(tableDifferences(src, join(dir, "b")), []);
  } finally {
    await api.close();
  }
});

Deno.test("ingestMspApi() --since: only tickets updated since then, derived tables from them", async () => {
  const api = await serve();
  try {
    const all = data!.lists.getTicketList;
    const since = new Date(all.updated[Math.floor(all.updated.length * 0.75)]).toISOString();
    const out = join(await tempDir(), "msp");
    const r = await ingestMspApi(api.url, out, { credentials: CREDS, since, pageSize: 50 });
    const expected = Array.from(all.updated).filter((u) => u >= Date.parse(since)).length;
    assert.equal(r.report.rows_written, expected);
    assert.ok(expected > 0 && expected < all.records.length);
  } finally {
    await api.close();
  }
});

Deno.test("ingestMspApi() quarantines malformed objects with the reason; rows in = out + quarantined", async () => {
  const api = await serve({}, (d) => {
    // Tickets of other clients than the one made malformed, so each keeps its own reason.
    const first = d.lists.getClientList.records[0].accountId;
    const t = d.lists.getTicketList.records.filter((r) => (r.client as { accountId: string }).accountId !== first);
    t[0].createdTime = "2024-13-45 not a time";
    t[1].priority = "urgent!!";
    t[2].client = { accountId: "CL-9999", name: "nobody" };
    t[3].subject = 42;
    t[4].technician = { userId: "TECH-0404", name: "ghost" };
    t[5].actualHours = "3.5";
    d.lists.getClientList.records[0].employeeCount = 1.5;
    return d;
  });
  try {
    const out = join(await tempDir(), "msp");
    const r = await ingestMspApi(api.url, out, { credentials: CREDS, pageSize: 40 });
    const rep = r.report;
    assert.equal(rep.rows_read, rep.rows_written + rep.rows_quarantined);
    const q = readTable(join(out, "quarantine.parquet"));
    const reasons = q.getColumn("reason").toArray() as string[];
    for (
      const reason of [
        "invalid_createdTime",
        "invalid_priority",
        "invalid_subject",
        "unknown_technician",
        "invalid_actualHours",
        "invalid_employeeCount",
      ]
    ) {
      assert.ok(reasons.includes(reason), `${reason} not in ${reasons}`);
    }
    // The quarantined client's tickets, and the ticket naming an unknown client, are unknown_client.
    assert.ok(reasons.includes("unknown_client"));
    assert.equal(rep.preprocessing.clients_quarantined, 1);
    const tickets = readTable(join(out, "tickets.parquet"));
    assert.equal(tickets.height, rep.rows_written);
    assert.equal(rep.rows_read, data!.lists.getTicketList.records.length);
    assert.ok(q.filter(pl.col("source").str.startsWith("Ticket:")).height === rep.rows_quarantined);
  } finally {
    await api.close();
  }
});

Deno.test("readCredentials() takes env first, then the file, and names what is missing without values", async () => {
  const dir = await tempDir();
  const file = join(dir, "creds.json");
  await Deno.writeTextFile(file, JSON.stringify({ api_key: "from-file", tenant: "t-file" }));
  assert.deepEqual(await readCredentials({}, file), { apiKey: "from-file", tenant: "t-file" });
  assert.deepEqual(await readCredentials({ OPSLAB_MSP_API_KEY: "from-env" }, file), {
    apiKey: "from-env",
    tenant: "t-file",
  });
  await assert.rejects(() => readCredentials({ OPSLAB_MSP_TENANT: "x" }), { name: "TypeError", message: /no API key/ });
  await assert.rejects(() => readCredentials({ OPSLAB_MSP_API_KEY: "k" }), { name: "TypeError", message: /no tenant/ });
});

Deno.test("MspApiClient gives up on a 401 at once, with a message that does not hold the key", async () => {
  const api = await serve();
  try {
    const client = new MspApiClient(api.url, { apiKey: "wrong-" + KEY, tenant: TENANT }, FAST);
    await assert.rejects(() => client.query("{ getSnapshotInfo { asOf } }"), (e: Error) => {
      assert.match(e.message, /refused the credentials \(HTTP 401\)/);
      assert.ok(!e.message.includes(KEY));
      return true;
    });
    assert.equal(client.stats.requests, 1);
  } finally {
    await api.close();
  }
});

Deno.test("TokenBucket holds a rate: 11 takes at 20/s with burst 1 take about half a second", async () => {
  const b = new TokenBucket(20, 1);
  const t0 = performance.now();
  for (let i = 0; i < 11; i++) await b.take();
  const s = (performance.now() - t0) / 1000;
  assert.ok(s >= 0.45 && s < 1.5, `${s} s`);
  assert.throws(() => new TokenBucket(0), { name: "RangeError" });
});

Deno.test("webhooks: the emitter's signed ticket events reach the receiver in time order, once each", async () => {
  data ??= await loadMspApiData(await smallMspDataset());
  const events: string[] = [], times: string[] = [];
  const rx = startWebhookReceiver({
    secret: "hook-secret",
    onEvent: (e) => {
      events.push(e.eventId);
      times.push(e.occurredTime);
    },
  });
  try {
    const tx = startWebhookEmitter(data.events, { url: rx.url, secret: "hook-secret", speed: Infinity, max: 40 });
    await tx.done;
    assert.equal(tx.stats.delivered, 40);
    assert.deepEqual(events, data.events.slice(0, 40).map((e) => e.eventId));
    assert.deepEqual([...times].sort(), times);
    assert.ok(rx.drain().length > 0);
    // A redelivery is acknowledged and dropped; a wrong signature is refused.
    const again = startWebhookEmitter(data.events, { url: rx.url, secret: "hook-secret", speed: Infinity, max: 3 });
    await again.done;
    assert.equal(rx.stats.duplicates, 3);
    assert.equal(rx.stats.accepted, 40);
    const forged = startWebhookEmitter(data.events, {
      url: rx.url,
      secret: "wrong",
      speed: Infinity,
      max: 1,
      attempts: 2,
    });
    await forged.done;
    assert.equal(forged.stats.dropped, 1);
    assert.equal(rx.stats.rejected, 2);
    assert.throws(
      () => startWebhookEmitter(data!.events, { url: "http://example.com/hook", secret: "s" }),
      { name: "RangeError", message: /must be on 127\.0\.0\.1 or localhost/ },
    );
  } finally {
    await rx.close();
  }
});

Deno.test("webhooks: the server's emitter replays events on its clock (speed), not all at once", async () => {
  data ??= await loadMspApiData(await smallMspDataset());
  const at: number[] = [];
  const rx = startWebhookReceiver({ secret: "s", onEvent: () => void at.push(performance.now()) });
  const first = data.events[0].occurredMs, fifth = data.events[4].occurredMs;
  // Speed so that events 1..5 span about 0.6 s.
  const speed = (fifth - first) / 600;
  const api = await serve({ webhook: { url: rx.url, secret: "s", speed, max: 5 } });
  try {
    await api.webhook!.done;
    assert.equal(at.length, 5);
    const span = at[4] - at[0];
    assert.ok(span > 400 && span < 2000, `${span} ms`);
  } finally {
    await api.close();
    await rx.close();
  }
});

const PERMS = [
  "--no-prompt",
  "--allow-ffi=./node_modules",
  "--allow-sys",
  "--allow-env",
  "--allow-read",
  "--allow-write=/tmp",
  "--allow-net=127.0.0.1,localhost",
];

function ingestTask(args: string[], env: Record<string, string> = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMS, "tasks/ingest.ts", "msp-api", ...args],
    env: { OPSLAB_MSP_API_KEY: KEY, OPSLAB_MSP_TENANT: TENANT, ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await child.output();
  return { code, out: new TextDecoder().decode(stdout), err: new TextDecoder().decode(stderr) };
}

Deno.test("deno task ingest msp-api killed with SIGKILL mid-sync, then run again, completes the same dataset", async () => {
  const src = await smallMspDataset();
  // Slow enough to be caught mid-sync: 6 requests a second, 15 objects a page (about 23 pages).
  const api = await serve({ rateLimit: 360, burst: 1 });
  const dir = await tempDir();
  const out = join(dir, "msp"), state = join(dir, ".msp.msp-sync");
  try {
    const args = ["--url", api.url, "--output", out, "--page-size", "15", "--rps", "6", "--stats"];
    const child = ingestTask(args);
    let cp;
    for (let i = 0; i < 300; i++) {
      await new Promise((r) => setTimeout(r, 50));
      cp = await readCheckpoint(state).catch(() => undefined);
      if ((cp?.entities.getTicketList.pages ?? 0) >= 3) break;
    }
    child.kill("SIGKILL");
    const killed = await finish(child);
    assert.equal(killed.code, 137);
    assert.ok(cp && !cp.entities.getTicketList.done, "the sync was not caught mid-way");
    await assert.rejects(() => Deno.stat(join(out, "manifest.json")), Deno.errors.NotFound);
    const again = await finish(ingestTask(args));
    assert.equal(again.code, 0, again.err);
    const stats = JSON.parse(again.out.trim().split("\n").at(-1)!);
    const total = 6 + 3 + data!.lists.getTicketList.records.length;
    assert.ok(stats.fetched < total, `the rerun fetched ${stats.fetched} of ${total}: it started over`);
    assert.deepEqual(tableDifferences(src, out), []);
    // And the result passes the same validation as a generated MSP dataset.
    const v = await new Deno.Command(Deno.execPath(), {
      args: ["run", ...PERMS, "tasks/validate.ts", out],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(v.code, 0, new TextDecoder().decode(v.stdout) + new TextDecoder().decode(v.stderr));
  } finally {
    await api.close();
  }
});

Deno.test("deno task ingest msp-api takes no key on the command line and never prints the key", async () => {
  const api = await serve();
  try {
    const dir = await tempDir();
    const refused = await finish(ingestTask(["--url", api.url, "--api-key", KEY, "--output", join(dir, "a")]));
    assert.equal(refused.code, 2);
    assert.match(refused.err, /Unknown option '--api-key'/);
    const missing = await finish(
      ingestTask(["--url", api.url, "--output", join(dir, "b")], { OPSLAB_MSP_API_KEY: "" }),
    );
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no API key \(set OPSLAB_MSP_API_KEY/);
    const wrong = await finish(
      ingestTask(["--url", api.url, "--output", join(dir, "c")], { OPSLAB_MSP_API_KEY: `wrong-${KEY}` }),
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /refused the credentials \(HTTP 401\)/);
    const ok = await finish(ingestTask(["--url", api.url, "--output", join(dir, "d"), "--stats"]));
    assert.equal(ok.code, 0, ok.err);
    for (const r of [refused, missing, wrong, ok]) assert.ok(!(r.out + r.err).includes(KEY), "the key was printed");
    const files = [
      join(dir, "d", "manifest.json"),
      join(dir, "d", "report.json"),
      join(dir, ".d.msp-sync", "checkpoint.json"),
    ];
    for (const f of files) assert.ok(!(await Deno.readTextFile(f)).includes(KEY), `the key is in ${f}`);
  } finally {
    await api.close();
  }
});

Deno.test("deno task ingest msp-api --listen receives signed webhooks and syncs again after them", async () => {
  const api = await serve();
  const dir = await tempDir();
  try {
    const child = ingestTask(["--url", api.url, "--output", join(dir, "msp"), "--listen", "4"], {
      OPSLAB_MSP_WEBHOOK_SECRET: "hook",
    });
    const out = new Response(child.stdout).text();
    const err = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!/receiving webhooks on (\S+)/.test(text)) {
      const { value, done } = await err.read();
      if (done) break;
      text += value;
    }
    const url = /receiving webhooks on (\S+)/.exec(text)?.[1];
    assert.ok(url, text);
    const tx = startWebhookEmitter(data!.events, { url, secret: "hook", speed: Infinity, max: 5 });
    await tx.done;
    assert.equal(tx.stats.delivered, 5);
    for (;;) {
      const { value, done } = await err.read();
      if (done) break;
      text += value;
    }
    const { code } = await child.status;
    const stdout = await out;
    assert.equal(code, 0, text);
    assert.match(text, /webhooks \{"accepted":5,"duplicates":0,"rejected":0\}/);
    assert.match(stdout, /resynced after webhooks on \d+ tickets?: \d+ objects fetched; ingested msp-api/);
    const needsSecret = await finish(ingestTask(["--url", api.url, "--output", join(dir, "x"), "--listen", "1"]));
    assert.equal(needsSecret.code, 2);
    assert.match(needsSecret.err, /--listen needs a webhook secret/);
  } finally {
    await api.close();
  }
});
