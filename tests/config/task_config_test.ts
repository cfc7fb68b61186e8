/**
 * Config errors of the generator tasks exit 2 with one message naming every problem; --print-config prints YAML
 * that reads back as the same config; a dataset's own config.json is reusable with flags that override it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { readConfigFile, resolveConfig } from "@lib/config/mod.ts";
import { CapacityConfig } from "@lib/generate/capacity/mod.ts";
import { kindDescriptor } from "@lib/kinds/mod.ts";
import { knownKeys } from "@lib/config/shape.ts";

const TASKS: Record<string, () => Promise<{ main(args: string[]): Promise<number> }>> = {
  capacity: () => import("../../tasks/generate_capacity.ts"),
  anomalies: () => import("../../tasks/generate_anomalies.ts"),
  incidents: () => import("../../tasks/generate_incidents.ts"),
  msp: () => import("../../tasks/generate_msp.ts"),
};

/** Runs a task's main in this process; what it printed and its exit code. */
async function run(kind: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await TASKS[kind]();
  const log = console.log, error = console.error;
  let out = "", err = "";
  console.log = (...a: unknown[]) => void (out += a.join(" ") + "\n");
  console.error = (...a: unknown[]) => void (err += a.join(" ") + "\n");
  try {
    return { code: await main(args), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const dir = await Deno.makeTempDir({ prefix: "opslab-config-" });
addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await Deno.writeTextFile(path, text);
  return path;
};

Deno.test("every usage and config error of generate exits 2 with one clear message", async (t) => {
  const cases: [string, string[], RegExp][] = [
    ["empty config file", ["--config", await file("empty.yaml", "")], /config file ".*empty\.yaml": it is empty/],
    ["comment-only config file", ["--config", await file("comment.yaml", "# nothing\n")], /it is empty/],
    ["broken YAML", ["--config", await file("broken.yaml", "servers: [1,\nyears: 2\n")], /Cannot parse config file/],
    [
      "missing config file",
      ["--config", join(dir, "nope.yaml")],
      /Cannot read config file ".*nope\.yaml": no such file$/m,
    ],
    ["a list instead of keys", ["--config", await file("list.yaml", "- 1\n- 2\n")], /must hold an object of keys/],
    ["negative servers", ["--servers", "-5"], /servers is invalid: too small: expected number to be >=1, got -5/],
    ["unknown flag", ["--sever", "5"], /unknown flag --sever \(did you mean --servers\?\)/],
    [
      "unknown key",
      ["--config", await file("typo.yaml", "sever: 5\n")],
      /sever is not a known key \(did you mean "servers"\?\)/,
    ],
    ["stray argument", ["extra"], /unexpected argument "extra"/],
  ];
  for (const [what, args, message] of cases) {
    await t.step(what, async () => {
      const { code, err } = await run("capacity", args);
      assert.equal(code, 2, err);
      assert.match(err, message);
      assert.doesNotMatch(err, /:\s*$/, "the message ends in a dangling colon");
    });
  }
  await t.step("an anomaly request the series cannot hold", async () => {
    const { code, err } = await run("anomalies", ["--points", "100", "--anomalies-per-series", "20", "--warmup", "10"]);
    assert.equal(code, 2, err);
    assert.match(err, /Cannot fit anomalies/);
  });
});

Deno.test("a config with several problems names every one, none summarised as 'and N more'", async () => {
  const path = await file("many.yaml", "servers: -1\nyears: 0\nsede: 1\n");
  const { code, err } = await run("capacity", ["--config", path]);
  assert.equal(code, 2);
  assert.doesNotMatch(err, /and \d+ more/);
  assert.match(err, /\d+ problems/);
  for (const key of ["servers", "years", "sede"]) assert.match(err, new RegExp(`^\\s+${key} `, "m"));
  assert.match(err, /sede is not a known key \(did you mean "seed"\?\)/);
});

for (const kind of Object.keys(TASKS)) {
  Deno.test(`generate ${kind} --print-config prints YAML that --config reads back as the same config`, async () => {
    const printed = await run(kind, ["--print-config", "--seed", "7"]);
    assert.equal(printed.code, 0, printed.err);
    assert.ok(parseYaml(printed.out) !== null);
    const path = await file(`${kind}.yaml`, printed.out);
    const again = await run(kind, ["--config", path, "--print-config"]);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, printed.out);
    // Every key the schema knows is printed, with its value.
    const keys = Object.keys(parseYaml(printed.out) as Record<string, unknown>);
    for (const key of knownKeys(kindDescriptor(kind)?.config)) {
      if (!(kind === "capacity" && key === "years")) assert.ok(keys.includes(key), `${key} is not printed`);
    }
  });
}

Deno.test("a dataset's config.json is reusable with flags that override it (--years over its end_date)", async () => {
  const out = join(dir, "cap-a");
  const made = await run("capacity", ["--servers", "2", "--years", "1", "--output", out]);
  assert.equal(made.code, 0, made.err);
  const config = join(out, "config.json");
  assert.ok(JSON.parse(await Deno.readTextFile(config)).end_date, "config.json holds end_date");
  const again = await run("capacity", ["--config", config, "--years", "2", "--print-config"]);
  assert.equal(again.code, 0, again.err);
  const printed = parseYaml(again.out) as Record<string, unknown>;
  assert.equal(printed.end_date, "2023-12-31");
  assert.equal(printed.servers, 2);
  const byEnd = await run("capacity", ["--config", config, "--end-date", "2022-06-30", "--print-config"]);
  assert.equal(byEnd.code, 0, byEnd.err);
  assert.equal((parseYaml(byEnd.out) as Record<string, unknown>).end_date, "2022-06-30");
  // The same file without flags is the same config.
  const same = resolveConfig(CapacityConfig, { file: await readConfigFile(config) });
  assert.equal(same.servers, 2);
});

Deno.test("generate msp writes its resolved config.json, listed in the manifest", async () => {
  const out = join(dir, "msp");
  const made = await run("msp", ["--clients", "10", "--technicians", "4", "--output", out]);
  assert.equal(made.code, 0, made.err);
  const config = JSON.parse(await Deno.readTextFile(join(out, "config.json")));
  assert.equal(config.clients, 10);
  const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
  assert.ok(manifest.files.some((f: { path: string }) => f.path === "config.json"));
});
