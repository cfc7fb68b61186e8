/**
 * What the Chromium layout tests share: a headless browser on a fresh profile, console problems collected per page,
 * and the checks every page passes at every width (no sideways scroll, nothing wider than the main column, drawn
 * charts shown unstretched).
 */
import assert from "node:assert/strict";

Deno.env.set("__IS_WSL_TEST__", "1");
const { chromium } = await import("playwright-core");
Deno.env.delete("__IS_WSL_TEST__");

const CHROMIUM = "/usr/bin/chromium";

type Context = Awaited<ReturnType<typeof chromium.launchPersistentContext>>;
type Page = Awaited<ReturnType<Context["newPage"]>>;

/**
 * Opens headless Chromium on a fresh profile; fails with the install command when it is missing.
 * @returns the context and a close() that also removes the profile
 */
export async function openChromium(): Promise<{ context: Context; close: () => Promise<void> }> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``);
  }
  const profile = await Deno.makeTempDir({ prefix: "opslab-chromium-profile-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await Deno.remove(profile, { recursive: true });
    },
  };
}

/**
 * Collects console errors and warnings and page errors, each prefixed with the page open at the time.
 * @param page the page
 * @returns the problems (filled as pages load) and a setter for the current page's name
 */
export function watchProblems(page: Page): { problems: string[]; at: (name: string) => void } {
  const problems: string[] = [];
  let current = "";
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${current}: console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
  return { problems, at: (name) => current = name };
}

/**
 * The page fits its width: it does not scroll sideways and nothing sticks out of the main column (a clipped table
 * cell or label is as bad as a scrollbar; scrolling tables, figures and closed details are allowed).
 * @param page the page, loaded
 * @param shot the name for messages
 */
export async function assertFitsWidth(page: Page, shot: string): Promise<void> {
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
}

/**
 * Every chart of a section is visible, has marks, and is shown at most at the width it was drawn for, with its drawn
 * aspect ratio (each chart is drawn at two widths; the stylesheet shows one).
 * @param page the page, loaded
 * @param input the section id and the name for messages
 */
export async function assertSectionCharts(page: Page, input: { id: string; shot: string }): Promise<void> {
  const { id, shot } = input;
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
