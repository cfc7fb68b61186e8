import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * The notebooks' code is formatted as the rest of the code, and `deno fmt --check` passes on a fresh checkout.
 * Deno 2.9's `deno fmt --check` reports every .ipynb as unformatted when its incremental cache is empty (a fresh
 * clone, a CI machine) although `deno fmt` changes nothing in them; so deno.json excludes notebooks/ from fmt and
 * this test checks each code cell with the TypeScript formatter instead.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const REPO = new URL("../../", import.meta.url).pathname;
const dec = new TextDecoder();

async function fmtTs(source: string): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["fmt", "--ext=ts", "-"],
    cwd: REPO,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  const out = await child.output();
  assert.ok(out.success, dec.decode(out.stderr));
  return dec.decode(out.stdout);
}

const notebooks = [...Deno.readDirSync(join(REPO, "notebooks"))].map((e) => e.name).filter((n) => n.endsWith(".ipynb"))
  .sort();

Deno.test("every notebook code cell is formatted as deno fmt formats TypeScript (line width 120)", async (t) => {
  assert.ok(notebooks.length >= 7);
  for (const name of notebooks) {
    await t.step(name, async () => {
      const nb = JSON.parse(await Deno.readTextFile(join(REPO, "notebooks", name)));
      for (const [i, cell] of nb.cells.entries()) {
        if (cell.cell_type !== "code") continue;
        const source = (Array.isArray(cell.source) ? cell.source.join("") : cell.source) as string;
        assert.equal((await fmtTs(source)).trimEnd(), source.trimEnd(), `${name} cell ${i} is not formatted`);
      }
    });
  }
});

Deno.test("deno fmt --check passes on a fresh checkout (no fmt cache)", async () => {
  const copy = await Deno.makeTempDir({ prefix: "opslab-fresh-" });
  const denoDir = await Deno.makeTempDir({ prefix: "opslab-deno-dir-" });
  try {
    const files = dec.decode(
      (await new Deno.Command("git", { args: ["ls-files", "-co", "--exclude-standard"], cwd: REPO, stdout: "piped" })
        .output()).stdout,
    ).split("\n").filter((f) => f !== "" && !f.startsWith("node_modules/"));
    for (const f of files) {
      try {
        await Deno.mkdir(join(copy, f, ".."), { recursive: true });
        await Deno.copyFile(join(REPO, f), join(copy, f));
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e; // deleted in the working tree
      }
    }
    const out = await new Deno.Command("deno", {
      args: ["fmt", "--check"],
      cwd: copy,
      env: { DENO_DIR: denoDir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, dec.decode(out.stdout) + dec.decode(out.stderr));
  } finally {
    await Deno.remove(copy, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
});
