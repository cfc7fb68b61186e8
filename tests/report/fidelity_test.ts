import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { join } from "node:path";
import { readManifest } from "@lib/lake/mod.ts";
import { buildReport } from "@lib/report/mod.ts";
import { builtinProfile, checkFidelity, profileDataset } from "@lib/fidelity/mod.ts";
import { inputOf, makeLake } from "./_fixtures.ts";

// deno-lint-ignore no-explicit-any
type Doc = any;
const { root, dirs } = await makeLake();
addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));

Deno.test("buildReport() adds the fidelity section side by side with the reference when a fidelity report is given", async () => {
  const manifest = await readManifest(dirs.capacity);
  const profile = await profileDataset(dirs.capacity);
  const fidelity = checkFidelity(profile, [
    { name: "bitbrains_rnd", profile: await builtinProfile("bitbrains_rnd") },
    { name: "issue-targets", profile: null },
  ]);
  const without = buildReport(inputOf(dirs.capacity, manifest));
  assert.doesNotMatch(without.html, /id="fidelity"/);
  const report = buildReport({ ...inputOf(dirs.capacity, manifest), fidelity });
  const doc = (parseHTML(report.html) as unknown as { document: Doc }).document;
  const section = doc.querySelector("section#fidelity");
  assert.ok(section, "a fidelity section");
  assert.ok([...doc.querySelectorAll("nav.toc a")].some((a: Doc) => a.textContent === "Fidelity"));
  // One table per reference with the 11 rows of the table.
  const tables = section.querySelectorAll("table");
  assert.equal(tables.length, 2);
  for (const t of tables) assert.equal(t.querySelectorAll("tbody tr").length, 11);
  const labels = [...section.querySelectorAll("svg[aria-label]")].map((s: Doc) => s.getAttribute("aria-label"));
  assert.ok(
    labels.some((l: string) => /^Quantiles of cpu: this dataset against bitbrains_rnd/.test(l)),
    labels.join("\n"),
  );
  assert.ok(labels.some((l: string) => /^Autocorrelation of cpu by lag in hours/.test(l)));
  assert.ok(labels.some((l: string) => /^Spread over entities of cpu mean level/.test(l)));
  assert.ok(report.bytes < 1.5 * 1024 * 1024);
});

Deno.test("deno task report shows the fidelity section when fidelity.json lies beside the dataset", async () => {
  const repo = new URL("../../", import.meta.url).pathname;
  const lake = await Deno.makeTempDir({ prefix: "opslab-fidelity-lake-" });
  const out = await Deno.makeTempDir({ prefix: "opslab-fidelity-reports-" });
  try {
    const dir = join(lake, "synthetic", "capacity");
    await Deno.mkdir(dir, { recursive: true });
    for await (const e of Deno.readDir(dirs.capacity)) {
      if (e.isFile) await Deno.copyFile(join(dirs.capacity, e.name), join(dir, e.name));
    }
    const run = async (task: string, args: string[]) => {
      const r = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-ffi=./node_modules",
          "--allow-sys",
          "--allow-env",
          `--allow-read=.,${lake},${out}`,
          `--allow-write=${lake},${out}`,
          task,
          ...args,
        ],
        cwd: repo,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
    };
    await run("tasks/report.ts", ["--root", lake, "--out", out]);
    assert.doesNotMatch(await Deno.readTextFile(join(out, "capacity", "index.html")), /id="fidelity"/);
    await run("tasks/fidelity.ts", [dir]);
    await run("tasks/report.ts", ["--root", lake, "--out", out]);
    const page = await Deno.readTextFile(join(out, "capacity", "index.html"));
    assert.match(page, /<section id="fidelity"/);
    assert.match(page, /Against bitbrains_rnd/);
  } finally {
    await Deno.remove(lake, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});
