/**
 * Writing an incidents dataset: every selected modality into one folder, committed atomically with its manifest.
 * The generators stay pure; this is the only file-system step.
 * @module
 */
import pl from "nodejs-polars";
import { dirname, join } from "node:path";
import {
  commitDataset,
  LabelPartWriter,
  LogFileWriter,
  type Manifest,
  type ManifestTable,
  mergeShards,
  schemaOf,
  type Shard,
  shardDir,
  shardRange,
  writeParts,
  writeTable,
} from "@lib/lake/mod.ts";
import type { IncidentsConfig, Modality } from "./config.ts";
import { period } from "./config.ts";
import { type IncidentPlan, planIncidents } from "./plan.ts";
import { incidentsFrame } from "./timeline.ts";
import { ticketsFrame } from "./tickets.ts";
import { emailIndexFrame, emlPath, planEmails, renderEml } from "./emails/mod.ts";
import { nearDuplicates } from "./neardup.ts";
import {
  capacityMetricChunks,
  metricAnomaliesFrame,
  type MetricAnomaly,
  metricServices,
  serviceMetricChunks,
} from "./metrics.ts";
import { dbLogBatches } from "./dblogs/mod.ts";
import { databaseServers } from "./fleet.ts";
import { cloudfrontBatches } from "./cloudfront.ts";
import { LEVELS } from "./batch.ts";

/** Version of the incidents generator, recorded in manifests; bump when output for a config changes. */
export const GENERATOR_VERSION = "1.0.0";

/** Options of {@linkcode writeIncidentsDataset}. */
export interface WriteIncidentsOptions {
  /** Creation time for the manifest. @default now */
  created?: Date;
  /** Called as work is done: the modality and units (lines, records, rows, messages) just finished. @default none */
  onProgress?: (modality: Modality | "plan", units: number) => void;
  /**
   * Called with each modality's wall time once it is written. Timings measure the run, not the data, so they stay
   * out of the manifest (which must be byte-identical for one seed, config and `SOURCE_DATE_EPOCH`).
   * @default none
   */
  onTiming?: (modality: Modality, timing: ModalityTiming) => void;
  /**
   * Write only this shard, to `<dir>.shards/part-k-of-n/` (merge with {@linkcode mergeIncidentsShards}). Each
   * modality is split by the entity its streams are drawn per: capacity metrics and database logs by server,
   * service metrics by service, CloudFront logs by hour file; the incidents, e-mails and tickets (small, and
   * e-mails need every message for near-duplicates) are written by shard 0. Part files carry the shard in their
   * names (`-p<k>of<n>-`), so no two shards write the same file.
   * @default the whole dataset
   */
  shard?: Shard;
}

/** Measured facts of one modality, as the manifest records them (no timings: they differ run to run). */
export interface ModalityStats {
  /** Log lines, records, rows or messages written. */
  units: number;
  /** What `units` counts. */
  unit: string;
  /** Bytes written (compressed where compressed). */
  bytes: number;
}

/** How long one modality took to write (reported by `onTiming`, never in the manifest). */
export interface ModalityTiming {
  seconds: number;
  units_per_second: number;
}

const ENC = new TextEncoder();

function timing(units: number, started: number): ModalityTiming {
  const seconds = (performance.now() - started) / 1000;
  return { seconds: Math.round(seconds * 1000) / 1000, units_per_second: Math.round(units / Math.max(seconds, 1e-9)) };
}

/**
 * Generates an incidents dataset and commits it to `dir`: `incidents.parquet` (primary, the ground truth), and
 * per selected modality: `metrics/` (capacity and service metrics with labels, applied anomalies), `db_logs/`
 * (native PostgreSQL, MySQL and MongoDB logs), `cloudfront/` (hourly W3C access logs), `emails/` (`.eml` files
 * and `email_index.parquet`), `tickets/tickets.parquet`; sidecar labels of every log line in `labels/`;
 * `config.json`; `manifest.json`. With `shard`, only that shard's part of it, beside `dir` (see
 * {@linkcode WriteIncidentsOptions.shard}).
 *
 * @param config the resolved config
 * @param dir the dataset folder
 * @param options creation time, progress, shard
 * @returns the manifest written
 * @example
 * ```ts ignore
 * import { IncidentsConfig, writeIncidentsDataset } from "@lib/generate/incidents/mod.ts";
 * const manifest = await writeIncidentsDataset(IncidentsConfig.parse({ modalities: ["cloudfront"] }), "data/synthetic/incidents");
 * manifest.tables.cloudfront_labels.rows;
 * ```
 */
export async function writeIncidentsDataset(
  config: IncidentsConfig,
  dir: string,
  options: WriteIncidentsOptions = {},
): Promise<Manifest> {
  const { created, onProgress, onTiming, shard } = options;
  const stat = (modality: Modality, units: number, unit: string, bytes: number, started: number): ModalityStats => {
    onTiming?.(modality, timing(units, started));
    return { units, unit, bytes };
  };
  const plan: IncidentPlan = planIncidents(config);
  const incidents = plan.timeline.incidents;
  const ids = incidents.map((i) => i.id);
  const want = new Set(config.modalities);
  /** The shard's entities of a modality with `total` of them: all when not sharded. */
  const range = (total: number) => (shard ? shardRange(total, shard) : { from: 0, to: total });
  /** Shard 0 writes what is not split: the incidents, e-mails and tickets. */
  const whole = shard === undefined || shard.index === 0;
  const tag = shard ? `-p${shard.index}of${shard.count}` : "";
  const none = (): ManifestTable => ({ rows: 0, schema: {}, files: [] });
  onProgress?.("plan", incidents.length);
  return await commitDataset(shard ? shardDir(dir, shard) : dir, async (tmp) => {
    const tables: Record<string, ManifestTable> = {};
    const stats: Record<string, unknown> = whole
      ? {
        incidents: incidents.length,
        incidents_drawn: plan.timeline.drawn,
        incidents_dropped: plan.timeline.dropped,
        by_type: Object.fromEntries(
          [...new Set(incidents.map((i) => i.type))].sort().map((
            t,
          ) => [t, incidents.filter((i) => i.type === t).length]),
        ),
      }
      : {};
    const modalityStats: Record<string, ModalityStats> = {};
    if (whole) {
      const inc = incidentsFrame(incidents, plan.tickets.mainTicket);
      const incFile = await writeTable(inc, tmp, { name: "incidents" });
      tables.incidents = { rows: inc.height, schema: schemaOf(inc), files: [incFile] };
    } else tables.incidents = none();

    if (want.has("metrics")) {
      const started = performance.now();
      const anomalies: MetricAnomaly[] = [];
      const collect = function* (chunks: Iterable<{ frame: pl.DataFrame; anomalies: MetricAnomaly[] }>) {
        for (const c of chunks) {
          anomalies.push(...c.anomalies);
          yield c.frame;
        }
      };
      const tick = (n: number) => onProgress?.("metrics", n);
      // A shard with no server (or service) still describes the table's columns, from one entity's rows.
      const schemaFrom = (chunks: Iterable<{ frame: pl.DataFrame }>) => () => {
        for (const c of chunks) return schemaOf(c.frame);
        return {};
      };
      const servers = range(config.servers);
      tables.capacity_metrics = await writeParts(tmp, collect(capacityMetricChunks(plan, servers)), {
        folder: "metrics",
        name: `capacity_metrics${tag}`,
        onRows: tick,
        ...(shard ? { emptySchema: schemaFrom(capacityMetricChunks(plan, { from: 0, to: 1 })) } : {}),
      });
      tables.service_metrics = await writeParts(
        tmp,
        collect(serviceMetricChunks(plan, range(metricServices(plan).length))),
        {
          folder: "metrics",
          name: `service_metrics${tag}`,
          onRows: tick,
          ...(shard ? { emptySchema: schemaFrom(serviceMetricChunks(plan, { from: 0, to: 1 })) } : {}),
        },
      );
      const ma = metricAnomaliesFrame(anomalies, incidents);
      const maFile = await writeTable(ma, join(tmp, "metrics"), { name: `metric_anomalies${tag}` });
      tables.metric_anomalies = { rows: ma.height, schema: schemaOf(ma), files: [`metrics/${maFile}`] };
      modalityStats.metrics = stat(
        "metrics",
        tables.capacity_metrics.rows + tables.service_metrics.rows,
        "rows",
        0,
        started,
      );
    }

    if (want.has("db_logs")) {
      const started = performance.now();
      const files = new LogFileWriter(tmp);
      const labels = new LabelPartWriter(tmp, {
        name: "db_log_labels",
        ids,
        metaColumns: ["server_id", "engine"],
        levels: LEVELS,
        tag,
        alwaysSchema: !!shard,
      });
      const perEngine: Record<string, { lines: number; records: number }> = {};
      let lines = 0;
      const db = databaseServers(plan.fleet);
      const { from, to } = range(db.length);
      const servers = shard ? { servers: db.slice(from, to).map((s) => s.id) } : {};
      for (const b of dbLogBatches(plan, servers)) {
        await files.write(b);
        await labels.add(b);
        let n = 0;
        for (let i = 0; i < b.records; i++) n += b.lines[i];
        const e = (perEngine[b.meta.engine] ??= { lines: 0, records: 0 });
        e.lines += n;
        e.records += b.records;
        lines += n;
        onProgress?.("db_logs", n);
      }
      files.close();
      tables.db_log_labels = await labels.finish();
      modalityStats.db_logs = stat("db_logs", lines, "lines", files.bytes, started);
      stats.db_logs = { files: files.files.length, per_engine: perEngine };
    }

    if (want.has("cloudfront")) {
      const started = performance.now();
      const files = new LogFileWriter(tmp, { gzipLevel: config.cloudfront.gzip_level });
      const labels = new LabelPartWriter(tmp, { name: "cloudfront_labels", ids, tag, alwaysSchema: !!shard });
      const { start, end } = period(config);
      const hours = range(Math.round((end - start) / 3_600_000));
      let lines = 0, labeled = 0;
      for (const b of cloudfrontBatches(plan, { fromHour: hours.from, toHour: hours.to })) {
        await files.write(b);
        await labels.add(b);
        lines += b.records;
        for (let i = 0; i < b.records; i++) if (b.incident[i] >= 0) labeled++;
        onProgress?.("cloudfront", b.records);
      }
      files.close();
      tables.cloudfront_labels = await labels.finish();
      modalityStats.cloudfront = stat("cloudfront", lines, "lines", files.bytes, started);
      stats.cloudfront = { files: files.files.length, lines, labeled_lines: labeled, gzip: config.cloudfront.gzip };
    }

    if (want.has("emails") && !whole) tables.email_index = none();
    else if (want.has("emails")) {
      const started = performance.now();
      const emails = planEmails(plan);
      const nd = nearDuplicates(emails.map((e) => e.body));
      let bytes = 0;
      for (const e of emails) {
        const path = join(tmp, emlPath(e));
        await Deno.mkdir(dirname(path), { recursive: true });
        const data = ENC.encode(renderEml(e));
        await Deno.writeFile(path, data, { createNew: true });
        bytes += data.length;
        onProgress?.("emails", 1);
      }
      const index = emailIndexFrame(emails, nd.flagged);
      await Deno.mkdir(join(tmp, "emails"), { recursive: true });
      const file = await writeTable(index, join(tmp, "emails"), { name: "email_index" });
      tables.email_index = { rows: index.height, schema: schemaOf(index), files: [`emails/${file}`] };
      modalityStats.emails = stat("emails", emails.length, "messages", bytes, started);
      stats.emails = {
        messages: emails.length,
        threads: new Set(emails.map((e) => e.threadId)).size,
        near_duplicate_rate: Math.round(nd.rate * 10000) / 10000,
        near_duplicate_pairs: nd.pairs.length,
        near_duplicate_rule: "Jaccard >= 0.8 on 5-word shingles of the body",
      };
    }

    if (want.has("tickets") && !whole) tables.tickets = none();
    else if (want.has("tickets")) {
      const started = performance.now();
      const t = ticketsFrame(plan.tickets.tickets);
      await Deno.mkdir(join(tmp, "tickets"), { recursive: true });
      const file = await writeTable(t, join(tmp, "tickets"), { name: "tickets" });
      tables.tickets = { rows: t.height, schema: schemaOf(t), files: [`tickets/${file}`] };
      modalityStats.tickets = stat("tickets", t.height, "rows", 0, started);
      onProgress?.("tickets", t.height);
      stats.tickets = { tickets: t.height, incident_tickets: plan.tickets.tickets.filter((x) => x.incident_id).length };
    }
    stats.modalities = modalityStats;
    const { start, end } = period(config);
    const resolved = JSON.parse(JSON.stringify(config));
    await Deno.writeTextFile(join(tmp, "config.json"), JSON.stringify(resolved, null, 2) + "\n");
    return {
      name: config.name,
      kind: "incidents",
      layer: "synthetic",
      generator: { name: "opslab/incidents", version: GENERATOR_VERSION },
      config: resolved,
      seed: config.seed,
      primary_table: "incidents",
      tables,
      classification: config.classification,
      retention_days: config.retention_days,
      lineage: [
        { source: "opslab/incidents", relation: "generated from config and seed" },
        {
          source: "opslab/capacity",
          relation: `fleet and hourly capacity metrics (same seed), ${new Date(start).toISOString().slice(0, 10)} to ${
            new Date(end).toISOString().slice(0, 10)
          }`,
        },
        { source: "opslab/anomalies", relation: "service metric model and anomaly injectors" },
      ],
      ...(shard ? { shard } : {}),
      stats,
    };
  }, { created });
}

type Stats = Record<string, unknown>;
type Counts = Record<string, number>;

/** Adds up numeric fields of objects; other fields are taken from the first object that has them. */
function addUp<T extends object>(parts: readonly (T | undefined)[]): T | undefined {
  const present = parts.filter((p): p is T => p !== undefined);
  if (present.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const p of present) {
    for (const [k, v] of Object.entries(p)) {
      if (typeof v === "number") out[k] = ((out[k] as number | undefined) ?? 0) + v;
      else if (!(k in out)) out[k] = v;
    }
  }
  return out as T;
}

/**
 * Combines the stats of incidents shards into the dataset's: the timeline, e-mail and ticket facts come from
 * shard 0 (it writes them), counts of lines, records, files and bytes add up.
 * @param parts the shards' stats, in shard order
 * @returns the dataset's stats
 */
export function combineIncidentStats(parts: readonly Stats[]): Stats {
  const first = parts[0] ?? {};
  const out: Stats = { ...first };
  const modalities: Record<string, ModalityStats> = {};
  const names = [...new Set(parts.flatMap((p) => Object.keys((p.modalities ?? {}) as Stats)))];
  for (const name of names) {
    modalities[name] = addUp(parts.map((p) => (p.modalities as Record<string, ModalityStats> | undefined)?.[name]))!;
  }
  const db = parts.map((p) => p.db_logs as { files: number; per_engine: Record<string, Counts> } | undefined);
  if (db.some((d) => d !== undefined)) {
    const engines = [...new Set(db.flatMap((d) => Object.keys(d?.per_engine ?? {})))].sort();
    out.db_logs = {
      files: db.reduce((s, d) => s + (d?.files ?? 0), 0),
      per_engine: Object.fromEntries(engines.map((e) => [e, addUp(db.map((d) => d?.per_engine[e]))])),
    };
  }
  const cf = addUp(parts.map((p) => p.cloudfront as Stats | undefined));
  if (cf) out.cloudfront = cf;
  // Key order as an unsharded run writes it: the modality blocks before `modalities`.
  const { modalities: _m, ...rest } = out;
  return { ...rest, modalities };
}

/**
 * Merges the shards written beside an incidents dataset into it, with the stats combined
 * ({@linkcode combineIncidentStats}) and every shard's log and `.eml` files, so the tables, files and counts equal
 * those of an unsharded run. The shared merge step copies the files outside the tables (from shard 0, which is
 * first given every shard's), so merging costs one copy of the logs.
 * @param dir the dataset folder
 * @param created creation time of the manifest
 * @returns the dataset manifest
 * @example
 * ```ts ignore
 * for (let index = 0; index < 3; index++) await writeIncidentsDataset(config, dir, { shard: { index, count: 3 } });
 * await mergeIncidentsShards(dir);
 * ```
 */
export async function mergeIncidentsShards(dir: string, created?: Date): Promise<Manifest> {
  return await mergeShards(dir, { created, combineStats: combineIncidentStats });
}
