import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Opens compare pages (`deno task report --compare A B`) in headless Chromium, light and dark, at 390, 1400 and
 * 1920 px, as the kinds' pages are opened: no console errors, no sideways scroll, nothing sticking out of the main
 * column, the sections with drawn SVGs, every page within 1.5 MB. Screenshots go to tests/.artifacts/report/compare/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { makeCompareLake } from "./_compare.ts";

Deno.env.set("__IS_WSL_TEST__", "1");
const { chromium } = await import("playwright-core");
Deno.env.delete("__IS_WSL_TEST__");

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../.artifacts/report/compare/", import.meta.url).pathname;
const repo = new URL("../../", import.meta.url).pathname;
const MAX_BYTES = 1.5 * 1024 * 1024;
/** Sections holding charts, and those holding only text and tables. */
const CHARTED = ["drift", "correlation", "seasonality"];
const PLAIN = ["categories", "columns"];

async function compare(args: string[], read: string, write: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      `--allow-read=.,${read}`,
      `--allow-write=${write}`,
      "tasks/report.ts",
      "--json",
      ...args,
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout).trim()).path;
}

Deno.test("compare pages hold their layout in Chromium at 390, 1400 and 1920 px, light and dark", async () => {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
  }
  const lake = await makeCompareLake();
  const out = await Deno.makeTempDir({ prefix: "opslab-compare-browser-" });
  const profile = await Deno.makeTempDir({ prefix: "opslab-chromium-profile-" });
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const pages = {
    "shifted": await compare(
      ["--root", lake.root, "--out", out, "--compare", "capacity", lake.shifted],
      `${lake.root},${out}`,
      out,
    ),
    "seeds": await compare(["--out", out, "--compare", lake.a, lake.b], `${lake.root},${out}`, out),
  };
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
    for (const [name, file] of Object.entries(pages)) {
      const bytes = (await Deno.stat(file)).size;
      sizes[name] = bytes;
      assert.ok(bytes <= MAX_BYTES, `${name}: ${bytes} bytes`);
      current = pathToFileURL(file).href;
      for (const width of [390, 1400, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ["light", "dark"] as const) {
          const shot = `${name}-${width}-${scheme}`;
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(current, { waitUntil: "load" });
          const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as number;
          assert.ok(overflow <= 0, `${shot}: page scrolls sideways by ${overflow}px`);
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
          // The page follows the colour scheme: dark text on light, light text on dark.
          const fg = await page.evaluate("getComputedStyle(document.body).color") as string;
          const lum = fg.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
          assert.ok(scheme === "dark" ? lum > 180 : lum < 80, `${shot}: text colour ${fg}`);
          for (const id of PLAIN) {
            assert.equal(await page.$$eval(`section#${id}`, (els) => els.length), 1, `${shot}: section #${id}`);
          }
          for (const id of CHARTED) {
            const svgs = await page.$$eval(
              `section#${id} svg[role=img]`,
              (els) =>
                els.filter((e) => e.checkVisibility()).map((e) => [
                  e.getBoundingClientRect().width,
                  e.getBoundingClientRect().height,
                  e.querySelectorAll("path,rect,circle,line,text").length,
                  Number(e.getAttribute("width")),
                  Number(e.getAttribute("height")),
                ]),
            );
            assert.ok(svgs.length > 0, `${shot}: section #${id} has a chart`);
            for (const [w, h, marks, drawnW, drawnH] of svgs) {
              assert.ok(w > 0 && h > 0 && marks > 0, `${shot}: #${id} svg ${w}x${h}, ${marks} marks`);
              if (drawnW > 0 && drawnH > 0) {
                assert.ok(w <= drawnW + 1, `${shot}: #${id} svg drawn ${drawnW} px wide, shown ${w} px`);
                assert.ok(
                  Math.abs(w / h - drawnW / drawnH) <= 0.02 * (drawnW / drawnH),
                  `${shot}: #${id} svg drawn ${drawnW}x${drawnH}, shown ${w}x${h}`,
                );
              }
            }
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
