import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import {
  faultDrawer,
  loadMspApiData,
  type MspApiData,
  type MspApiOptions,
  parseFaults,
  parseQuery,
  serveMspApi,
} from "@lib/api/msp/mod.ts";
import { smallMspDataset } from "./_msp_fixture.ts";

const KEY = "test-key-123", TENANT = "acme";
let data: MspApiData | undefined;
async function api(options: Partial<MspApiOptions> = {}) {
  data ??= await loadMspApiData(await smallMspDataset());
  return serveMspApi(data, { apiKey: KEY, tenant: TENANT, rateLimit: 0, ...options });
}

function post(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${KEY}`,
      customersubdomain: TENANT,
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
}

const TICKETS = `query Q($input: ListInfoInput!) { getTicketList(input: $input) {
  tickets { ticketId updatedTime client { accountId } } listInfo { hasMore nextCursor totalCount page } } }`;

Deno.test("serveMspApi() binds 127.0.0.1 and refuses a Host that is not loopback with 421", async () => {
  const s = await api();
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/msp$/);
    // fetch() sets Host from the URL; a raw request carries a rebinding name.
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
    await conn.write(
      new TextEncoder().encode(
        `GET /msp/schema.graphql HTTP/1.1\r\nHost: evil.example:${s.port}\r\nConnection: close\r\n\r\n`,
      ),
    );
    const reply = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    assert.match(reply, /^HTTP\/1\.1 421/);
    const ok = await fetch(s.url.replace("/msp", "/msp/schema.graphql"));
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /getTicketList\(input: ListInfoInput!\): TicketList!/);
  } finally {
    await s.close();
  }
});

Deno.test("serveMspApi() answers 401 without the Bearer key or with another tenant, and never echoes the key", async (t) => {
  const s = await api();
  try {
    for (
      const [name, headers] of [
        ["no Authorization", { authorization: "" }],
        ["a wrong key", { authorization: "Bearer nope" }],
        ["a wrong tenant", { customersubdomain: "other" }],
        ["no tenant", { customersubdomain: "" }],
      ] as const
    ) {
      await t.step(name, async () => {
        const res = await post(s.url, TICKETS, { input: {} }, headers);
        const text = await res.text();
        assert.equal(res.status, 401);
        assert.ok(!text.includes(KEY));
        assert.match(text, /UNAUTHENTICATED/);
      });
    }
    assert.equal(s.stats.unauthorized, 4);
  } finally {
    await s.close();
  }
});

Deno.test("serveMspApi() walks every ticket once by cursor, in updatedTime order, and by page too", async () => {
  const s = await api();
  try {
    const seen: string[] = [], times: string[] = [];
    let cursor: string | null = null, total = 0;
    for (let i = 0; i < 100; i++) {
      const res = await post(s.url, TICKETS, { input: { pageSize: 7, ...(cursor ? { cursor } : {}) } });
      const body = await res.json();
      const list = body.data.getTicketList;
      total = list.listInfo.totalCount;
      for (const t of list.tickets) (seen.push(t.ticketId), times.push(t.updatedTime));
      cursor = list.listInfo.nextCursor;
      if (!list.listInfo.hasMore) break;
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.deepEqual([...times].sort(), times);
    const byPage: string[] = [];
    for (let page = 1; page <= Math.ceil(total / 10); page++) {
      const body = await (await post(s.url, TICKETS, { input: { pageSize: 10, page } })).json();
      byPage.push(...body.data.getTicketList.tickets.map((t: { ticketId: string }) => t.ticketId));
    }
    assert.deepEqual(byPage, seen);
  } finally {
    await s.close();
  }
});

Deno.test("serveMspApi() filters by updatedTime greaterThanOrEqual and greaterThan", async () => {
  const s = await api();
  try {
    const all = data!.lists.getTicketList;
    const mid = new Date(all.updated[Math.floor(all.updated.length / 2)]).toISOString();
    const count = (operator: string) =>
      post(s.url, TICKETS, { input: { pageSize: 500, condition: { attribute: "updatedTime", operator, value: mid } } })
        .then((r) => r.json()).then((b) => b.data.getTicketList.listInfo.totalCount);
    const ms = Date.parse(mid);
    assert.equal(await count("greaterThanOrEqual"), Array.from(all.updated).filter((u) => u >= ms).length);
    assert.equal(await count("greaterThan"), Array.from(all.updated).filter((u) => u > ms).length);
  } finally {
    await s.close();
  }
});

Deno.test("serveMspApi() answers a GraphQL error for an unknown field or a bad pageSize, 400 for bad syntax", async () => {
  const s = await api();
  try {
    const unknown = await (await post(s.url, "{ getTicketList(input: {}) { tickets { nope } } }")).json();
    assert.match(unknown.errors[0].message, /Cannot query field "nope" on type "Ticket"/);
    const big = await (await post(s.url, "{ getTicketList(input: {pageSize: 100000}) { tickets { ticketId } } }"))
      .json();
    assert.match(big.errors[0].message, /pageSize must be an integer in 1\.\.500/);
    const bad = await post(s.url, "{ getTicketList(input: {) }");
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  } finally {
    await s.close();
  }
});

Deno.test("serveMspApi() answers 429 with Retry-After in whole seconds past the rate limit", async () => {
  const s = await api({ rateLimit: 60, burst: 2 });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await post(s.url, "{ getSnapshotInfo { asOf } }");
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
      await res.body?.cancel();
    }
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    assert.ok(statuses.slice(2).includes(429), `statuses ${statuses}`);
    assert.match(retryAfter ?? "", /^[1-9]\d*$/);
  } finally {
    await s.close();
  }
});

Deno.test("parseFaults() reads the spec and refuses unknown kinds, bad rates and sums above 1", () => {
  assert.deepEqual(parseFaults("429=0.05,500=0.02,timeout=0.01,truncate=0.01"), {
    "429": 0.05,
    "500": 0.02,
    timeout: 0.01,
    truncate: 0.01,
  });
  assert.deepEqual(parseFaults(""), {});
  assert.throws(() => parseFaults("503=0.1"), { name: "RangeError", message: /"503=0.1" must be KIND=RATE/ });
  assert.throws(() => parseFaults("500=2"), { name: "RangeError", message: /rate of "500" must be a number in 0..1/ });
  assert.throws(() => parseFaults("500=0.6,429=0.6"), { name: "RangeError", message: /sum to at most 1/ });
});

Deno.test("faultDrawer() gives the same faults for one seed and about the configured rates", () => {
  const draw = (seed: number) => {
    const d = faultDrawer({ "429": 0.1, "500": 0.05, timeout: 0.02, truncate: 0.03 }, seed);
    return Array.from({ length: 20_000 }, d);
  };
  const a = draw(42), b = draw(42), c = draw(43);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const rate = (k: string) => a.filter((x) => x === k).length / a.length;
  assert.ok(Math.abs(rate("429") - 0.1) < 0.01 && Math.abs(rate("500") - 0.05) < 0.008, `${rate("429")}`);
  assert.ok(Math.abs(rate("timeout") - 0.02) < 0.005 && Math.abs(rate("truncate") - 0.03) < 0.006);
});

Deno.test("serveMspApi() with truncate faults sends bodies that are not JSON; with 500 faults, 500s", async () => {
  for (const [kind, check] of [["truncate", 200], ["500", 500]] as const) {
    const s = await api({ faults: { [kind]: 1 } });
    try {
      const res = await post(s.url, TICKETS, { input: { pageSize: 5 } });
      assert.equal(res.status, check);
      const text = await res.text();
      if (kind === "truncate") assert.throws(() => JSON.parse(text), SyntaxError);
      assert.equal(s.stats.faults[kind], 1);
    } finally {
      await s.close();
    }
  }
});

Deno.test("parseQuery() reads variables, nested selections and literals, and refuses fragments and mutations", () => {
  const [root] = parseQuery(
    "query Sync($input: ListInfoInput!) { getTicketList(input: $input) { tickets { client { accountId } } } }",
    { input: { pageSize: 3, condition: { attribute: "updatedTime" } } },
  );
  assert.equal(root.name, "getTicketList");
  assert.deepEqual(root.args.input, { pageSize: 3, condition: { attribute: "updatedTime" } });
  assert.equal(root.selections?.[0].selections?.[0].name, "client");
  const [lit] = parseQuery(
    '{ getClientList(input: {page: 2, cursor: "a\\"b", x: [1, true, null]}) { clients { name } } }',
  );
  assert.deepEqual(lit.args.input, { page: 2, cursor: 'a"b', x: [1, true, null] });
  assert.throws(() => parseQuery("{ getTicketList { ...F } }"), { name: "GraphQLSyntaxError", message: /Fragments/ });
  assert.throws(() => parseQuery("mutation { x }"), { name: "GraphQLSyntaxError", message: /Only query operations/ });
  assert.throws(() => parseQuery("query Q($a: Int) { x(a: $a) }"), {
    name: "GraphQLSyntaxError",
    message: /"\$a" is not given/,
  });
});
