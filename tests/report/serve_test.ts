import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { createHandler } from "../../tasks/serve.ts";

const root = await Deno.makeTempDir({ prefix: "opslab-serve-" });
await Deno.mkdir(join(root, "capacity"));
await Deno.writeTextFile(join(root, "index.html"), "<!doctype html><title>index</title>");
await Deno.writeTextFile(join(root, "capacity", "index.html"), "<!doctype html><title>capacity</title>");
const outside = await Deno.makeTempDir({ prefix: "opslab-serve-outside-" });
await Deno.writeTextFile(join(outside, "secret.txt"), "secret");
addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
  Deno.removeSync(outside, { recursive: true });
});

Deno.test("the serve handler serves files and folder index pages, and nothing else", async (t) => {
  const handle = createHandler(root);
  const get = (path: string, method = "GET") =>
    handle(new Request(`http://127.0.0.1${path}`, { method, headers: { host: "127.0.0.1:8000" } }));
  const cases: [string, string, number, string | null][] = [
    ["/", "GET", 200, "<!doctype html><title>index</title>"],
    ["/index.html", "GET", 200, "<!doctype html><title>index</title>"],
    ["/capacity/", "GET", 200, "<!doctype html><title>capacity</title>"],
    ["/capacity/index.html", "GET", 200, "<!doctype html><title>capacity</title>"],
    ["/missing/", "GET", 404, null],
    ["/%2e%2e/" + outside.split("/").pop() + "/secret.txt", "GET", 404, null],
    ["/..%2f..%2fetc%2fpasswd", "GET", 404, null],
    ["/%E0%A4%A", "GET", 400, null],
    ["/", "POST", 405, null],
    ["/", "DELETE", 405, null],
  ];
  for (const [path, method, status, body] of cases) {
    await t.step(`${method} ${path} -> ${status}`, async () => {
      const res = await get(path, method);
      assert.equal(res.status, status);
      const text = await res.text();
      if (body !== null) assert.equal(text, body);
      assert.ok(!text.includes("secret"));
    });
  }
  await t.step("a folder without the slash redirects", async () => {
    const res = await get("/capacity");
    assert.equal(res.status, 301);
    assert.equal(res.headers.get("location"), "/capacity/");
  });
  await t.step("HEAD gives type and length without a body", async () => {
    const res = await get("/capacity/index.html", "HEAD");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(res.headers.get("content-length"), "38");
    assert.equal(await res.text(), "");
  });
});

Deno.test("deno task serve answers on 127.0.0.1 and its --help and bad flags behave", async () => {
  const script = new URL("../../tasks/serve.ts", import.meta.url).pathname;
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", `--allow-read=${root}`, "--allow-net=127.0.0.1", script, ...args],
      stdout: "piped",
      stderr: "piped",
    });
  const help = await run(["--help"]).output();
  assert.equal(help.code, 0);
  assert.match(new TextDecoder().decode(help.stdout), /^Usage: deno task serve/);
  const bad = await run(["--port", "http"]).output();
  assert.equal(bad.code, 2);
  assert.equal(
    new TextDecoder().decode(bad.stderr).trim(),
    `error: Cannot serve: --port must be an integer from 0 to 65535, got "http"`,
  );

  const child = run(["--root", root, "--port", "0"]).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!/http:\/\/127\.0\.0\.1:\d+\//.test(line)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`serve exited early: ${line}`);
      line += value;
    }
    reader.releaseLock();
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)![0];
    const res = await fetch(`${url}capacity/`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "<!doctype html><title>capacity</title>");
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
  }
});

/** Starts `tasks/serve.ts` on a free port with the task's own permissions (read the served folder only). */
async function startServer(dir: string): Promise<{ port: number; stop: () => Promise<void> }> {
  const script = new URL("../../tasks/serve.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", `--allow-read=${dir}`, "--allow-net=127.0.0.1", script, "--root", dir, "--port", "0"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  while (!/127\.0\.0\.1:(\d+)\//.test(line)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited early: ${line}`);
    line += value;
  }
  reader.releaseLock();
  const port = Number(/127\.0\.0\.1:(\d+)\//.exec(line)![1]);
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel().catch(() => {});
    },
  };
}

/** A symlink made with ln (Deno.symlink needs unscoped read and write, which the tests do not have). */
async function symlink(target: string, path: string): Promise<void> {
  const out = await new Deno.Command("ln", { args: ["-s", target, path], stderr: "piped" }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

/** One raw HTTP/1.1 request, so the path and Host header go out exactly as written (no client normalising). */
async function raw(
  port: number,
  target: string,
  host: string | null = `127.0.0.1:${port}`,
): Promise<{ status: number; headers: Map<string, string>; body: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const lines = [`GET ${target} HTTP/1.1`, ...(host === null ? [] : [`Host: ${host}`]), "Connection: close", "", ""];
  await conn.write(new TextEncoder().encode(lines.join("\r\n")));
  const text = new TextDecoder().decode(
    new Uint8Array(await new Response(conn.readable).arrayBuffer()),
  );
  const [head, ...rest] = text.split("\r\n\r\n");
  const [status, ...fields] = head.split("\r\n");
  const headers = new Map(
    fields.map((f) => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]),
  );
  return { status: Number(status.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

Deno.test("deno task serve serves no file through a symlink out of its folder, even with --allow-read of it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-serve-links-" });
  const secret = await Deno.makeTempDir({ prefix: "opslab-serve-secret-" });
  try {
    await Deno.writeTextFile(join(secret, "secret.txt"), "top secret");
    await Deno.mkdir(join(secret, "site"));
    await Deno.writeTextFile(join(secret, "site", "index.html"), "top secret page");
    await Deno.writeTextFile(join(dir, "index.html"), "<!doctype html><title>index</title>");
    await Deno.mkdir(join(dir, "capacity"));
    await Deno.writeTextFile(join(dir, "capacity", "index.html"), "capacity page");
    await symlink(join(secret, "secret.txt"), join(dir, "leak.txt"));
    await symlink(secret, join(dir, "leakdir"));
    await symlink(join(secret, "site", "index.html"), join(dir, "capacity", "other.html"));
    await symlink(join(dir, "capacity", "index.html"), join(dir, "alias.html")); // inside: fine
    const { port, stop } = await startServer(dir);
    try {
      for (const path of ["/leak.txt", "/leakdir/secret.txt", "/leakdir/site/", "/capacity/other.html"]) {
        const res = await raw(port, path);
        assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
        assert.ok(!res.body.includes("secret"), `${path} leaked: ${res.body}`);
      }
      const alias = await raw(port, "/alias.html");
      assert.equal(alias.status, 200);
      assert.equal(alias.body, "capacity page");
      assert.equal((await raw(port, "/capacity/")).body, "capacity page");
    } finally {
      await stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(secret, { recursive: true });
  }
});

Deno.test("deno task serve redirects only to paths on itself, never to //host", async (t) => {
  const { port, stop } = await startServer(root);
  try {
    await Deno.mkdir(join(root, "evil.example"), { recursive: true });
    const cases: [string, string][] = [
      ["/capacity", "/capacity/"],
      ["//capacity", "/capacity/"],
      ["//evil.example", "/evil.example/"],
      ["///evil.example", "/evil.example/"],
      ["/%2Fevil.example", "/evil.example/"],
      ["/\\evil.example", "/evil.example/"],
      ["/./capacity", "/capacity/"],
    ];
    for (const [target, location] of cases) {
      await t.step(`${target} -> ${location}`, async () => {
        const res = await raw(port, target);
        if (res.status === 301) {
          const to = res.headers.get("location")!;
          assert.equal(to, location);
          assert.doesNotMatch(to, /^(\/\/|\/\\|[a-z][a-z0-9+.-]*:)/i, "an off-site redirect");
        } else {
          assert.ok([400, 403, 404].includes(res.status), `${target}: ${res.status}`);
        }
      });
    }
  } finally {
    await Deno.remove(join(root, "evil.example"), { recursive: true });
    await stop();
  }
});

Deno.test("deno task serve answers only requests addressed to a loopback name (no DNS rebinding)", async (t) => {
  const { port, stop } = await startServer(root);
  try {
    const cases: [string | null, number][] = [
      [`127.0.0.1:${port}`, 200],
      [`localhost:${port}`, 200],
      [`LOCALHOST:${port}`, 200],
      [`[::1]:${port}`, 200],
      ["localhost", 200],
      [`evil.example:${port}`, 421],
      ["evil.example", 421],
      [`127.0.0.1.evil.example:${port}`, 421],
      [`localhost.evil.example`, 421],
      [`localhost@evil.example`, 421],
      [`0.0.0.0:${port}`, 421],
      [null, 421],
    ];
    for (const [host, status] of cases) {
      await t.step(`Host: ${host} -> ${status}`, async () => {
        const res = await raw(port, "/capacity/", host);
        assert.equal(res.status, status, res.body);
        if (status !== 200) assert.ok(!res.body.includes("capacity"));
      });
    }
  } finally {
    await stop();
  }
});
