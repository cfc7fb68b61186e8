/**
 * NAB's rules for a corpus, read from the files as NAB reads them (numenta/NAB `nab/labeler.py`, `nab/scorer.py`):
 * every window boundary and every label is a timestamp present in its data file (`CorpusLabel.getWindows`), windows
 * are in order and do not overlap (`CorpusLabel.validateLabels`), and every window spans at least two rows (the
 * scorer's scaled sigmoid divides by the window's width minus one).
 * @module
 */
import { join } from "node:path";

/** One broken rule. */
export interface NabViolation {
  file: string;
  rule: "boundary-missing" | "single-row" | "overlap" | "label-missing" | "no-entry";
  detail: string;
}

/** NAB's timestamps (`YYYY-MM-DD HH:MM:SS[.ffffff]`, UTC) as epoch ms. */
function parse(t: string): number {
  return Date.parse(t.replace(" ", "T") + "Z");
}

/**
 * Checks a NAB layout (`data/`, `labels/combined_windows.json`, `labels/combined_labels.json`) against NAB's rules.
 * @param root the folder holding `data/` and `labels/`
 * @returns every violation, and how many files and windows were read
 */
export async function checkNabCorpus(
  root: string,
): Promise<{ violations: NabViolation[]; files: number; windows: number }> {
  const windows: Record<string, [string, string][]> = JSON.parse(
    await Deno.readTextFile(join(root, "labels/combined_windows.json")),
  );
  const labels: Record<string, string[]> = JSON.parse(
    await Deno.readTextFile(join(root, "labels/combined_labels.json")),
  );
  const violations: NabViolation[] = [];
  const files: string[] = [];
  for await (const metric of Deno.readDir(join(root, "data"))) {
    for await (const f of Deno.readDir(join(root, "data", metric.name))) files.push(`${metric.name}/${f.name}`);
  }
  let count = 0;
  for (const file of files.sort()) {
    if (!(file in windows) || !(file in labels)) {
      violations.push({ file, rule: "no-entry", detail: "no key in the label files" });
      continue;
    }
    const lines = (await Deno.readTextFile(join(root, "data", file))).trimEnd().split("\n").slice(1);
    const times = lines.map((l) => parse(l.slice(0, l.indexOf(","))));
    const index = new Map(times.map((t, i) => [t, i]));
    let prevEnd = -Infinity;
    for (const [a, b] of windows[file]) {
      count++;
      const i = index.get(parse(a)), j = index.get(parse(b));
      if (i === undefined || j === undefined) {
        violations.push({ file, rule: "boundary-missing", detail: `[${a}, ${b}]` });
        continue;
      }
      if (j - i + 1 < 2) violations.push({ file, rule: "single-row", detail: `[${a}, ${b}]: ${j - i + 1} row(s)` });
      if (parse(a) < prevEnd) violations.push({ file, rule: "overlap", detail: `[${a}, ${b}]` });
      prevEnd = parse(b);
    }
    for (const l of labels[file]) {
      if (!index.has(parse(l))) violations.push({ file, rule: "label-missing", detail: l });
    }
  }
  return { violations, files: files.length, windows: count };
}
