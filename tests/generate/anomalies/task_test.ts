import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { main, parseExportFlag, parseTypesFlag } from "../../../tasks/generate_anomalies.ts";
import { readManifest } from "@lib/lake/mod.ts";
import type { AnomaliesConfig, AnomalyStats } from "@lib/generate/anomalies/mod.ts";

/** Runs the task with console output captured. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { code: await main(args), out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("generate anomalies --help lists the flags and exits 0", async () => {
  const { code, out } = await run(["--help"]);
  assert.equal(code, 0);
  for (
    const flag of ["--series", "--points", "--freq", "--start", "--anomaly-ratio", "--types", "--seed", "--format"]
  ) {
    assert.ok(out.includes(flag), flag);
  }
  assert.ok(out.includes("level_shift") && out.includes("OPSLAB_ANOMALIES_"));
});

Deno.test("generate anomalies writes a dataset with flags, --types weights and a NAB export", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const { code, out, err } = await run([
      "--series",
      "6",
      "--points",
      "600",
      "--freq",
      "5m",
      "--start",
      "2024-06-01T00:00:00Z",
      "--anomaly-ratio",
      "1",
      "--anomalies-per-series",
      "1-2",
      "--types",
      "spike,level_shift=2",
      "--seed",
      "3",
      "--export",
      "nab",
      "--output",
      `${tmp}/ds`,
    ]);
    assert.equal(code, 0, err);
    assert.match(out, /anomalies: 3,600 rows/);
    const m = await readManifest(`${tmp}/ds`);
    const cfg = m.config as AnomaliesConfig;
    assert.equal(cfg.series, 6);
    assert.equal(cfg.freq, "5m");
    assert.deepEqual(cfg.anomalies_per_series, [1, 2]);
    assert.equal(cfg.types.spike.weight, 1);
    assert.equal(cfg.types.level_shift.weight, 2);
    assert.equal(cfg.types.drift.weight, 0);
    const stats = m.stats as unknown as AnomalyStats & { exports: Record<string, number> };
    assert.equal(stats.per_type.drift.events, 0);
    assert.equal(stats.per_type.spike.events + stats.per_type.level_shift.events, stats.events);
    assert.equal(stats.exports.nab, 6 * 3 + 2);
    assert.ok(await exists(`${tmp}/ds/nab/labels/combined_windows.json`));
    assert.ok(await exists(`${tmp}/ds/config.json`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("generate anomalies resolves file < flags < OPSLAB_ANOMALIES_ environment", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${tmp}/c.yaml`,
      "series: 4\npoints: 900\nseed: 5\ntypes:\n  seasonal_change: { weight: 0 }\n  spike: { weight: 3, magnitude: [6, 7] }\n",
    );
    Deno.env.set("OPSLAB_ANOMALIES_SERIES", "7");
    Deno.env.set("OPSLAB_ANOMALIES_TYPES__DIP__WEIGHT", "0");
    const { code, err } = await run(["--config", `${tmp}/c.yaml`, "--seed", "6", "--output", `${tmp}/ds`]);
    assert.equal(code, 0, err);
    const cfg = (await readManifest(`${tmp}/ds`)).config as AnomaliesConfig;
    assert.equal(cfg.series, 7, "env beats file");
    assert.equal(cfg.points, 900, "file beats default");
    assert.equal(cfg.seed, 6, "flag beats file");
    assert.deepEqual(cfg.types.spike.magnitude, [6, 7]);
    assert.equal(cfg.types.spike.weight, 3);
    assert.equal(cfg.types.dip.weight, 0);
    assert.equal(cfg.types.seasonal_change.weight, 0);
  } finally {
    Deno.env.delete("OPSLAB_ANOMALIES_SERIES");
    Deno.env.delete("OPSLAB_ANOMALIES_TYPES__DIP__WEIGHT");
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("generate anomalies fails with one line, a non-zero code and nothing written", async (t) => {
  const tmp = await Deno.makeTempDir();
  try {
    const cases: [string, string[], number, RegExp][] = [
      ["unknown flag", ["--bogus", "1"], 2, /bogus/],
      ["bad series", ["--series", "0"], 2, /series .*got 0/],
      ["bad freq", ["--freq", "1x"], 2, /freq/],
      ["unknown type", ["--types", "spikes"], 2, /unknown type "spikes", expected one of spike, dip/],
      ["bad weight", ["--types", "spike=-1"], 2, /weight of "spike" must be a number >= 0/],
      ["unknown export", ["--export", "kaggle"], 2, /unknown format "kaggle"/],
      [
        "unknown NAB windowing",
        ["--export", "nab", "--nab-windows", "wide"],
        2,
        /--nab-windows: unknown windowing "wide"/,
      ],
      ["cannot fit", ["--points", "300"], 2, /Cannot fit anomalies .* need 420 points after warmup 60/],
      ["bad range", ["--anomalies-per-series", "3-1"], 2, /anomalies_per_series/],
      ["positional", ["extra"], 2, /unexpected argument "extra"/],
      ["missing config file", ["--config", `${tmp}/nope.yaml`], 2, /Cannot read config file/],
    ];
    for (const [name, args, want, re] of cases) {
      await t.step(name, async () => {
        const out = `${tmp}/${name.replaceAll(" ", "_")}`;
        const { code, err } = await run([...args, "--output", out]);
        assert.equal(code, want, err);
        assert.match(err, re);
        assert.equal(err.trim().split("\n").length, 1, "one line");
        assert.equal(await exists(out), false, "nothing written");
      });
    }
    const left = [...Deno.readDirSync(tmp)].map((e) => e.name);
    assert.deepEqual(left, [], "no temporary folders left behind");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("parseTypesFlag() and parseExportFlag() read comma lists", () => {
  const w = parseTypesFlag("spike, dip=2.5");
  assert.equal(w["types.spike.weight"], 1);
  assert.equal(w["types.dip.weight"], 2.5);
  assert.equal(w["types.incident.weight"], 0);
  assert.deepEqual(parseExportFlag("nab,timeeval,nab"), ["nab", "timeeval"]);
  assert.throws(() => parseTypesFlag(","), /at least one type/);
});
