import { isSourceDoc } from "../common/mod.ts";

/** One NAB data file found under the root. */
export interface NabFile {
  /** Path relative to the root. */
  path: string;
  /** The NAB key, `<category>/<name>.csv`, as the label files use it. */
  key: string;
  /** The category folder, e.g. `realAWSCloudwatch`. */
  category: string;
  /** The series id, `<category>/<name>`. */
  seriesId: string;
}

/** Where the parts of a NAB-layout folder are. */
export interface NabLayout {
  /** Data files, one per key, sorted by series id. */
  files: NabFile[];
  /** `combined_windows.json`, if found. */
  windowsPath?: string;
  /** `combined_labels.json`, if found. */
  labelsPath?: string;
  /** Files not read as data, with the reason. */
  skipped: { path: string; reason: string }[];
}

function pickLabelFile(paths: readonly string[], name: string): string | undefined {
  const found = paths.filter((p) => p.split("/").pop() === name);
  return found.find((p) => p === `labels/${name}`) ??
    found.sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))[0];
}

/**
 * Finds the data and label files of a NAB-layout folder: `data/<category>/<name>.csv` and
 * `labels/combined_windows.json` as in the NAB repository, or category folders straight under the root (the
 * Kaggle copy nests them once more, `realAWSCloudwatch/realAWSCloudwatch/x.csv`: the category is the folder
 * holding the file). A key met twice is read once, from the first path in sorted order.
 *
 * @param paths every file under the root, relative, sorted
 * @returns the layout, files sorted by series id
 */
export function findNabLayout(paths: readonly string[]): NabLayout {
  const skipped: { path: string; reason: string }[] = [];
  const underData = paths.some((p) => p.startsWith("data/") && p.endsWith(".csv"));
  const files: NabFile[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    if (!path.toLowerCase().endsWith(".csv")) {
      if (!path.endsWith(".json") && !isSourceDoc(path)) skipped.push({ path, reason: "not a NAB data file" });
      continue;
    }
    if (underData && !path.startsWith("data/")) {
      skipped.push({ path, reason: "outside data/" });
      continue;
    }
    const parts = path.split("/");
    if (parts.length < 2 || (underData && parts.length < 3)) {
      skipped.push({ path, reason: "not in a category folder" });
      continue;
    }
    const category = parts[parts.length - 2];
    const name = parts[parts.length - 1].replace(/\.csv$/i, "");
    const key = `${category}/${name}.csv`;
    const first = seen.get(key);
    if (first !== undefined) {
      skipped.push({ path, reason: `duplicate of ${first}` });
      continue;
    }
    seen.set(key, path);
    files.push({ path, key, category, seriesId: `${category}/${name}` });
  }
  // Code-unit order of the series id, the order Polars sorts strings in, so file order is series order.
  files.sort((a, b) => (a.seriesId < b.seriesId ? -1 : a.seriesId > b.seriesId ? 1 : 0));
  const layout: NabLayout = { files, skipped };
  const windowsPath = pickLabelFile(paths, "combined_windows.json");
  const labelsPath = pickLabelFile(paths, "combined_labels.json");
  if (windowsPath !== undefined) layout.windowsPath = windowsPath;
  if (labelsPath !== undefined) layout.labelsPath = labelsPath;
  return layout;
}

/**
 * Keeps the files a selection names: `"all"`, categories (`realAWSCloudwatch`) or keys
 * (`realAWSCloudwatch/ec2_cpu_utilization_5f5533.csv`, with or without `.csv`).
 * @param files the files found
 * @param select the selection
 * @returns the selected files
 * @throws {RangeError} naming a selector that matches nothing, and what exists
 */
export function selectNabFiles(files: readonly NabFile[], select: string | readonly string[]): NabFile[] {
  const selectors = typeof select === "string" ? [select] : [...select];
  if (selectors.includes("all")) return [...files];
  const keep = new Set<NabFile>();
  for (const s of selectors) {
    const sel = s.replace(/\.csv$/i, "");
    const hit = files.filter((f) => f.category === sel || f.seriesId === sel);
    if (hit.length === 0) {
      const cats = [...new Set(files.map((f) => f.category))].sort();
      throw new RangeError(
        `Cannot select NAB series "${s}": no category or file of that name, found categories ${
          cats.length ? cats.join(", ") : "(none)"
        }`,
      );
    }
    for (const f of hit) keep.add(f);
  }
  return files.filter((f) => keep.has(f));
}
