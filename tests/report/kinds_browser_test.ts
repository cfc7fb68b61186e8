import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Opens a report of every kind (capacity, anomalies, incidents, msp, ingested NAB, CloudFront, tickets and an
 * external CSV) in headless Chromium, light and dark, at 390, 1400 and 1920 px: no console errors, no sideways scroll,
 * the sections of the kind present with drawn SVGs, every page within 1.5 MB. Screenshots go to
 * tests/.artifacts/report/kinds/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeKindsLake } from "./_kinds.ts";
import { assertFitsWidth, assertSectionCharts, openChromium, watchProblems } from "./_browser.ts";
const ARTIFACTS = new URL("../.artifacts/report/kinds/", import.meta.url).pathname;
const repo = new URL("../../", import.meta.url).pathname;
const MAX_BYTES = 1.5 * 1024 * 1024;

/** The sections every page of a kind must show, by report folder. */
export const EXPECTED: Record<string, string[]> = {
  capacity: ["card", "quality", "profile", "correlation", "seasonality", "series"],
  anomalies: ["card", "quality", "profile", "seasonality", "anomalies", "series"],
  incidents: ["card", "quality", "profile", "incidents", "series"],
  msp: ["card", "quality", "profile", "msp"],
  "processed/metrics/nab": ["card", "quality", "profile", "anomalies", "series"],
  "processed/logs/cloudfront": ["card", "quality", "profile", "traffic"],
  "processed/tickets/tickets": ["card", "quality", "profile", "tickets"],
  "files/external.csv": ["card", "quality", "profile", "seasonality", "series"],
};

/** Charts (by the start of their accessible name) a page must draw, beyond its sections. */
export const CHARTS: Record<string, string[]> = {
  anomalies: ["Measured correlations of each metric pair", "Anomalous points per time bucket"],
  incidents: ["Volume per modality around each incident", "One incident across modalities"],
  "processed/metrics/nab": ["Every series with its label windows"],
};

async function report(args: string[], read: string, write: string): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      `--allow-read=.,${read}`,
      `--allow-write=${write}`,
      "tasks/report.ts",
      ...args,
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test("a report of every kind holds its layout in Chromium at 390, 1400 and 1920 px, light and dark", async () => {
  const lake = await makeKindsLake();
  const out = await Deno.makeTempDir({ prefix: "opslab-reports-kinds-" });
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await report(["--root", lake.root, "--out", out], `${lake.root},${out}`, out);
  await report(["--root", lake.root, "--out", out, lake.csv], `${lake.root},${out}`, out);
  const browser = await openChromium();
  const sizes: Record<string, number> = {};
  try {
    const page = await browser.context.newPage();
    const { problems, at } = watchProblems(page);
    for (const [slug, sections] of Object.entries(EXPECTED)) {
      const file = join(out, slug, "index.html");
      const bytes = (await Deno.stat(file)).size;
      sizes[slug] = bytes;
      assert.ok(bytes <= MAX_BYTES, `${slug}: ${bytes} bytes`);
      const url = pathToFileURL(file).href;
      at(url);
      for (const width of [390, 1400, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ["light", "dark"] as const) {
          const shot = `${slug.replaceAll("/", "_")}-${width}-${scheme}`;
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(url, { waitUntil: "load" });
          await assertFitsWidth(page, shot);
          for (const id of sections) {
            const present = await page.$$eval(`section#${id}`, (els) => els.length);
            assert.equal(present, 1, `${shot}: section #${id}`);
            if (id !== "card") await assertSectionCharts(page, { id, shot });
          }
          for (const name of CHARTS[slug] ?? []) {
            const marks = await page.$$eval(
              `[aria-label^="${name}"]`,
              (els) =>
                els.filter((e) => e.checkVisibility()).map((e) =>
                  (e.tagName.toLowerCase() === "svg" ? [e] : [...e.querySelectorAll("svg[role=img]")])
                    .reduce((a, svg) => a + svg.querySelectorAll("path,rect,circle,line,text").length, 0)
                ),
            );
            assert.ok(marks.length > 0 && marks.every((m) => m > 0), `${shot}: chart "${name}" drawn (${marks})`);
          }
          await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
        }
      }
    }
    assert.deepEqual(problems, []);
    await Deno.writeTextFile(join(ARTIFACTS, "sizes.json"), JSON.stringify(sizes, null, 2) + "\n");
  } finally {
    await browser.close();
    await Deno.remove(out, { recursive: true });
    await Deno.remove(lake.root, { recursive: true });
  }
});
