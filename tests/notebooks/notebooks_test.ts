import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Executes every notebook on the real Deno Jupyter kernel (as rgbkrk/denotebooks does), so a notebook that no
 * longer runs against lib/ fails the suite. Each notebook runs {@linkcode EXECUTIONS} times, at once, and every
 * cell named in {@linkcode SHOWN} must have its output in every execution: Deno's kernel can publish an output after
 * it reported the cell idle, and nbconvert then drops it silently (see lib/report/show.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const NOTEBOOKS = (await Array.fromAsync(Deno.readDir(new URL("../../notebooks", import.meta.url))))
  .map((e) => e.name).filter((n) => n.endsWith(".ipynb")).sort();

/** Executions of each notebook; they run at the same time, which also makes a late output likelier. */
const EXECUTIONS = 3;

/** Per notebook, the ids of the cells that show a result; every other code cell must show nothing. */
const SHOWN: Record<string, string[]> = {
  "01_capacity.ipynb": ["c02", "c04", "c05", "c07", "c09", "c11"],
  "02_validate.ipynb": ["c02", "c04", "c06", "c08", "c09", "c11", "c13", "c16"],
  "03_reports.ipynb": ["c04", "c06", "c08", "c10", "c11", "c13"],
  "04_anomalies.ipynb": ["c02", "c04", "c05", "c06", "c08", "c09", "c10", "c12", "c14"],
  "05_ingest.ipynb": [
    ...["nb05-04", "nb05-05", "nb05-06", "nb05-07", "nb05-09", "nb05-10", "nb05-11"],
    ...["nb05-13", "nb05-14", "nb05-15", "nb05-17"],
  ],
  "06_incidents.ipynb": ["c02", "c04", "c06", "c08", "c09", "c11", "c13", "c15", "c16", "c18", "c20", "c21"],
  "07_msp.ipynb": [
    ...["msp-02", "msp-04", "msp-05", "msp-07", "msp-08", "msp-09", "msp-11", "msp-13", "msp-14", "msp-15"],
    "msp-17",
  ],
};

interface Cell {
  id?: string;
  cell_type: string;
  source: string | string[];
  outputs?: { output_type: string; ename?: string }[];
}

const INSTALL = `Jupyter with the Deno kernel is needed to run the notebooks. On Debian/Ubuntu, as root:
  apt-get update && apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client
  deno jupyter --install
(.ci/run does both.)`;

async function output(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; text: string; stdout: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
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

Deno.test("every notebook names the cells that show a result, by cell ids that exist", async () => {
  assert.deepEqual(Object.keys(SHOWN).sort(), NOTEBOOKS);
  for (const name of NOTEBOOKS) {
    const nb = JSON.parse(await Deno.readTextFile(new URL(`../../notebooks/${name}`, import.meta.url)));
    const ids = nb.cells.filter((c: Cell) => c.cell_type === "code").map((c: Cell) => c.id);
    for (const id of SHOWN[name]) assert.ok(ids.includes(id), `${name}: no code cell "${id}"`);
  }
});

/**
 * The lake notebook 05 reads (`OPSLAB_LAKE`): the ingest fixtures (written from the sources' format facts, quirks
 * included) in its raw layer, as `deno task fetch` would place the real downloads.
 */
async function fixtureLake(): Promise<string> {
  const lake = await Deno.makeTempDir({ prefix: "opslab-nb-lake-" });
  const raw: Record<string, string> = { nab: "metrics/nab", cloudfront: "logs/cloudfront", tickets: "tickets/support" };
  for (const [id, to] of Object.entries(raw)) {
    await Deno.mkdir(join(lake, "raw", to, ".."), { recursive: true });
    const from = new URL(`../fixtures/ingest/${id}`, import.meta.url).pathname;
    const cp = await new Deno.Command("cp", { args: ["-r", from, join(lake, "raw", to)] }).output();
    assert.ok(cp.success, new TextDecoder().decode(cp.stderr));
  }
  return lake;
}

/** Runs one execution with nbconvert into its own folder and returns the executed notebook. */
async function execute(path: string, name: string, env: Record<string, string> = {}): Promise<{ cells: Cell[] }> {
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
    ], env);
    assert.equal(run.code, 0, `${name} failed:\n${run.text.slice(-4000)}\n\n${run.code === 127 ? INSTALL : ""}`);
    return JSON.parse(await Deno.readTextFile(join(out, name)));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

for (const name of NOTEBOOKS) {
  Deno.test(`notebook ${name} runs top to bottom on the Deno kernel and shows every result, ${EXECUTIONS} times`, async () => {
    const path = new URL(`../../notebooks/${name}`, import.meta.url).pathname;
    const nb = JSON.parse(await Deno.readTextFile(path));
    assert.equal(nb.metadata?.kernelspec?.name, "deno", "kernelspec must be deno");
    const firstCode = nb.cells.find((c: Cell) => c.cell_type === "code");
    const source = Array.isArray(firstCode.source) ? firstCode.source.join("") : String(firstCode.source);
    assert.match(source, /^\/\/ Parameters/, "first code cell holds the parameters");
    const lake = name === "05_ingest.ipynb" ? await fixtureLake() : undefined;
    const env: Record<string, string> = lake ? { OPSLAB_LAKE: lake } : {};
    const runs = await Promise.all(Array.from({ length: EXECUTIONS }, () => execute(path, name, env)))
      .finally(() => lake && Deno.remove(lake, { recursive: true }));
    const shown = new Set(SHOWN[name]);
    runs.forEach((executed, k) => {
      const code = executed.cells.filter((c) => c.cell_type === "code");
      const errors = code.flatMap((c) =>
        (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => o.ename)
      );
      assert.deepEqual(errors, [], `${name} has error outputs (execution ${k + 1})`);
      const empty = code.filter((c) => shown.has(c.id!) && (c.outputs ?? []).length === 0).map((c) => c.id);
      assert.deepEqual(empty, [], `${name}: cells that show a result came back empty (execution ${k + 1})`);
      const unnamed = code.filter((c) => !shown.has(c.id!) && (c.outputs ?? []).length > 0).map((c) => c.id);
      assert.deepEqual(unnamed, [], `${name}: cells with output that SHOWN does not name (execution ${k + 1})`);
      // A cell's bare last expression arrives as an execute_result, queued after the cell ended: the output most
      // often lost. Results are shown with `await show(x)` instead.
      const bare = code.filter((c) => (c.outputs ?? []).some((o) => o.output_type === "execute_result"));
      assert.deepEqual(bare.map((c) => c.id), [], `${name}: end these cells with "await show(…)"`);
    });
  });
}
