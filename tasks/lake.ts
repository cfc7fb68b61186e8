/**
 * `deno task lake list|prune`: the data-lake catalog and retention.
 * @module
 */
import "@lib/kinds/mod.ts"; // registers every dataset kind before the areas look one up
import { assertWritable, type FlagSpec, helpText, parseFlags, runTask, UsageError } from "@lib/cli/mod.ts";
import { Progress } from "@lib/cli/progress.ts";
import {
  type CatalogEntry,
  checkLakeRoot,
  DEFAULT_LAKE_ROOT,
  expiredDatasets,
  expiresAt,
  findLeftovers,
  type Leftover,
  listDatasets,
  lockDataset,
  removeWithin,
  tidyDataset,
} from "@lib/lake/mod.ts";
import { readStoredValidation, type StoredStatus } from "@lib/validate/stored.ts";

const FLAGS: Record<string, FlagSpec> = {
  root: { type: "string", arg: "DIR", help: `lake root (default ${DEFAULT_LAKE_ROOT})`, config: false },
  "dry-run": { type: "boolean", help: "prune: list what would be removed, remove nothing", config: false },
  json: { type: "boolean", help: "list: print the catalog and the leftovers as JSON", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task lake <list|prune> [flags]", {
  description: `Shows and tidies the data lake (data/raw, data/processed, data/synthetic).`,
  flags: FLAGS,
  lists: {
    Commands: [
      [
        "list",
        `shows every dataset from its manifest.json: layer, name, kind, rows, size, classification, created, retention and expiry, the validation status (pass, warn or fail only from validation.json made from the content the manifest lists now, stale when it was made from other content, "-" when there is none); shards as "shard k/n of <name>"; symbolic links to datasets with a warning; and the leftovers of dead runs (temporary folders, datasets moved aside, lock files no process holds).`,
      ],
      [
        "prune",
        `removes datasets whose retention has passed (counted from when the dataset was written: the time of its manifest.json, not the "created" that SOURCE_DATE_EPOCH may pin) and the leftovers of dead runs, putting back a dataset a killed run left moved aside; --dry-run only lists them. It never follows a symbolic link and never removes anything whose real path is outside the lake root.`,
      ],
    ],
  },
  examples: ["deno task lake list", "deno task lake list --json", "deno task lake prune --dry-run"],
});

/** The validation status of a catalog entry, bound to its current content (see readStoredValidation). */
async function statusOf(e: CatalogEntry): Promise<StoredStatus | "invalid" | null> {
  if (!e.manifest) return null;
  try {
    return (await readStoredValidation(e.dir, e.manifest)).status;
  } catch {
    return "invalid";
  }
}

function formatBytes(n: number): string {
  return n >= 1e9
    ? `${(n / 1e9).toFixed(1)} GB`
    : n >= 1e6
    ? `${(n / 1e6).toFixed(1)} MB`
    : `${(n / 1e3).toFixed(1)} kB`;
}

function describeLeftover(l: Leftover): string {
  const what = l.what === "temp"
    ? "temporary folder of an unfinished write"
    : l.what === "lock"
    ? "lock file no process holds"
    : l.restore
    ? "dataset moved aside by an unfinished swap (the dataset is missing: prune puts it back)"
    : "previous dataset moved aside by an unfinished swap";
  return `${l.path}  ${formatBytes(l.bytes)}  (${what} of ${l.dataset})`;
}

/**
 * Runs `lake list` or `lake prune`.
 * @param args command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return runTask(async () => {
    const { flags, positionals } = parseFlags(args, FLAGS);
    const [verb, ...extra] = positionals;
    if (flags.help || verb === undefined) {
      console.log(HELP);
      return flags.help ? 0 : 2;
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (see --help)`);
    if (verb !== "list" && verb !== "prune") throw new UsageError(`unknown command "${verb}": expected list or prune`);
    const root = typeof flags.root === "string" ? flags.root : DEFAULT_LAKE_ROOT;
    try {
      await checkLakeRoot(root, DEFAULT_LAKE_ROOT);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    // Any lake root can be listed; pruning writes, so its root must be one this task may write (data/ by default).
    if (verb === "prune" && flags["dry-run"] !== true) assertWritable(root, "--root", { beside: false });
    const entries = await listDatasets(root, { shards: verb === "list", symlinks: true });
    const leftovers = await findLeftovers(root);
    for (const e of entries) {
      if (e.symlink !== undefined) {
        console.error(`warning: ${e.dir} is a symbolic link to ${e.symlink}: listed, never followed for deletion`);
      }
    }
    if (verb === "list") {
      // Each stored validation is checked against the content its manifest lists now: one display over the datasets.
      const progress = new Progress("lake list", entries.length, { unit: "datasets" });
      const statuses = await Promise.all(entries.map(async (e) => {
        const status = await statusOf(e);
        progress.tick(1);
        return status;
      }));
      progress.finish();
      if (flags.json) {
        const datasets = entries.map((e, i) => ({ ...e, status: e.missing?.length ? "broken" : statuses[i] }));
        console.log(JSON.stringify({ datasets, leftovers }, null, 2));
        return 0;
      }
      if (entries.length === 0 && leftovers.length === 0) {
        console.log(`No datasets under ${root}/. Try: deno task generate capacity`);
        return 0;
      }
      const rows = entries.map((e, i) => {
        if (!e.manifest) return [e.dir, "-", "-", "-", "-", "-", "-", `invalid: ${e.error}`];
        const m = e.manifest;
        const expires = new Date(expiresAt(e)!).toISOString().slice(0, 10);
        const bytes = m.files.reduce((s, f) => s + f.bytes, 0);
        const kind = m.shard ? `shard ${m.shard.index}/${m.shard.count} of ${m.name}` : m.kind;
        return [
          e.symlink === undefined ? e.dir : `${e.dir} -> ${e.symlink}`,
          kind,
          m.rows.toLocaleString("en-US"),
          formatBytes(bytes),
          m.classification,
          m.created.slice(0, 10),
          expires,
          e.missing?.length
            ? `broken: ${e.missing.length} file${e.missing.length === 1 ? "" : "s"} missing (${e.missing[0]})`
            : statuses[i] === "not validated"
            ? "-"
            : statuses[i]!,
        ];
      });
      const head = ["dataset", "kind", "rows", "size", "class", "created", "expires", "status"];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      if (rows.length > 0) {
        for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
      }
      if (leftovers.length > 0) {
        const total = leftovers.reduce((s, l) => s + l.bytes, 0);
        console.log(`\nLeftovers of dead runs, ${formatBytes(total)} (deno task lake prune removes them):`);
        for (const l of leftovers) console.log(`  ${describeLeftover(l)}`);
      }
      return entries.some((e) => e.error || e.missing?.length) ? 1 : 0;
    }
    const dry = flags["dry-run"] === true;
    const expired = expiredDatasets(entries, new Date()).filter((e) => e.symlink === undefined);
    let failed = 0;
    for (const e of expired) {
      try {
        if (!dry) {
          const lock = await lockDataset(e.dir);
          try {
            await removeWithin(root, e.dir);
          } finally {
            lock.release();
          }
        }
        console.log(`${dry ? "would remove" : "removed"} ${e.dir} (written ${e.written?.toISOString()})`);
      } catch (err) {
        failed++;
        console.error(`error: ${(err as Error).message}`);
      }
    }
    const datasets = [...new Set(leftovers.map((l) => l.dataset))];
    for (const dataset of datasets) {
      const mine = leftovers.filter((l) => l.dataset === dataset);
      if (dry) {
        for (const l of mine) console.log(`would ${l.restore ? "put back" : "remove"} ${describeLeftover(l)}`);
        continue;
      }
      try {
        const lock = await lockDataset(dataset);
        try {
          const { restored, removed } = await tidyDataset(dataset, { within: root });
          if (restored) console.log(`put back ${dataset} from ${restored}`);
          for (const r of removed) console.log(`removed ${r}`);
        } finally {
          lock.release(); // the stale lock file goes with it
        }
        if (mine.some((l) => l.what === "lock")) console.log(`removed stale lock of ${dataset}`);
      } catch (err) {
        failed++;
        console.error(`error: ${(err as Error).message}`);
      }
    }
    console.log(
      `${expired.length} of ${entries.length} datasets past retention, ${leftovers.length} leftovers of dead runs${
        dry ? " (dry run)" : ""
      }`,
    );
    return failed > 0 ? 1 : 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
