import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { zipSync } from "fflate";
import { fetchKaggleDataset, kaggleCredentials, KaggleError, safeEntryPath } from "@lib/ingest/kaggle/mod.ts";
import { main } from "../../tasks/fetch.ts";
import { withTemp } from "./_util.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const CREDS = { username: "opslab-test", key: "k3y", from: "test" };
const NAB_ZIP = zipSync({
  "realAWSCloudwatch/realAWSCloudwatch/ec2_cpu_utilization_x.csv": enc("timestamp,value\n2014-02-14 14:30:00,0.132\n"),
  "LICENSE": enc("GNU AFFERO GENERAL PUBLIC LICENSE\n"),
  "README.md": enc("# NAB\n"),
  "empty/": new Uint8Array(),
});

/** A stand-in for Kaggle's API on loopback: checks basic auth, serves zips, redirects like Kaggle does. */
async function withServer(fn: (base: string, seen: string[]) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    seen.push(url.pathname);
    if (url.pathname === "/storage/nab.zip") {
      return new Response(NAB_ZIP, { headers: { "content-type": "application/zip" } });
    }
    if (req.headers.get("authorization") !== `Basic ${btoa("opslab-test:k3y")}`) {
      return new Response("no", { status: 401 });
    }
    switch (url.pathname) {
      case "/api/v1/datasets/download/numenta/nab":
        return new Response(null, { status: 302, headers: { location: "/storage/nab.zip" } });
      case "/api/v1/datasets/download/x/html":
        return new Response("<html>sign in</html>", { headers: { "content-type": "text/html" } });
      case "/api/v1/datasets/download/x/evil":
        return new Response(zipSync({ "../escape.txt": enc("x") }));
      case "/api/v1/datasets/download/x/boom":
        return new Response("oops", { status: 500 });
      default:
        return new Response("not found", { status: 404 });
    }
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/api/v1`, seen);
  } finally {
    await server.shutdown();
  }
}

Deno.test("fetchKaggleDataset() downloads with basic auth, follows the redirect and unzips with LICENSE and README", async () => {
  await withServer(async (base, seen) => {
    await withTemp(async (tmp) => {
      const dest = join(tmp, "raw", "metrics", "nab");
      await Deno.mkdir(dest, { recursive: true });
      await Deno.writeTextFile(join(dest, "stale.txt"), "old");
      const got = await fetchKaggleDataset("numenta/nab", dest, { baseUrl: base, credentials: CREDS });
      assert.deepEqual(seen, ["/api/v1/datasets/download/numenta/nab", "/storage/nab.zip"]);
      assert.deepEqual(got.files, [
        "LICENSE",
        "README.md",
        "realAWSCloudwatch/realAWSCloudwatch/ec2_cpu_utilization_x.csv",
      ]);
      assert.equal(got.bytes, NAB_ZIP.length);
      assert.match(await Deno.readTextFile(join(dest, "LICENSE")), /AFFERO/);
      const source = JSON.parse(await Deno.readTextFile(join(dest, "SOURCE.json")));
      assert.equal(source.dataset, "numenta/nab");
      assert.equal(source.sha256, got.sha256);
      await assert.rejects(() => Deno.stat(join(dest, "stale.txt")), Deno.errors.NotFound);
      const left = [...Deno.readDirSync(join(tmp, "raw", "metrics"))].map((e) => e.name);
      assert.deepEqual(left, ["nab"]);
    });
  });
});

Deno.test("fetchKaggleDataset() fails with one clear line and writes nothing: refused, not a zip, unsafe zip, HTTP error", async (t) => {
  await withServer(async (base) => {
    await withTemp(async (tmp) => {
      const cases: [string, string, RegExp, string][] = [
        ["refused credentials", "numenta/nab", /refused the credentials of "wrong".*HTTP 401/, "auth"],
        ["not a zip", "x/html", /not a zip \(content-type text\/html/, "format"],
        ["zip-slip", "x/evil", /outside the destination/, "format"],
        ["server error", "x/boom", /HTTP 500/, "http"],
        ["missing", "x/none", /no such dataset \(HTTP 404/, "http"],
      ];
      for (const [name, dataset, message, kind] of cases) {
        await t.step(name, async () => {
          const creds = name === "refused credentials" ? { ...CREDS, username: "wrong" } : CREDS;
          const dest = join(tmp, name.replaceAll(" ", "_"));
          await assert.rejects(
            () => fetchKaggleDataset(dataset, dest, { baseUrl: base, credentials: creds }),
            (e: Error) =>
              e instanceof KaggleError && e.kind === kind && message.test(e.message) && !e.message.includes("\n"),
          );
          await assert.rejects(() => Deno.stat(dest), Deno.errors.NotFound);
        });
      }
      assert.deepEqual([...Deno.readDirSync(tmp)], []);
    });
  });
});

Deno.test("fetchKaggleDataset() says the host is unreachable when offline", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await withTemp(async (tmp) => {
    await assert.rejects(
      () =>
        fetchKaggleDataset("numenta/nab", join(tmp, "nab"), {
          baseUrl: `http://127.0.0.1:${port}/api/v1`,
          credentials: CREDS,
        }),
      (e: Error) =>
        e instanceof KaggleError && e.kind === "network" &&
        /cannot reach 127\.0\.0\.1:\d+.*offline\?; download it from https:\/\/www\.kaggle\.com\/datasets\/numenta\/nab/
          .test(e.message),
    );
  });
});

Deno.test("kaggleCredentials() reads KAGGLE_USERNAME/KAGGLE_KEY, else kaggle.json, else says what to set", async () => {
  assert.deepEqual(await kaggleCredentials({ env: { KAGGLE_USERNAME: "u", KAGGLE_KEY: "k" } }), {
    username: "u",
    key: "k",
    from: "env",
  });
  await assert.rejects(() => kaggleCredentials({ env: { KAGGLE_USERNAME: "u" } }), /KAGGLE_KEY is not set/);
  await withTemp(async (dir) => {
    await assert.rejects(
      () => kaggleCredentials({ env: { KAGGLE_CONFIG_DIR: dir } }),
      /no credentials \(no .*kaggle\.json\); set KAGGLE_USERNAME and KAGGLE_KEY/,
    );
    await Deno.writeTextFile(join(dir, "kaggle.json"), '{"username":"me","key":"abc"}');
    assert.deepEqual(await kaggleCredentials({ env: { KAGGLE_CONFIG_DIR: dir } }), {
      username: "me",
      key: "abc",
      from: join(dir, "kaggle.json"),
    });
    await Deno.writeTextFile(join(dir, "kaggle.json"), '{"user":"me"}');
    await assert.rejects(() => kaggleCredentials({ env: { KAGGLE_CONFIG_DIR: dir } }), /must hold \{"username"/);
  });
  assert.equal(safeEntryPath("a/b.csv"), "a/b.csv");
  assert.equal(safeEntryPath("dir/"), null);
  assert.throws(() => safeEntryPath("/etc/passwd"), KaggleError);
  assert.throws(() => safeEntryPath("a/../../b"), KaggleError);
});

Deno.test("the fetch task downloads into --dest through OPSLAB_KAGGLE_URL and exits 1 or 2 with a message", async () => {
  await withServer(async (base) => {
    await withTemp(async (tmp) => {
      const saved = ["OPSLAB_KAGGLE_URL", "KAGGLE_USERNAME", "KAGGLE_KEY"].map((k) => [k, Deno.env.get(k)] as const);
      try {
        Deno.env.set("OPSLAB_KAGGLE_URL", base);
        Deno.env.set("KAGGLE_USERNAME", "opslab-test");
        Deno.env.set("KAGGLE_KEY", "k3y");
        assert.equal(await main(["nab", "--dest", join(tmp, "nab")]), 0);
        assert.ok((await Deno.stat(join(tmp, "nab", "LICENSE"))).isFile);
        Deno.env.set("KAGGLE_KEY", "bad");
        assert.equal(await main(["nab", "--dest", join(tmp, "nab2")]), 1);
        assert.equal(await main(["nope"]), 2);
        assert.equal(await main(["--help"]), 0);
      } finally {
        for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
      }
    });
  });
});
