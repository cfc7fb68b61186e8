import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { z } from "zod";
import { ConfigError, readConfigFile, resolveConfig } from "@lib/config/mod.ts";

const Schema = z.strictObject({
  servers: z.int().min(1).default(120),
  name: z.string().default("x"),
  nested: z.strictObject({ rate: z.number().max(1).default(0.5) }).prefault({}),
});

Deno.test("resolveConfig() applies defaults, then file, then flags, then environment", () => {
  assert.deepEqual(resolveConfig(Schema), { servers: 120, name: "x", nested: { rate: 0.5 } });
  const env = { OPSLAB_T_SERVERS: "150", OPSLAB_T_NESTED__RATE: "0.25", OTHER_SERVERS: "9" };
  assert.deepEqual(
    resolveConfig(Schema, { file: { servers: 5, name: "f" }, flags: { servers: 7 }, env, envPrefix: "OPSLAB_T_" }),
    { servers: 150, name: "f", nested: { rate: 0.25 } },
  );
  assert.equal(resolveConfig(Schema, { file: { servers: 5 }, flags: { servers: 7 } }).servers, 7);
});

Deno.test("resolveConfig() rejects bad input with one line naming key, value and rule", async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["out of range", { servers: -3 }, /servers .*>=1.*got -3/],
    ["wrong type", { servers: "many" }, /servers .*expected number.*got "many"/],
    ["unknown key", { serverz: 3 }, /serverz is not a known key \(did you mean "servers"\?\), got 3/],
    ["nested", { nested: { rate: 2 } }, /nested\.rate .*<=1.*got 2/],
    ["unknown nested key", { nested: { rat: 2 } }, /nested\.rat is not a known key/],
  ];
  for (const [name, file, pattern] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => resolveConfig(Schema, { file, what: "test" }),
        (e: unknown) =>
          e instanceof ConfigError && /^Invalid test config: /.test(e.message) && pattern.test(e.message) &&
          !e.message.includes("\n"),
      );
    });
  }
});

Deno.test("readConfigFile() reads YAML and JSON, drops $schema, and names the file on errors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/c.yaml`, "$schema: ./x.json\nservers: 9\nnested:\n  rate: 0.1\n");
    assert.deepEqual(await readConfigFile(`${dir}/c.yaml`), { servers: 9, nested: { rate: 0.1 } });
    await Deno.writeTextFile(`${dir}/c.json`, '{"servers": 3}');
    assert.deepEqual(await readConfigFile(`${dir}/c.json`), { servers: 3 });
    await Deno.writeTextFile(`${dir}/bad.json`, "{nope");
    await assert.rejects(() => readConfigFile(`${dir}/bad.json`), /Cannot parse config file ".*bad.json"/);
    await Deno.writeTextFile(`${dir}/list.yaml`, "- 1\n- 2\n");
    await assert.rejects(() => readConfigFile(`${dir}/list.yaml`), /must hold an object/);
    await assert.rejects(() => readConfigFile(`${dir}/missing.yaml`), /Cannot read config file ".*missing.yaml"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
