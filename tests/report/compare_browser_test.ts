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
import { assertFitsWidth, assertSectionCharts, openChromium, watchProblems } from "./_browser.ts";
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
  const lake = await makeCompareLake();
  const out = await Deno.makeTempDir({ prefix: "opslab-compare-browser-" });
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const pages = {
    "shifted": await compare(
      ["--root", lake.root, "--out", out, "--compare", "capacity", lake.shifted],
      `${lake.root},${out}`,
      out,
    ),
    "seeds": await compare(["--out", out, "--compare", lake.a, lake.b], `${lake.root},${out}`, out),
  };
  const browser = await openChromium();
  const sizes: Record<string, number> = {};
  try {
    const page = await browser.context.newPage();
    const { problems, at } = watchProblems(page);
    for (const [name, file] of Object.entries(pages)) {
      const bytes = (await Deno.stat(file)).size;
      sizes[name] = bytes;
      assert.ok(bytes <= MAX_BYTES, `${name}: ${bytes} bytes`);
      const url = pathToFileURL(file).href;
      at(url);
      for (const width of [390, 1400, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ["light", "dark"] as const) {
          const shot = `${name}-${width}-${scheme}`;
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(url, { waitUntil: "load" });
          await assertFitsWidth(page, shot);
          // The page follows the colour scheme: dark text on light, light text on dark.
          const fg = await page.evaluate("getComputedStyle(document.body).color") as string;
          const lum = fg.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
          assert.ok(scheme === "dark" ? lum > 180 : lum < 80, `${shot}: text colour ${fg}`);
          for (const id of PLAIN) {
            assert.equal(await page.$$eval(`section#${id}`, (els) => els.length), 1, `${shot}: section #${id}`);
          }
          for (const id of CHARTED) await assertSectionCharts(page, { id, shot });
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
