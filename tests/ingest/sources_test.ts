import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { zipSync } from "fflate";
import { listKinds, listSources, registerKind, type SourceInfo } from "@lib/kinds/mod.ts";
import { ingestSource, kaggleSources, rawDirOr, sourceDatasetName } from "@lib/ingest/sources.ts";
import { main as fetchMain } from "../../tasks/fetch.ts";
import { main as ingestMain } from "../../tasks/ingest.ts";
import { withTemp } from "./_util.ts";

/** A source declared once, in a test kind's descriptor: nothing else in the code names it. */
const TINY_SOURCE: SourceInfo = {
  id: "tiny-src",
  title: "A tiny test source",
  summary: "the test source of sources_test.ts",
  task: "tasks/ingest_nab.ts",
  kaggle: "tests/tiny",
  url: "https://example.invalid/tiny",
  license: "CC0-1.0",
  modality: "sensors",
  name: "tiny",
};

registerKind({
  kind: "tiny-source",
  origin: "ingested",
  description: TINY_SOURCE.title,
  primary: "rows",
  sources: [TINY_SOURCE],
}); // the one registration line of the test source

/** Runs fn with console.log and console.error captured. */
async function captured(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const { log, error } = console;
  const out: string[] = [], err: string[] = [];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    const code = await fn();
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("the built-in sources come from the kind registry, each with its task", () => {
  assert.deepEqual(listSources().map((s) => s.id).filter((id) => id !== "tiny-src"), [
    "nab",
    "cloudfront",
    "tickets",
    "gwa",
    "msp-api",
  ]);
  assert.deepEqual(kaggleSources().map((s) => s.id), ["nab", "cloudfront", "tickets", "tiny-src"]);
  for (const s of listSources()) assert.ok(Deno.statSync(s.task).isFile, `${s.id}: task ${s.task} missing`);
  assert.equal(sourceDatasetName("nab"), "metrics/nab");
  assert.equal(sourceDatasetName("msp-api"), "tickets/msp");
  assert.equal(listKinds().find((d) => d.sources?.some((s) => s.id === "msp-api"))?.kind, "msp");
  assert.throws(() => ingestSource("nope"), {
    name: "RangeError",
    message: /Unknown source "nope": expected one of nab, cloudfront/,
  });
});

Deno.test("a source is one registration: ingest and fetch list it, fetch downloads it into its lake folder", async () => {
  assert.equal(sourceDatasetName("tiny-src"), "sensors/tiny");
  const ingestHelp = await captured(() => ingestMain(["--help"]));
  assert.equal(ingestHelp.code, 0);
  assert.match(ingestHelp.out, /tiny-src\s+the test source of sources_test\.ts/);
  assert.match(ingestHelp.out, /msp-api\s+an MSP platform's GraphQL API/);
  const fetchHelp = await captured(() => fetchMain(["--help"]));
  assert.match(fetchHelp.out, /tiny-src\s+kaggle\.com\/datasets\/tests\/tiny -> data\/raw\/sensors\/tiny/);
  const typo = await captured(() => fetchMain(["tiny-sr"]));
  assert.equal(typo.code, 2);
  assert.match(typo.err, /expected one source of nab, cloudfront, tickets, tiny-src, got "tiny-sr".*tiny-src/);

  const zip = zipSync({ "readings.csv": new TextEncoder().encode("at,value\n2024-01-01T00:00:00Z,1\n") });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const ok = new URL(req.url).pathname === "/api/v1/datasets/download/tests/tiny" &&
      req.headers.get("authorization") === `Basic ${btoa("opslab-test:k3y")}`;
    return ok
      ? new Response(zip, { headers: { "content-type": "application/zip" } })
      : new Response("no", { status: 404 });
  });
  const saved = ["OPSLAB_KAGGLE_URL", "KAGGLE_USERNAME", "KAGGLE_KEY"].map((k) => [k, Deno.env.get(k)] as const);
  try {
    await withTemp(async (lake) => {
      Deno.env.set("OPSLAB_KAGGLE_URL", `http://127.0.0.1:${server.addr.port}/api/v1`);
      Deno.env.set("KAGGLE_USERNAME", "opslab-test");
      Deno.env.set("KAGGLE_KEY", "k3y");
      const got = await captured(() => fetchMain(["tiny-src", "--lake", lake]));
      assert.equal(got.code, 0, got.err);
      const dir = join(lake, "raw", "sensors", "tiny");
      assert.match(await Deno.readTextFile(join(dir, "readings.csv")), /^at,value/);
      assert.equal(await rawDirOr("tiny-src", "fallback", { lake }), `${lake}/raw/sensors/tiny`);
      assert.equal(await rawDirOr("tiny-src", "fallback", { lake: join(lake, "empty") }), "fallback");
    });
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    await server.shutdown();
  }
});

Deno.test("registering a source id another kind already registers fails, naming both", () => {
  assert.throws(
    () =>
      registerKind({
        kind: "twin",
        origin: "ingested",
        description: "a second nab",
        primary: "rows",
        sources: [{ ...TINY_SOURCE, id: "nab" }],
      }),
    { name: "TypeError", message: /Cannot register kind "twin": source "nab" is already registered by kind "nab"/ },
  );
  assert.equal(listKinds().some((d) => d.kind === "twin"), false);
});
