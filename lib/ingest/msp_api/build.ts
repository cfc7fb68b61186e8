import { join } from "node:path";
import pl from "nodejs-polars";
import { type ApiEntity, type ApiField, CLIENT, ENTITIES, TECHNICIAN, TICKET } from "@lib/api/msp/objects.ts";
import { deriveMspTables, MSP_COLUMNS, MSP_ENUMS, type MspPeriod } from "@lib/schema/msp/mod.ts";
import type { InputFile } from "../common/files.ts";
import { QuarantineLog } from "../common/quarantine.ts";
import { assertBalanced, type IngestReport } from "../common/report.ts";
import { pagePath, type SyncCheckpoint } from "./sync.ts";

/** Valid objects of one entity as columns (lake names), plus what the build counted. */
interface EntityColumns {
  columns: Record<string, unknown[]>;
  keys: string[];
  read: number;
  superseded: number;
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks one field's value; returns the lake value or a reason. */
function fieldValue(entity: ApiEntity, f: ApiField, v: unknown): { value: unknown } | { reason: string } {
  if (v === undefined) return { reason: `missing_${f.api}` };
  if (v === null) return f.nullable ? { value: null } : { reason: `null_${f.api}` };
  const bad = { reason: `invalid_${f.api}` };
  switch (f.kind) {
    case "id":
      return typeof v === "string" && v.trim() !== "" ? { value: v } : bad;
    case "string":
      return typeof v === "string" ? { value: v } : bad;
    case "enum": {
      const allowed = (MSP_ENUMS[entity.table] as Record<string, readonly string[]> | undefined)?.[f.column];
      return typeof v === "string" && (allowed === undefined || allowed.includes(v)) ? { value: v } : bad;
    }
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? { value: v } : bad;
    case "int":
      return Number.isInteger(v) && Math.abs(v as number) < 2 ** 31 ? { value: v } : bad;
    case "datetime": {
      const t = typeof v === "string" && ISO_DATETIME.test(v) ? Date.parse(v) : NaN;
      return Number.isFinite(t) ? { value: t } : bad;
    }
    case "date": {
      const t = typeof v === "string" && ISO_DATE.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
      return Number.isFinite(t) ? { value: t / 86_400_000 } : bad;
    }
    case "ref": {
      const k = typeof v === "object" ? (v as Record<string, unknown>)[f.ref!.key] : undefined;
      return typeof k === "string" && k.trim() !== "" ? { value: k } : bad;
    }
  }
}

/**
 * Reads an entity's pages, keeps the latest version of each object (the later page wins; a later page is a later
 * fetch), and checks every field; objects that fail go to the quarantine with the reason.
 */
async function readEntity(
  stateDir: string,
  entity: ApiEntity,
  pages: number,
  quarantine: QuarantineLog,
  inputs: InputFile[],
  check: (row: Record<string, unknown>) => string | null,
): Promise<EntityColumns> {
  const latest = new Map<string, { obj: unknown; source: string; index: number }>();
  const unkeyed: { obj: unknown; source: string; index: number }[] = [];
  let received = 0;
  for (let p = 1; p <= pages; p++) {
    const source = pagePath(entity.query, p);
    const bytes = await Deno.readFile(join(stateDir, source));
    inputs.push({ path: source, bytes: bytes.length, sha256: await sha256(bytes) } as InputFile);
    const objects = JSON.parse(new TextDecoder().decode(bytes)) as unknown[];
    objects.forEach((obj, i) => {
      received++;
      const key = obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>)[entity.key] : undefined;
      if (typeof key === "string" && key.trim() !== "") latest.set(key, { obj, source, index: i + 1 });
      else unkeyed.push({ obj, source, index: i + 1 });
    });
  }
  const columns: Record<string, unknown[]> = Object.fromEntries(entity.fields.map((f) => [f.column, []]));
  const keys: string[] = [];
  for (const u of unkeyed) {
    const reason = u.obj === null || typeof u.obj !== "object" ? "not_an_object" : `invalid_${entity.key}`;
    quarantine.add(`${entity.type}:${u.source}`, u.index, reason, JSON.stringify(u.obj) ?? "undefined");
  }
  const sorted = [...latest.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [key, { obj, source, index }] of sorted) {
    const row: Record<string, unknown> = {};
    let reason: string | null = null;
    for (const f of entity.fields) {
      const r = fieldValue(entity, f, (obj as Record<string, unknown>)[f.api]);
      if ("reason" in r) {
        reason = r.reason;
        break;
      }
      row[f.column] = r.value;
    }
    reason ??= check(row);
    if (reason !== null) {
      quarantine.add(`${entity.type}:${source}`, index, reason, JSON.stringify(obj));
      continue;
    }
    for (const f of entity.fields) columns[f.column].push(row[f.column]);
    keys.push(key);
  }
  return { columns, keys, read: latest.size + unkeyed.length, superseded: received - latest.size - unkeyed.length };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A frame with the dtypes of the MSP table's columns, from the entity's columns. */
function frameOf(table: keyof typeof MSP_COLUMNS, cols: Record<string, unknown[]>, names: string[]): pl.DataFrame {
  const dtypes = MSP_COLUMNS[table] as Record<string, string>;
  const nums = (values: unknown[]) => Float64Array.from(values, (v) => (v === null ? NaN : v as number));
  const series = names.map((name) => {
    const values = cols[name], dtype = dtypes[name];
    // Nulls travel as NaN (a JSON number is never NaN) and become nulls below.
    if (dtype.startsWith("Datetime") || dtype === "Float64" || dtype === "Int32") return pl.Series(name, nums(values));
    if (dtype === "Date") return pl.Series(name, Int32Array.from(values as number[]));
    return pl.Series(name, values as (string | null)[], pl.String);
  });
  return pl.DataFrame(series).withColumns(...names.map((name) => {
    const dtype = dtypes[name];
    if (dtype.startsWith("Datetime")) {
      return pl.col(name).fillNan(null).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias(name);
    }
    if (dtype === "Float64") return pl.col(name).fillNan(null).alias(name);
    if (dtype === "Int32") return pl.col(name).fillNan(null).cast(pl.Int32).alias(name);
    if (dtype === "Date") return pl.col(name).cast(pl.Date).alias(name);
    return pl.col(name);
  }));
}

/** The built dataset: the six MSP tables, the quarantine and the report. */
export interface BuiltMsp {
  tables: Record<string, pl.DataFrame>;
  report: IngestReport;
  inputs: InputFile[];
  period: MspPeriod;
}

/**
 * Builds the six MSP tables from a sync state folder: the latest version of every client, technician and ticket,
 * checked field by field (quarantined with the reason when malformed, when a ticket names an unknown client or
 * technician, has timestamps out of order or was created outside the period), then every derived table by the
 * generator's own code ({@linkcode deriveMspTables}), so the result passes the same checks.
 *
 * @param stateDir the state folder of {@linkcode syncMsp}
 * @param checkpoint its checkpoint
 * @param options `period`: the snapshot period @default the API's (`getSnapshotInfo`)
 * @returns the tables (with `quarantine`), the balanced report and the page files read
 */
export async function buildMspTables(
  stateDir: string,
  checkpoint: SyncCheckpoint,
  options: { period?: MspPeriod } = {},
): Promise<BuiltMsp> {
  const { period } = options;
  const snap = checkpoint.snapshot;
  const p = period ?? (snap ? { startMs: Date.parse(snap.periodStart), asOfMs: Date.parse(snap.asOf) } : undefined);
  if (!p || !Number.isFinite(p.startMs) || !Number.isFinite(p.asOfMs)) {
    throw new TypeError("Cannot build the MSP tables: the period is unknown (the API has no getSnapshotInfo)");
  }
  const quarantine = new QuarantineLog();
  const inputs: InputFile[] = [];
  const pages = (e: ApiEntity) => checkpoint.entities[e.query].pages;

  const clients = await readEntity(stateDir, CLIENT, pages(CLIENT), quarantine, inputs, () => null);
  const technicians = await readEntity(stateDir, TECHNICIAN, pages(TECHNICIAN), quarantine, inputs, () => null);
  const clientSet = new Set(clients.keys), techSet = new Set(technicians.keys);
  const tickets = await readEntity(stateDir, TICKET, pages(TICKET), quarantine, inputs, (r) => {
    if (!clientSet.has(r.client_id as string)) return "unknown_client";
    if (r.technician_id !== null && !techSet.has(r.technician_id as string)) return "unknown_technician";
    const c = r.created_at as number;
    if (c < p.startMs || c >= p.asOfMs) return "outside_period";
    let prev = c;
    for (const k of ["assigned_at", "first_response_at", "resolved_at"]) {
      const t = r[k] as number | null;
      if (t === null) continue;
      if (t < prev || t > p.asOfMs) return "timestamps_out_of_order";
      prev = t;
    }
    return null;
  });

  const clientsBase = frameOf(
    "clients",
    clients.columns,
    Object.keys(MSP_COLUMNS.clients).filter((c) => c !== "last_activity"),
  );
  const techniciansDf = frameOf("technicians", technicians.columns, Object.keys(MSP_COLUMNS.technicians));
  const factColumns = [
    "ticket_id",
    "title",
    "description",
    "priority",
    "created_at",
    "assigned_at",
    "first_response_at",
    "resolved_at",
    "client_id",
    "technician_id",
    "service_type",
    "category",
    "subcategory",
    "estimated_hours",
    "actual_hours",
    "billing_rate",
    "satisfaction",
  ];
  const facts = frameOf("tickets", tickets.columns, factColumns);
  const derived = deriveMspTables({ facts, clients: clientsBase, technicians: techniciansDf }, p);
  const qdf = quarantine.toFrame();
  const count = (entity: string) => qdf.filter(pl.col("source").str.startsWith(`${entity}:`)).height;
  const reasons: Record<string, number> = {};
  for (const r of qdf.getColumn("reason").toArray() as string[]) reasons[r] = (reasons[r] ?? 0) + 1;
  const report: IngestReport = {
    source: "msp-api",
    table: "tickets",
    files_read: inputs.length,
    rows_read: tickets.read,
    rows_written: derived.tickets.height,
    rows_quarantined: count("Ticket"),
    quarantined: Object.fromEntries(
      Object.entries(
        (qdf.filter(pl.col("source").str.startsWith("Ticket:")).getColumn("reason").toArray() as string[]).reduce(
          (acc, r) => ((acc[r] = (acc[r] ?? 0) + 1), acc),
          {} as Record<string, number>,
        ),
      ).sort(),
    ),
    repaired: {
      superseded_versions: clients.superseded + technicians.superseded + tickets.superseded,
    },
    preprocessing: {
      clients_read: clients.read,
      clients_written: derived.clients.height,
      clients_quarantined: count("Client"),
      technicians_read: technicians.read,
      technicians_written: techniciansDf.height,
      technicians_quarantined: count("Technician"),
      quarantined_all: qdf.height,
      period_start: new Date(p.startMs).toISOString(),
      as_of: new Date(p.asOfMs).toISOString(),
      sla_metrics: derived.sla_metrics.height,
      service_delivery_daily: derived.service_delivery_daily.height,
      technician_productivity: derived.technician_productivity.height,
    },
    files_skipped: [],
  };
  assertBalanced(report);
  for (
    const [name, e, written] of [["Client", clients, clientsBase.height], [
      "Technician",
      technicians,
      techniciansDf.height,
    ]] as const
  ) {
    if (e.read !== written + count(name)) {
      throw new TypeError(
        `Cannot ingest "msp-api": ${name} objects read must equal written + quarantined, got ${e.read} != ${written} + ${
          count(name)
        }`,
      );
    }
  }
  void reasons;
  return {
    tables: {
      clients: derived.clients,
      technicians: techniciansDf,
      tickets: derived.tickets,
      sla_metrics: derived.sla_metrics,
      service_delivery_daily: derived.service_delivery_daily,
      technician_productivity: derived.technician_productivity,
      quarantine: qdf,
    },
    report,
    inputs,
    period: p,
  };
}

/** The list entities, re-exported for the task's help. */
export const MSP_API_ENTITIES = ENTITIES;
