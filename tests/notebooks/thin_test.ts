import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Notebooks stay thin: no chart specs inline (they are named functions in lib/report/figures.ts), results through
 * the notebooks' show() (DataFrames as frameView), no test fixtures read, and their code type-checks against lib/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const REPO = new URL("../../", import.meta.url).pathname;
const names = [...Deno.readDirSync(join(REPO, "notebooks"))].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
  .sort();

interface Cell {
  cell_type: string;
  source: string | string[];
}

function code(name: string): string {
  const nb = JSON.parse(Deno.readTextFileSync(join(REPO, "notebooks", name)));
  return (nb.cells as Cell[]).filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
}

Deno.test("no notebook holds a Plot spec: charts are named functions in lib/report", () => {
  for (const name of names) {
    assert.doesNotMatch(code(name), /Plot\.plot|@observablehq\/plot|Plot\.\w+\(/, name);
  }
});

Deno.test("every notebook shows results through the notebooks' show() (frames as frameView)", () => {
  for (const name of names) {
    assert.match(code(name), /import \{[^}]*\bshow\b[^}]*\} from "@lib\/report\/display\.ts"/, name);
    assert.doesNotMatch(code(name), /\bshow\b[^}]*\} from "@lib\/report\/mod\.ts"/, name);
  }
});

Deno.test("no notebook reads test fixtures; 05 reads the lake, 06 parses CloudFront logs with the ingester", () => {
  for (const name of names) assert.doesNotMatch(code(name), /fixtures/, name);
  assert.match(code("05_ingest.ipynb"), /datasetDir\("raw"/);
  const n06 = code("06_incidents.ipynb");
  assert.match(n06, /readCloudFrontLogs\(/);
  assert.doesNotMatch(n06, /split\("\\t"\)/, "06 splits log lines by hand");
});

Deno.test("the notebooks' code type-checks against lib/", async () => {
  // Outside the project (deno.json excludes tests/.artifacts, and notebooks/ is not writable to the suite), checked
  // with the project's config, so the import map applies.
  const dir = await Deno.makeTempDir({ prefix: "opslab-notebook-check-" });
  try {
    const files = names.map((name) => {
      const path = join(dir, name.replace(".ipynb", ".ts"));
      // One module per notebook; its imports all go through the import map ("@lib/…", npm names).
      Deno.writeTextFileSync(path, `${code(name)}\nexport {};\n`);
      return path;
    });
    const out = await new Deno.Command("deno", {
      args: ["check", "--config", join(REPO, "deno.json"), ...files],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const said = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, said.replaceAll(dir, "notebooks"));
    // Every notebook was checked (a file an exclude list skips would pass unchecked).
    for (const name of names) assert.ok(said.includes(name.replace(".ipynb", ".ts")), `${name} not checked:\n${said}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
