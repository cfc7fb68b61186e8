/**
 * Realism figures of a database log file, measured the same way on generated and on real logs (issue 15):
 * message templates per 500 records, the share of templates seen once, the normalized entropy of the slow-query
 * mix, and the Fano factor (variance / mean) of per-minute line counts.
 *
 * A record starts at a line that is not a continuation (tab-indented lines, and a slow-log entry's lines after its
 * `# Time` / `# User@Host`, belong to the record before). A template is the record's first line with its
 * timestamp, process ids and variable parts (numbers, quoted strings, hex, addresses) masked.
 * @module
 */

/** The four figures of one file. */
export interface LogFigures {
  records: number;
  /** Mean distinct templates per window of 500 consecutive records (all records when fewer). */
  templatesPer500: number;
  /** Share of the file's templates that occur exactly once. */
  singletonShare: number;
  /** Shannon entropy of slow-query fingerprints over log(distinct fingerprints); NaN without slow queries. */
  slowQueryEntropy: number;
  /** Variance over mean of per-minute line counts, minutes from first to last timestamp. */
  fano: number;
}

const TIMESTAMP = [
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}| [A-Z]{2,5})?/,
  /^\{"t":\{"\$date":"([^"]+)"\}/,
  /^\d{6} {1,2}\d{1,2}:\d{2}:\d{2}/,
  /^[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?/,
  /^# Time: \S+(?: +\S+)?/,
];

/** Epoch ms of a line's leading timestamp, or NaN. */
export function lineTime(line: string): number {
  const mongo = /^\{"t":\{"\$date":"([^"]+)"\}/.exec(line);
  if (mongo) return Date.parse(mongo[1]);
  const iso = /^(?:# Time: )?(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)/.exec(line);
  if (iso) return Date.parse(`${iso[1]}T${iso[2].slice(0, 12)}Z`);
  const old = /^(?:# Time: )?(\d{2})(\d{2})(\d{2}) {1,2}(\d{1,2}):(\d{2}):(\d{2})/.exec(line);
  if (old) return Date.UTC(2000 + Number(old[1]), Number(old[2]) - 1, Number(old[3]), +old[4], +old[5], +old[6]);
  const ctime = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})/.exec(line);
  if (ctime) return Date.parse(`${ctime[1]} ${ctime[2]} 2020 ${ctime[3]}:${ctime[4]}:${ctime[5]} UTC`);
  const set = /^SET timestamp=(\d+);/.exec(line);
  if (set) return Number(set[1]) * 1000;
  return NaN;
}

/** The template of a record's first line. */
export function template(line: string): string {
  let s = line;
  const mongo = /"c":"([^"]*)",.*?"msg":"((?:[^"\\]|\\.)*)"/.exec(s);
  if (s.startsWith('{"t"') && mongo) return `${mongo[1]} ${mongo[2].replace(/\d+/g, "#")}`;
  for (const re of TIMESTAMP) s = s.replace(re, "");
  return s
    .replace(/\[\d+\]/g, "[#]")
    .replace(/'(?:[^'\\]|\\.)*'/g, "'*'")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"*"')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "IP")
    .replace(/\b0x[0-9a-f]+\b/gi, "#")
    .replace(/\b[0-9A-F]+\/[0-9A-F]+\b/g, "LSN")
    .replace(/\b[0-9a-f]*\d[0-9a-f]*\b/gi, "#")
    .replace(/\d+/g, "#")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}

/** A pt-query-digest-like fingerprint: literals masked, lists collapsed, case and spaces folded. */
export function fingerprint(sql: string): string {
  return sql.toLowerCase()
    .replace(/'(?:[^'\\]|\\.)*'/g, "?")
    .replace(/\$\d+/g, "?")
    .replace(/\b\d+(?:\.\d+)?\b/g, "?")
    .replace(/\(\s*\?(?:\s*,\s*\?)*\s*\)/g, "(?+)")
    .replace(/\s+/g, " ")
    .replace(/;\s*$/, "")
    .trim();
}

/** Splits a log text into records (first line of each, and the statement of slow-log entries). */
export function records(text: string): { first: string; slowQuery?: string; lines: string[] }[] {
  const out: { first: string; slowQuery?: string; lines: string[] }[] = [];
  let inSlow = false;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const slowHead = /^# (Time|User@Host):/.test(line);
    if (slowHead && !(inSlow && line.startsWith("# User@Host") && out.at(-1)?.lines.at(-1)?.startsWith("# Time"))) {
      out.push({ first: line.startsWith("# Time") ? "# Time" : "# User@Host", lines: [line] });
      inSlow = true;
      continue;
    }
    if (inSlow && out.length > 0) {
      const r = out.at(-1)!;
      r.lines.push(line);
      if (!line.startsWith("#") && !/^(SET timestamp=|use )/i.test(line)) {
        r.slowQuery = (r.slowQuery ? r.slowQuery + " " : "") + line;
      }
      continue;
    }
    if (/^\s/.test(line) && out.length > 0) {
      out.at(-1)!.lines.push(line);
      continue;
    }
    const pgSlow = /duration: [\d.]+ ms {2}(?:statement|execute [^:]*): (.*)$/.exec(line);
    const mongoSlow = /"msg":"Slow query".*?"command":(\{.*?\}),"(?:planSummary|originatingCommand|numYields)/.exec(
      line,
    );
    out.push({
      first: line,
      slowQuery: pgSlow?.[1] ?? (mongoSlow ? mongoShape(mongoSlow[1]) : undefined),
      lines: [line],
    });
  }
  return out;
}

function mongoShape(command: string): string {
  return command.replace(/:("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)/g, ":?");
}

/**
 * The four figures of one log file's text.
 * @param text the file's text
 * @returns the figures
 * @example
 * ```ts ignore
 * // After `deno task generate incidents` (needs the generated file):
 * import { measureLog } from "@lib/generate/incidents/dblogs/_measure.ts";
 * const text = await Deno.readTextFile("data/synthetic/incidents/db_logs/postgresql/orders-db-01.log");
 * console.log(measureLog(text)); // { records, templatesPer500, singletonShare, slowQueryEntropy, fano }
 * ```
 */
export function measureLog(text: string): LogFigures {
  const recs = records(text);
  const templates = recs.map((r) => (r.first.startsWith("# ") ? "slow entry" : template(r.first)));
  let windows = 0, distinct = 0;
  for (let i = 0; i < Math.max(1, templates.length - 499); i += 500) {
    distinct += new Set(templates.slice(i, i + 500)).size;
    windows++;
  }
  const counts = new Map<string, number>();
  for (const t of templates) counts.set(t, (counts.get(t) ?? 0) + 1);
  const once = [...counts.values()].filter((n) => n === 1).length;
  const fp = new Map<string, number>();
  let nq = 0;
  for (const r of recs) {
    if (r.slowQuery === undefined) continue;
    const f = fingerprint(r.slowQuery);
    fp.set(f, (fp.get(f) ?? 0) + 1);
    nq++;
  }
  let h = 0;
  for (const n of fp.values()) h -= (n / nq) * Math.log(n / nq);
  const entropy = fp.size > 1 ? h / Math.log(fp.size) : NaN;
  const minutes: number[] = [];
  let last = NaN;
  for (const r of recs) {
    for (const l of r.lines) {
      const t = lineTime(l);
      if (!Number.isNaN(t)) last = t;
      if (!Number.isNaN(last)) minutes.push(Math.floor(last / 60_000));
    }
  }
  let fano = NaN;
  if (minutes.length > 0) {
    const lo = Math.min(...minutes.slice(0, 1000)), hi = minutes.reduce((a, b) => Math.max(a, b), -Infinity);
    const first = minutes.reduce((a, b) => Math.min(a, b), lo);
    const bins = new Float64Array(hi - first + 1);
    for (const m of minutes) bins[m - first]++;
    const mean = bins.reduce((a, b) => a + b, 0) / bins.length;
    const variance = bins.reduce((a, b) => a + (b - mean) ** 2, 0) / bins.length;
    fano = variance / mean;
  }
  return {
    records: recs.length,
    templatesPer500: distinct / windows,
    singletonShare: counts.size ? once / counts.size : 0,
    slowQueryEntropy: entropy,
    fano,
  };
}
