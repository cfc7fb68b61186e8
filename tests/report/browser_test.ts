import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Opens the built reports in a real headless Chromium (Debian's /usr/bin/chromium through playwright-core), from
 * disk: no console errors, no failed or outgoing requests, every SVG drawn at a non-zero size, light and dark
 * palettes applied, and a screenshot of every page in tests/.artifacts/report/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// playwright-core asks at import time whether it runs under WSL by probing /proc/sys/fs/binfmt_misc, which Deno
// lets only --allow-all read. With __IS_WSL_TEST__ set the probe is deferred to the one helper that opens URLs in
// a desktop browser, which this test never calls; so the test keeps its narrow permissions.
Deno.env.set("__IS_WSL_TEST__", "1");
const { chromium } = await import("playwright-core");
Deno.env.delete("__IS_WSL_TEST__");
import { makeLake } from "./_fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = new URL("../.artifacts/report/", import.meta.url).pathname;
const repo = new URL("../../", import.meta.url).pathname;

async function chromiumPresent(): Promise<boolean> {
  try {
    return (await Deno.stat(CHROMIUM)).isFile;
  } catch {
    return false;
  }
}

Deno.test("the reports open from disk in headless Chromium with no errors, no requests and every chart drawn", async () => {
  if (!(await chromiumPresent())) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
  }
  const { root } = await makeLake();
  const out = await Deno.makeTempDir({ prefix: "opslab-reports-browser-" });
  const profile = await Deno.makeTempDir({ prefix: "opslab-chromium-profile-" });
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  const built = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi=./node_modules",
      "--allow-sys",
      "--allow-env",
      `--allow-read=.,${root},${out}`,
      `--allow-write=${out}`,
      "tasks/report.ts",
      "--root",
      root,
      "--out",
      out,
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(built.code, 0, new TextDecoder().decode(built.stderr));

  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1024, height: 800 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    let current = "";
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${current}: console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`${current}: request failed: ${r.url()}`));
    page.on("request", (r) => {
      // The page itself is the only thing a self-contained report may load.
      if (r.url() !== current) problems.push(`${current}: request: ${r.url()}`);
    });

    const visit = async (file: string, shot: string) => {
      current = pathToFileURL(file).href;
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const res = await page.goto(current, { waitUntil: "load" });
        assert.ok(res === null || res.ok(), `${file} opened`);
        const background = await page.evaluate("getComputedStyle(document.documentElement).backgroundColor");
        assert.equal(background, scheme === "light" ? "rgb(255, 255, 255)" : "rgb(20, 23, 28)", `${shot} ${scheme}`);
        const sizes = await page.$$eval(
          "svg",
          (els) =>
            // The other width's drawing of each chart is hidden (display: none) at this width.
            els.filter((e) => e.checkVisibility()).map((e) =>
              [
                e.getAttribute("aria-label") ?? "(legend)",
                e.getBoundingClientRect().width,
                e.getBoundingClientRect().height,
              ] as const
            ),
        );
        for (const [name, w, h] of sizes) assert.ok(w > 0 && h > 0, `${shot}: svg "${name}" is ${w}x${h}`);
        const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") as number;
        assert.ok(overflow <= 0, `${shot}: page scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: join(ARTIFACTS, `${shot}-${scheme}.png`), fullPage: true });
      }
      return await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")!));
    };

    const links = (await visit(join(out, "index.html"), "index")).filter((h) => !h.startsWith("#"));
    assert.deepEqual(links.sort(), ["anomalies/index.html", "capacity/index.html", "odd/index.html"]);
    for (const href of links) {
      const back = await visit(join(out, href), href.split("/")[0]);
      assert.ok(back.includes("../index.html"), `${href} links back to the index`);
      const charts = await page.$$eval("svg[role=img]", (els) => els.length);
      assert.ok(charts >= 3, `${href}: ${charts} charts`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true });
    await Deno.remove(out, { recursive: true });
    await Deno.remove(root, { recursive: true });
  }
});
