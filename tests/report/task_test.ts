import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { commitDataset, contentFingerprint, readManifest, schemaOf, writeTable } from "@lib/lake/mod.ts";
import { fakeValidation, makeLake, oddFrame } from "./_fixtures.ts";

const repo = new URL("../../", import.meta.url).pathname;
const { root } = await makeLake();
const out = await Deno.makeTempDir({ prefix: "opslab-reports-" });
addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
  Deno.removeSync(out, { recursive: true });
});

/** Runs the report task with the permissions deno.json gives it, widened only to the temp folders. */
async function report(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      `--allow-read=.,${root},${out}`,
      `--allow-write=${out}`,
      "tasks/report.ts",
      ...args,
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: res.code, stdout: dec.decode(res.stdout), stderr: dec.decode(res.stderr) };
}

Deno.test("deno task report builds one page per dataset and the index, and touches nothing in the lake", async () => {
  const before = await snapshot(root);
  const res = await report(["--root", root, "--out", out, "--json"]);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.name), ["anomalies", "capacity", "odd"]);
  for (const l of lines) {
    const stat = await Deno.stat(join(out, l.name, "index.html"));
    assert.equal(stat.size, l.bytes);
    assert.ok(l.bytes < 1.5 * 1024 * 1024);
  }
  const index = await Deno.readTextFile(join(out, "index.html"));
  for (const name of ["anomalies", "capacity", "odd"]) assert.ok(index.includes(`href="${name}/index.html"`));
  assert.deepEqual(await snapshot(root), before, "the lake is unchanged");
  assert.deepEqual((await Array.fromAsync(Deno.readDir(out))).filter((e) => e.name.endsWith(".tmp")), []);
});

Deno.test("deno task report uses validation.json only when it was made from the dataset's current content", async () => {
  const dir = join(root, "synthetic", "capacity");
  const manifest = await readManifest(dir);
  const fresh = { ...fakeValidation("capacity"), content: contentFingerprint(manifest) };
  await Deno.writeTextFile(join(dir, "validation.json"), JSON.stringify(fresh));
  try {
    let res = await report(["--root", root, "--out", out, "capacity"]);
    assert.equal(res.code, 0, res.stderr);
    let page = await Deno.readTextFile(join(out, "capacity", "index.html"));
    assert.ok(page.includes('data-check="correlation.pearson:web:cpu_p95|mem_p95"'));
    assert.match(await Deno.readTextFile(join(out, "index.html")), /<span class="badge fail">fail<\/span>/);

    // Made later than the dataset but of other content (a regenerate with a pinned SOURCE_DATE_EPOCH, or a
    // validation that raced one): not shown, whatever its time says; the page is validated in memory.
    const other = { ...fresh, validated: new Date().toISOString(), content: `sha256:${"0".repeat(64)}` };
    await Deno.writeTextFile(join(dir, "validation.json"), JSON.stringify(other));
    res = await report(["--root", root, "--out", out, "capacity"]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /validated in memory: validation\.json is stale/);
    page = await Deno.readTextFile(join(out, "capacity", "index.html"));
    assert.ok(!page.includes('data-check="correlation.pearson:web:cpu_p95|mem_p95"'), "stale results are not shown");

    // A dataset not rebuilt in this run shows "stale" in the index, never the status of other content; results
    // without a fingerprint (written before fingerprints) are stale too.
    const pass = { ...fresh, results: fresh.results.map((r) => ({ ...r, passed: true })) };
    for (const stale of [{ ...pass, content: other.content }, { ...pass, content: undefined }]) {
      await Deno.writeTextFile(join(dir, "validation.json"), JSON.stringify(stale));
      res = await report(["--root", root, "--out", out, "odd"]);
      assert.equal(res.code, 0, res.stderr);
      const row = /<tr data-dataset="capacity"[\s\S]*?<\/tr>/.exec(await Deno.readTextFile(join(out, "index.html")));
      assert.ok(row, "capacity is in the index");
      assert.match(row[0], /<span class="badge stale">stale<\/span>/);
      assert.doesNotMatch(row[0], /badge pass/);
    }
  } finally {
    await Deno.remove(join(dir, "validation.json"));
  }
});

Deno.test("deno task report: --help, unknown names and bad flags give one clear line and exit 2", async (t) => {
  await t.step("--help", async () => {
    const res = await report(["--help"]);
    assert.equal(res.code, 0);
    assert.match(res.stdout, /^Usage: deno task report/);
  });
  const cases: [string, string[], RegExp][] = [
    [
      "unknown dataset",
      ["--root", root, "--out", out, "nope"],
      /^error: Cannot report "nope": no dataset .*known: anomalies, capacity, odd\)$/,
    ],
    ["bad width", ["--root", root, "--out", out, "--width", "9"], /^error: Cannot report: --width must be .* got "9"$/],
    ["unknown flag", ["--colour"], /^error: .*--colour/],
  ];
  for (const [name, args, pattern] of cases) {
    await t.step(name, async () => {
      const res = await report(args);
      assert.equal(res.code, 2);
      assert.match(res.stderr.trim(), pattern);
      assert.equal(res.stderr.trim().split("\n").length, 1);
    });
  }
});

Deno.test("deno task report reports an unreadable dataset, builds the others, and exits 1", async () => {
  const lake = await Deno.makeTempDir({ prefix: "opslab-report-broken-" });
  const reports = await Deno.makeTempDir({ prefix: "opslab-reports-broken-" });
  try {
    for (const name of ["good", "broken"]) {
      await commitDataset(join(lake, "synthetic", name), async (tmp) => {
        const df = oddFrame();
        const file = await writeTable(df, tmp, { name: name });
        return {
          name,
          kind: "misc",
          layer: "synthetic",
          generator: { name: "test", version: "1" },
          config: {},
          seed: null,
          primary_table: name,
          tables: { [name]: { rows: df.height, schema: schemaOf(df), files: [file] } },
          classification: "internal",
          retention_days: 1,
          lineage: [],
        };
      });
    }
    const file = join(lake, "synthetic", "broken", "broken.parquet");
    const bytes = await Deno.readFile(file);
    await Deno.writeFile(file, bytes.subarray(0, bytes.length - 100));
    const res = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-ffi=./node_modules",
        "--allow-sys",
        "--allow-env",
        `--allow-read=.,${lake},${reports}`,
        `--allow-write=${reports}`,
        "tasks/report.ts",
        "--root",
        lake,
        "--out",
        reports,
      ],
      cwd: repo,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(res.stderr);
    assert.equal(res.code, 1);
    assert.match(stderr, /^error: Cannot report "broken": .*broken\.parquet/m);
    assert.ok((await Deno.stat(join(reports, "good", "index.html"))).isFile);
    await assert.rejects(Deno.stat(join(reports, "broken", "index.html")));
    const index = await Deno.readTextFile(join(reports, "index.html"));
    assert.match(index, /data-dataset="broken"[\s\S]*?badge fail">error</);
  } finally {
    await Deno.remove(lake, { recursive: true });
    await Deno.remove(reports, { recursive: true });
  }
});

async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...await snapshot(p));
    else out.push(`${p} ${(await Deno.stat(p)).size}`);
  }
  return out.sort();
}

Deno.test("deno task report gives datasets that share a name in different folders a page each", async () => {
  const lake = await Deno.makeTempDir({ prefix: "opslab-report-same-name-" });
  const reports = await Deno.makeTempDir({ prefix: "opslab-reports-same-name-" });
  try {
    // Three "cloudfront" datasets: two processed ones in different folders and a raw one; one has a PII warning.
    const dirs = ["processed/logs/cloudfront", "processed/edge/cloudfront", "raw/logs/cloudfront"];
    for (const [i, rel] of dirs.entries()) {
      const dir = join(lake, rel);
      const manifest = await commitDataset(dir, async (tmp) => {
        const df = oddFrame().head(40 + i);
        const file = await writeTable(df, tmp, { name: "cloudfront" });
        return {
          name: "cloudfront",
          kind: "misc",
          layer: rel.startsWith("raw") ? "raw" : "processed",
          generator: { name: "test", version: "1" },
          config: {},
          seed: null,
          primary_table: "cloudfront",
          tables: { cloudfront: { rows: df.height, schema: schemaOf(df), files: [file] } },
          classification: "internal",
          retention_days: 1,
          lineage: [],
        };
      });
      const pii = i === 1;
      await Deno.writeTextFile(
        join(dir, "validation.json"),
        JSON.stringify({
          dataset: "cloudfront",
          path: dir,
          kind: "misc",
          rows: manifest.rows,
          validated: new Date().toISOString(),
          content: contentFingerprint(manifest),
          summary: { passed: 1, failed: pii ? 1 : 0, errors: 0, warnings: pii ? 1 : 0 },
          results: [
            {
              id: "schema.columns",
              family: "schema",
              severity: "error",
              passed: true,
              measured: 0,
              threshold: "-",
              message: "ok",
            },
            ...(pii
              ? [{
                id: "pii.email:uri",
                family: "pii",
                severity: "warning",
                passed: false,
                measured: 3,
                threshold: "= 0",
                message: "e-mail addresses",
              }]
              : []),
          ],
        }),
      );
    }
    const res = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-ffi=./node_modules",
        "--allow-sys",
        "--allow-env",
        `--allow-read=.,${lake},${reports}`,
        `--allow-write=${reports}`,
        "tasks/report.ts",
        "--root",
        lake,
        "--out",
        reports,
        "--json",
      ],
      cwd: repo,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assert.equal(res.code, 0, dec.decode(res.stderr));
    const lines = dec.decode(res.stdout).trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.path.slice(reports.length + 1), l.status]).sort(),
      [
        ["processed/edge/cloudfront/index.html", "warn"],
        ["processed/logs/cloudfront/index.html", "pass"],
        ["raw/logs/cloudfront/index.html", "pass"],
      ],
    );
    const edge = await Deno.readTextFile(join(reports, "processed/edge/cloudfront/index.html"));
    assert.match(edge, /<span class="badge warn">warn<\/span>/, "the PII warning is on its own page");
    assert.ok(edge.includes('data-check="pii.email:uri"'));
    const index = await Deno.readTextFile(join(reports, "index.html"));
    for (const rel of dirs) {
      assert.ok(index.includes(`href="${rel}/index.html"`), `the index links ${rel}`);
      assert.ok(index.includes(`data-path="${rel}"`));
    }
    assert.match(index, /data-path="processed\/edge\/cloudfront"[\s\S]*?badge warn">warn</);
    // A name reports every dataset that has it.
    const named = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-ffi=./node_modules",
        "--allow-sys",
        "--allow-env",
        `--allow-read=.,${lake},${reports}`,
        `--allow-write=${reports}`,
        "tasks/report.ts",
        "--root",
        lake,
        "--out",
        reports,
        "--json",
        "cloudfront",
      ],
      cwd: repo,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(named.code, 0, dec.decode(named.stderr));
    assert.equal(dec.decode(named.stdout).trim().split("\n").length, 3);
  } finally {
    await Deno.remove(lake, { recursive: true });
    await Deno.remove(reports, { recursive: true });
  }
});

Deno.test("deno task report refuses an --out outside its write scope before anything starts: exit 2, one line", async () => {
  const elsewhere = await Deno.makeTempDir({ prefix: "opslab-reports-elsewhere-" });
  try {
    const res = await report(["--root", root, "--out", join(elsewhere, "r")]);
    assert.equal(res.code, 2, res.stderr);
    assert.equal(
      res.stderr.trim(),
      `error: Cannot write --out "${join(elsewhere, "r")}": it is outside the folders this task may write ` +
        "(its --allow-write in deno.json)",
    );
    assert.deepEqual([...Deno.readDirSync(elsewhere)], []);
  } finally {
    await Deno.remove(elsewhere, { recursive: true });
  }
});
