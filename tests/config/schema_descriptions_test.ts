import assert from "node:assert/strict";
import { listKinds } from "@lib/kinds/mod.ts";
import { jsonSchemaText } from "../../tasks/schemas.ts";

/** Key paths of a JSON Schema's properties, at every depth, that have no description. */
function undocumented(schema: Record<string, unknown>, path = ""): string[] {
  const out: string[] = [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, prop] of Object.entries(props)) {
    if (typeof prop.description !== "string" || prop.description.trim() === "") out.push(`${path}${key}`);
    out.push(...undocumented(prop, `${path}${key}.`));
  }
  return out;
}

for (const { kind, config: schema } of listKinds("generated")) {
  if (schema === undefined) continue;
  Deno.test(`every key of the ${kind} config's JSON Schema has a description, so editors show help`, async () => {
    const json = JSON.parse(jsonSchemaText(schema));
    assert.ok(Object.keys(json.properties).length > 5);
    assert.deepEqual(undocumented(json), []);
    const committed = JSON.parse(
      await Deno.readTextFile(new URL(`../../lib/config/schema/${kind}.schema.json`, import.meta.url)),
    );
    assert.deepEqual(undocumented(committed), [], `lib/config/schema/${kind}.schema.json is stale: deno task schemas`);
  });
}
