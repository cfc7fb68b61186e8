import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { Rng } from "@lib/random/mod.ts";
import { ANOMALY_TYPES, type SeriesContext, type Track } from "@lib/generate/anomalies/types/mod.ts";

function track(name: string, kind: Track["kind"], level: number, upper = 100): Track {
  const values = Float64Array.from({ length: 200 }, (_, i) => level + 2 * Math.sin(i / 3));
  return {
    name,
    kind,
    values,
    clean: values.slice(),
    expected: new Float64Array(200).fill(level),
    seasonal: new Float64Array(200),
    lower: 0,
    upper,
  };
}

function run(shape: keyof typeof ANOMALY_TYPES, tracks: Track[], length: number) {
  const ctx: SeriesContext = { tracks, points: 200, period: 24, sigmaWindow: 48 };
  const type = ANOMALY_TYPES[shape];
  const params = (type.params as { parse(x: unknown): unknown }).parse({ length: [length, length], all_metrics: 1 });
  // deno-lint-ignore no-explicit-any
  const draft = (type as any).draw(Rng.fromKey(shape), params, tracks);
  // deno-lint-ignore no-explicit-any
  return (type as any).apply(ctx, { ...draft, start: 100, length });
}

Deno.test("the resource shapes change only their span, each in its own way", async (t) => {
  await t.step("memory_leak climbs toward the ceiling", () => {
    const mem = track("mem_p95", "generic", 40);
    run("memory_leak", [mem], 40);
    assert.ok(mem.values[139] > 85 && mem.values[139] <= 100, `end ${mem.values[139]}`);
    assert.ok(mem.values[105] < mem.values[120] && mem.values[120] < mem.values[139], "rising");
    for (let i = 0; i < 200; i++) if (i < 100 || i >= 140) assert.equal(mem.values[i], mem.clean[i]);
  });
  await t.step("gc_sawtooth drops memory at each collection and spikes CPU there", () => {
    const mem = track("mem_p95", "generic", 40), cpu = track("cpu_p95", "generic", 30);
    const realized = run("gc_sawtooth", [mem, cpu], 30);
    const period = realized.period as number;
    const tooth = (i: number) => mem.values[i] - mem.clean[i];
    assert.ok(tooth(100 + period - 1) > tooth(100 + period), "memory drops after a cycle ends");
    assert.ok(cpu.values[100 + period - 1] - cpu.clean[100 + period - 1] > cpu.values[100] - cpu.clean[100]);
    for (let i = 0; i < 200; i++) if (i < 100 || i >= 130) assert.equal(mem.values[i], mem.clean[i]);
  });
  await t.step("thundering_herd peaks at once and decays", () => {
    const rps = track("throughput_rps", "throughput", 500, Infinity);
    run("thundering_herd", [rps], 24);
    const lift = (i: number) => rps.values[i] / rps.clean[i];
    assert.ok(lift(100) > 2, `peak ${lift(100)}`);
    assert.ok(lift(123) < lift(100));
    for (let i = 100; i < 124; i++) assert.ok(lift(i) > 1, "every labeled point lifted");
  });
  await t.step("batch_window bursts at a fixed cadence", () => {
    const disk = track("disk_p95", "generic", 30);
    const realized = run("batch_window", [disk], 36);
    const d = Array.from({ length: 36 }, (_, k) => disk.values[100 + k] - disk.clean[100 + k]);
    const high = Math.max(...d);
    const bursts = d.map((x, k) => (x > high * 0.9 ? k : -1)).filter((k) => k >= 0);
    assert.ok(bursts.length >= 2);
    assert.ok(bursts.every((k) => k % (realized.period as number) < (realized.width as number)));
    assert.ok(d.every((x) => x > 0), "the whole window is lifted");
  });
});
