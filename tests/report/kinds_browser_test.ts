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

Deno.env.set("__IS_WSL_TEST__", "1");
const { chromium } = await import("playwright-core");
Deno.env.delete("__IS_WSL_TEST__");

const CHROMIUM = "/usr/bin/chromium";
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
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
  }
  const lake = await makeKindsLake();
  const out = await Deno.makeTempDir({ prefix: "opslab-reports-kinds-" });
  const profile = await Deno.makeTempDir({ prefix: "opslab-chromium-profile-" });
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await report(["--root", lake.root, "--out", out], `${lake.root},${out}`, out);
  await report(["--root", lake.root, "--out", out, lake.csv], `${lake.root},${out}`, out);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const sizes: Record<string, number> = {};
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    let current = "";
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${current}: console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
    for (const [slug, sections] of Object.entries(EXPECTED)) {
      const file = join(out, slug, "index.html");
      const bytes = (await Deno.stat(file)).size;
      sizes[slug] = bytes;
      assert.ok(bytes <= MAX_BYTES, `${slug}: ${bytes} bytes`);
      current = pathToFileURL(file).href;
      for (const width of [390, 1400, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ["light", "dark"] as const) {
          const shot = `${slug.replaceAll("/", "_")}-${width}-${scheme}`;
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(current, { waitUntil: "load" });
          const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as number;
          assert.ok(overflow <= 0, `${shot}: page scrolls sideways by ${overflow}px`);
          // Nothing sticks out of the main column (a clipped table cell or label is as bad as a scrollbar).
          const sticking = await page.evaluate(`(() => {
            const main = document.querySelector("main").getBoundingClientRect();
            const out = [];
            for (const el of document.querySelectorAll("main *")) {
              if (el.closest("div.scroll, figure, pre, details:not([open])")) continue;
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.right > main.right + 1) out.push(el.tagName + "." + el.className + " " + (el.textContent || "").slice(0, 40));
            }
            return out.slice(0, 5);
          })()`) as string[];
          assert.deepEqual(sticking, [], `${shot}: elements wider than the page`);
          for (const id of sections) {
            const svgs = await page.$$eval(
              `section#${id} svg[role=img]`,
              // Each chart is drawn at two widths; the stylesheet shows one.
              (els) =>
                els.filter((e) => e.checkVisibility()).map((
                  e,
                ) => [
                  e.getBoundingClientRect().width,
                  e.getBoundingClientRect().height,
                  e.querySelectorAll("path,rect,circle,line,text").length,
                  Number(e.getAttribute("width")),
                  Number(e.getAttribute("height")),
                ]),
            );
            const present = await page.$$eval(`section#${id}`, (els) => els.length);
            assert.equal(present, 1, `${shot}: section #${id}`);
            if (id !== "card") {
              assert.ok(svgs.length > 0, `${shot}: section #${id} has a chart`);
              for (const [w, h, marks, drawnW, drawnH] of svgs) {
                assert.ok(w > 0 && h > 0 && marks > 0, `${shot}: #${id} svg ${w}x${h}, ${marks} marks`);
                // Not stretched: shown at most at the width it was drawn for, with its drawn aspect ratio.
                if (drawnW > 0 && drawnH > 0) {
                  assert.ok(w <= drawnW + 1, `${shot}: #${id} svg drawn ${drawnW} px wide, shown ${w} px`);
                  assert.ok(
                    Math.abs(w / h - drawnW / drawnH) <= 0.02 * (drawnW / drawnH),
                    `${shot}: #${id} svg drawn ${drawnW}x${drawnH}, shown ${w}x${h}`,
                  );
                }
              }
            }
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
    await context.close();
    await Deno.remove(profile, { recursive: true });
    await Deno.remove(out, { recursive: true });
    await Deno.remove(lake.root, { recursive: true });
  }
});
