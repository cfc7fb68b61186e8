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
  const get = (path: string, method = "GET") => handle(new Request(`http://127.0.0.1${path}`, { method }));
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
