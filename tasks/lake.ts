/**
 * `deno task lake list|prune`: the data-lake catalog and retention.
 * @module
 */
import { type FlagSpec, helpText, parseFlags, runTask, UsageError } from "@lib/cli/mod.ts";
import { type CatalogEntry, DEFAULT_LAKE_ROOT, expiredDatasets, listDatasets } from "@lib/lake/mod.ts";
import { readStoredValidation, type StoredStatus } from "@lib/validate/stored.ts";

const FLAGS: Record<string, FlagSpec> = {
  root: { type: "string", arg: "DIR", help: `lake root (default ${DEFAULT_LAKE_ROOT})`, config: false },
  "dry-run": { type: "boolean", help: "prune: list what would be removed, remove nothing", config: false },
  json: { type: "boolean", help: "list: print the catalog as JSON", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText(
  "deno task lake <list|prune> [flags]",
  `list   shows every dataset in the lake (data/raw, data/processed, data/synthetic) from its manifest.json:
       layer, name, kind, rows, size, classification, created, retention and expiry, and the validation
       status: pass, warn or fail only from validation.json made from the content the manifest lists now,
       stale when it was made from other content, "-" when there is none.
prune  removes datasets whose retention (created + retention_days) has passed; --dry-run only lists them.`,
  FLAGS,
);

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
    const root = typeof flags.root === "string" ? flags.root : DEFAULT_LAKE_ROOT;
    const entries = await listDatasets(root);
    if (verb === "list") {
      const statuses = await Promise.all(entries.map(statusOf));
      if (flags.json) {
        console.log(JSON.stringify(entries.map((e, i) => ({ ...e, status: statuses[i] })), null, 2));
        return 0;
      }
      if (entries.length === 0) {
        console.log(`No datasets under ${root}/. Try: deno task generate capacity`);
        return 0;
      }
      const rows = entries.map((e, i) => {
        if (!e.manifest) return [e.dir, "-", "-", "-", "-", "-", "-", `invalid: ${e.error}`];
        const m = e.manifest;
        const expires = new Date(Date.parse(m.created) + m.retention_days * 86_400_000).toISOString().slice(0, 10);
        const bytes = m.files.reduce((s, f) => s + f.bytes, 0);
        return [
          e.dir,
          m.kind,
          m.rows.toLocaleString("en-US"),
          formatBytes(bytes),
          m.classification,
          m.created.slice(0, 10),
          expires,
          statuses[i] === "not validated" ? "-" : statuses[i]!,
        ];
      });
      const head = ["dataset", "kind", "rows", "size", "class", "created", "expires", "status"];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
      return entries.some((e) => e.error) ? 1 : 0;
    }
    if (verb === "prune") {
      const expired = expiredDatasets(entries, new Date());
      for (const e of expired) {
        if (!flags["dry-run"]) await Deno.remove(e.dir, { recursive: true });
        console.log(`${flags["dry-run"] ? "would remove" : "removed"} ${e.dir} (created ${e.manifest?.created})`);
      }
      console.log(
        `${expired.length} of ${entries.length} datasets past retention${flags["dry-run"] ? " (dry run)" : ""}`,
      );
      return 0;
    }
    throw new UsageError(`unknown command "${verb}": expected list or prune`);
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
