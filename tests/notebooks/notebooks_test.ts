/**
 * Executes every notebook on the real Deno Jupyter kernel (as rgbkrk/denotebooks does), so a notebook that no
 * longer runs against lib/ fails the suite.
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const NOTEBOOKS = (await Array.fromAsync(Deno.readDir(new URL("../../notebooks", import.meta.url))))
  .map((e) => e.name).filter((n) => n.endsWith(".ipynb")).sort();

const INSTALL = `Jupyter with the Deno kernel is needed to run the notebooks. On Debian/Ubuntu, as root:
  apt-get update && apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client
  deno jupyter --install
(.ci/run does both.)`;

async function output(cmd: string, args: string[]): Promise<{ code: number; text: string; stdout: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    const stdout = dec.decode(out.stdout);
    return { code: out.code, text: stdout + dec.decode(out.stderr), stdout };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { code: 127, text: `${cmd}: not found`, stdout: "" };
    throw e;
  }
}

Deno.test("the Deno Jupyter kernel is installed", async () => {
  const specs = await output("jupyter", ["kernelspec", "list", "--json"]);
  assert.equal(specs.code, 0, `${specs.text}\n\n${INSTALL}`);
  assert.ok("deno" in JSON.parse(specs.stdout).kernelspecs, `no "deno" kernelspec.\n\n${INSTALL}`);
});

Deno.test("there is a notebook for every documented topic", () => {
  assert.ok(NOTEBOOKS.includes("01_capacity.ipynb"), NOTEBOOKS.join(", "));
  for (const name of NOTEBOOKS) assert.match(name, /^\d\d_[a-z0-9_]+\.ipynb$/, name);
});

for (const name of NOTEBOOKS) {
  Deno.test(`notebook ${name} runs top to bottom on the Deno kernel`, async () => {
    const path = new URL(`../../notebooks/${name}`, import.meta.url).pathname;
    const nb = JSON.parse(await Deno.readTextFile(path));
    assert.equal(nb.metadata?.kernelspec?.name, "deno", "kernelspec must be deno");
    const firstCode = nb.cells.find((c: { cell_type: string }) => c.cell_type === "code");
    const source = Array.isArray(firstCode.source) ? firstCode.source.join("") : String(firstCode.source);
    assert.match(source, /^\/\/ Parameters/, "first code cell holds the parameters");
    const out = await Deno.makeTempDir({ prefix: "opslab-nb-" });
    try {
      const run = await output("jupyter", [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.timeout=300",
        "--ExecutePreprocessor.kernel_name=deno",
        "--output-dir",
        out,
        path,
      ]);
      assert.equal(run.code, 0, `${name} failed:\n${run.text.slice(-4000)}\n\n${run.code === 127 ? INSTALL : ""}`);
      const executed = JSON.parse(await Deno.readTextFile(join(out, name)));
      const errors = executed.cells.flatMap((c: { outputs?: { output_type: string; ename?: string }[] }) =>
        (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => o.ename)
      );
      assert.deepEqual(errors, [], `${name} has error outputs`);
      const shown = executed.cells.filter((c: { outputs?: unknown[] }) => (c.outputs ?? []).length > 0).length;
      assert.ok(shown >= 2, `${name} displays results (${shown} cells with output)`);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  });
}
