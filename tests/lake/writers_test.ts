import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { LONG, Project, SMALL, waitFor } from "./_project.ts";

async function hidden(p: Project): Promise<string[]> {
  return (await p.names("data", "synthetic")).filter((n) => n.startsWith("."));
}

async function manifest(p: Project, name: string): Promise<string> {
  return await Deno.readTextFile(p.path("data", "synthetic", name, "manifest.json"));
}

async function finish(child: Deno.ChildProcess): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await child.output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

Deno.test("a second writer of a dataset fails at once with a clear line and leaves nothing behind", async () => {
  const p = await Project.make();
  try {
    const first = p.command("generate", [...LONG, "--name", "busy"]).spawn();
    await waitFor("the first run's lock", async () => (await hidden(p)).includes(".busy.lock"));
    const second = await p.run("generate", [...SMALL, "--name", "busy", "--overwrite"]);
    assert.equal(second.code, 2, second.stderr);
    assert.equal(second.stderr.trim().split("\n").length, 1, second.stderr);
    assert.match(
      second.stderr,
      /^error: Cannot write "data\/synthetic\/busy": another run is writing it \(pid \d+ on .+, since \d{4}-.+\); wait for it to finish/,
    );
    first.kill("SIGTERM");
    const done = await finish(first);
    assert.equal(done.code, 143, done.stderr);
    assert.deepEqual(await p.names("data", "synthetic"), [], "nothing left by either run");
  } finally {
    await p.remove();
  }
});

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} removes the run's temporary folder, prints "interrupted" on its own line, exits ${code} and keeps the old dataset`, async () => {
    const p = await Project.make();
    try {
      assert.equal((await p.run("generate", [...SMALL, "--name", "sig"])).code, 0);
      const before = await manifest(p, "sig");
      const run = p.command("generate", [...LONG, "--name", "sig", "--overwrite"]).spawn();
      await waitFor("the temporary folder", async () => (await hidden(p)).some((n) => n.startsWith(".sig.tmp-")));
      await new Promise((r) => setTimeout(r, 300));
      run.kill(signal);
      const out = await finish(run);
      assert.equal(out.code, code, out.stderr);
      assert.equal(out.stderr.split("\n").filter((l) => l !== "").at(-1), "interrupted");
      assert.match(out.stderr, /(^|\n)interrupted\n$/);
      assert.deepEqual(await p.names("data", "synthetic"), ["sig"]);
      assert.equal(await manifest(p, "sig"), before);
    } finally {
      await p.remove();
    }
  });
}

Deno.test("a SIGKILLed run's leftovers are shown by lake list, removed by lake prune, and do not block the next run", async () => {
  const p = await Project.make();
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "k"])).code, 0);
    const before = await manifest(p, "k");
    const run = p.command("generate", [...LONG, "--name", "k", "--overwrite"]).spawn();
    await waitFor("the temporary folder", async () => (await hidden(p)).some((n) => n.startsWith(".k.tmp-")));
    await new Promise((r) => setTimeout(r, 300));
    run.kill("SIGKILL");
    await finish(run);
    const left = await hidden(p);
    assert.ok(left.includes(".k.lock") && left.some((n) => n.startsWith(".k.tmp-")), left.join());
    const list = await p.run("lake", ["list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /Leftovers of dead runs, [\d.]+ [kMG]B \(deno task lake prune removes them\)/);
    for (const n of left) assert.ok(list.stdout.includes(`data/synthetic/${n}`), `${n} listed:\n${list.stdout}`);
    const dry = await p.run("lake", ["prune", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(await hidden(p), left, "a dry run removes nothing");
    const prune = await p.run("lake", ["prune"]);
    assert.equal(prune.code, 0, prune.stderr);
    assert.match(prune.stdout, /0 of 1 datasets past retention, 2 leftovers of dead runs/);
    assert.deepEqual(await p.names("data", "synthetic"), ["k"]);
    assert.equal(await manifest(p, "k"), before);
    // Killed again: a stale lock never blocks the next writer, which tidies the dead run's temporary folder.
    const again = p.command("generate", [...LONG, "--name", "k", "--overwrite"]).spawn();
    await waitFor("the temporary folder", async () => (await hidden(p)).some((n) => n.startsWith(".k.tmp-")));
    again.kill("SIGKILL");
    await finish(again);
    const next = await p.run("generate", [...SMALL, "--name", "k", "--overwrite", "--seed", "3"]);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(await p.names("data", "synthetic"), ["k"]);
  } finally {
    await p.remove();
  }
});

Deno.test("a dataset left moved aside by a swap killed half-way is put back by the next lake run", async () => {
  const p = await Project.make();
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "s"])).code, 0);
    const before = await manifest(p, "s");
    // The state a SIGKILL between the swap's two renames leaves: the old dataset moved aside, no new one.
    await Deno.rename(p.path("data", "synthetic", "s"), p.path("data", "synthetic", ".s.old-4194000"));
    const list = await p.run("lake", ["list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /data\/synthetic\/s +capacity/);
    assert.deepEqual(await p.names("data", "synthetic"), ["s"]);
    assert.equal(await manifest(p, "s"), before);
  } finally {
    await p.remove();
  }
});

Deno.test("SIGTERM to a --workers run stops its shard processes, which remove their temporary folders", async () => {
  const p = await Project.make();
  try {
    const out = p.path("data", "synthetic", "w");
    const run = p.commandInRepo("generate", [...LONG, "--output", out, "--workers", "2"]).spawn();
    const temps = async () =>
      (await p.names("data", "synthetic", "w.shards")).filter((n) => n.startsWith(".") && n.includes(".tmp-"));
    await waitFor("both shards' temporary folders", async () => (await temps()).length === 2);
    run.kill("SIGTERM");
    const done = await finish(run);
    assert.equal(done.code, 143, done.stderr);
    assert.match(done.stderr, /(^|\n)interrupted\n$/);
    await waitFor(
      "the shards to clean up",
      async () => (await p.names("data", "synthetic", "w.shards")).length === 0,
      20_000,
    );
    assert.deepEqual(await hidden(p), []);
  } finally {
    await p.remove();
  }
});

Deno.test("SIGKILL at any point of a run never loses the dataset: old or new stays visible, and lake prune leaves no leftovers", async () => {
  const p = await Project.make();
  try {
    assert.equal((await p.run("generate", [...SMALL, "--name", "v"])).code, 0);
    const medium = ["capacity", "--servers", "40", "--granularity", "hourly", "--start-date", "2024-01-01"];
    const seen = new Set<string>();
    // "tmp": killed as soon as its temporary folder shows, so one kill surely lands mid-write whatever the speed.
    for (const [i, delay] of (["tmp", 100, 500, 900, 1300, 1700, 2100, 2600, 3200] as const).entries()) {
      const run = p.command("generate", [
        ...medium,
        "--end-date",
        "2024-02-15",
        "--seed",
        String(i),
        "--name",
        "v",
        "--overwrite",
      ])
        .spawn();
      if (delay === "tmp") {
        const until = Date.now() + 60_000;
        while (!(await hidden(p)).some((n) => n.includes(".tmp-")) && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 5));
        }
      } else await new Promise((r) => setTimeout(r, delay));
      try {
        run.kill("SIGKILL");
      } catch { /* finished already */ }
      const out = await finish(run);
      seen.add(out.code === 0 ? "finished" : (await hidden(p)).length > 0 ? "left leftovers" : "killed clean");
      const list = await p.run("lake", ["list"]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /data\/synthetic\/v +capacity/, `after a kill at ${delay} ms:\n${list.stdout}`);
      assert.equal((await p.run("lake", ["prune"])).code, 0);
      assert.deepEqual(await p.names("data", "synthetic"), ["v"], `after a kill at ${delay} ms`);
      JSON.parse(await manifest(p, "v"));
    }
    assert.ok(seen.has("left leftovers"), [...seen].join());
  } finally {
    await p.remove();
  }
});
