import "@lib/kinds/mod.ts"; // registers every dataset kind
import assert from "node:assert/strict";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { cloudfrontBatches, IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
import { filesUnder, fixture, readText } from "./_fixture.ts";

const SEEDS = [42, 1337, 1211];

/** The path of a tool, or a failure naming the Debian package that brings it. */
async function requireTool(name: string, apt: string): Promise<string> {
  for (const dir of ["/usr/bin", "/usr/local/bin", "/bin"]) {
    const path = join(dir, name);
    if (await Deno.stat(path).then(() => true, () => false)) return path;
  }
  assert.fail(`${name} is needed as the oracle here: apt-get update && apt-get install -y ${apt}`);
}

/** The text of every line (header lines left out) of a batch. */
function lines(bytes: Uint8Array | undefined): string[] {
  return new TextDecoder().decode(bytes).split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

/** Variance over mean of counts. */
function fano(counts: readonly number[]): number {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
  return variance / mean;
}

Deno.test("x-edge-request-id is 56 characters, 40 random bytes in URL-safe base64 that decode strictly", () => {
  const ids: string[] = [];
  const plan = planIncidents(IncidentsConfig.parse({ seed: 5, to: "2024-03-05", incidents_per_week: 0 }));
  for (const b of cloudfrontBatches(plan)) for (const line of lines(b.bytes)) ids.push(line.split("\t")[14]);
  assert.ok(ids.length > 10_000, `${ids.length} lines`);
  for (const id of ids) {
    assert.equal(id.length, 56, id);
    assert.match(id, /^[A-Za-z0-9_-]{54}==$/, id);
    const bytes = Buffer.from(id, "base64url");
    assert.equal(bytes.length, 40, id);
    // strict: the bits after the 40th byte are zero, so re-encoding gives the id back
    assert.equal(bytes.toString("base64url") + "==", id, `${id} does not decode strictly`);
  }
  assert.equal(new Set(ids).size, ids.length, "every id is unique");
  // the bytes look random: every base64url character occurs in the first 53 positions, none dominates
  const counts = new Map<string, number>();
  for (const id of ids) for (const c of id.slice(0, 53)) counts.set(c, (counts.get(c) ?? 0) + 1);
  assert.equal(counts.size, 64);
  const expected = ids.length * 53 / 64;
  for (const [c, n] of counts) assert.ok(Math.abs(n - expected) < 0.05 * expected, `${c}: ${n} of ${expected}`);
});

Deno.test("x-edge-request-ids are the same for one seed and differ for another", () => {
  const idsOf = (seed: number) => {
    const plan = planIncidents(IncidentsConfig.parse({ seed, to: "2024-03-05", incidents_per_week: 0 }));
    const b = cloudfrontBatches(plan).next().value!;
    return lines(b.bytes).slice(0, 50).map((l) => l.split("\t")[14]);
  };
  assert.deepEqual(idsOf(3), idsOf(3));
  assert.notDeepEqual(idsOf(3), idsOf(4));
});

Deno.test("CloudFront arrivals are bursty: per-minute request counts have a Fano factor of at least 2", async (t) => {
  for (const seed of SEEDS) {
    await t.step(`seed ${seed}, default volumes`, () => {
      const plan = planIncidents(IncidentsConfig.parse({ seed }));
      const perFile = new Map<string, Map<number, number>>();
      const whole = new Map<number, number>();
      for (const b of cloudfrontBatches(plan)) {
        let m = perFile.get(b.file);
        if (m === undefined) perFile.set(b.file, m = new Map());
        for (const t of b.t) {
          const minute = Math.floor(t / 60_000);
          m.set(minute, (m.get(minute) ?? 0) + 1);
          whole.set(minute, (whole.get(minute) ?? 0) + 1);
        }
      }
      // per file: the 60 minutes of its hour (an hour holds one rate of the daily cycle, so Poisson would give 1)
      const perHour = [...perFile.values()].map((m) => {
        const first = Math.floor(Math.min(...m.keys()) / 60) * 60;
        return fano(Array.from({ length: 60 }, (_, i) => m.get(first + i) ?? 0));
      }).sort((a, b) => a - b);
      const median = perHour[perHour.length >> 1];
      assert.ok(median >= 2, `median per-file Fano factor ${median.toFixed(2)} < 2`);
      const lo = Math.min(...whole.keys()), hi = Math.max(...whole.keys());
      const all = fano(Array.from({ length: hi - lo + 1 }, (_, i) => whole.get(lo + i) ?? 0));
      assert.ok(all >= 2, `whole-period Fano factor ${all.toFixed(2)} < 2`);
    });
  }
});

Deno.test("goaccess --log-format=CLOUDFRONT accepts every generated line that is not status 000", async () => {
  const goaccess = await requireTool("goaccess", "goaccess");
  const fx = await fixture();
  const files = filesUnder(fx, "cloudfront/");
  assert.ok(files.length > 100, `${files.length} files`);
  const tmp = await Deno.makeTempDir({ prefix: "opslab-goaccess-" });
  try {
    const texts = await Promise.all(files.map((f) => readText(fx.dir, f)));
    const requests = texts.flatMap((t) => t.split("\n").filter((l) => l !== "" && !l.startsWith("#")));
    const zero = requests.filter((l) => l.split("\t")[8] === "000").length;
    await Deno.writeTextFile(join(tmp, "access.log"), texts.join(""));
    const out = await new Deno.Command(goaccess, {
      args: [join(tmp, "access.log"), "--log-format=CLOUDFRONT", "--no-global-config", "-o", join(tmp, "report.json")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const general = JSON.parse(await Deno.readTextFile(join(tmp, "report.json"))).general;
    assert.equal(general.total_requests, requests.length);
    assert.equal(general.valid_requests, requests.length - zero, "every line but the 000 ones is valid");
    assert.equal(general.failed_requests, zero);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
