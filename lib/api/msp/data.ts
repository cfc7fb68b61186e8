import { join } from "node:path";
import pl from "nodejs-polars";
import { readManifest, readTable } from "@lib/lake/mod.ts";
import { type ApiEntity, ENTITIES } from "./objects.ts";

const DAY_MS = 86_400_000;
/** Days after resolution a ticket is closed (the generator's `CLOSE_AFTER_DAYS`). */
const CLOSE_AFTER_DAYS = 3;

/** One list served by the API: objects sorted by (updatedTime, key), the order cursors walk. */
export interface ApiList {
  entity: ApiEntity;
  records: Record<string, unknown>[];
  /** updatedTime of each record, epoch ms (same order). */
  updated: Float64Array;
  keys: string[];
}

/** A ticket event for webhooks: what happened to which ticket when. */
export interface TicketEvent {
  eventId: string;
  event: "ticket.created" | "ticket.assigned" | "ticket.first_response" | "ticket.resolved";
  occurredTime: string;
  occurredMs: number;
  ticketId: string;
}

/** Everything the sandbox serves. */
export interface MspApiData {
  period: { startMs: number; asOfMs: number };
  lists: Record<ApiEntity["query"], ApiList>;
  /** Ticket events in time order. */
  events: TicketEvent[];
}

const ISO = "%Y-%m-%dT%H:%M:%S%.3fZ";

function ms(column: string): pl.Expr {
  return pl.col(column).cast(pl.Datetime("ms")).cast(pl.Int64).cast(pl.Float64);
}

/** The wire value of each field's column, as a Polars expression (strings for times and dates). */
function wireExpr(name: string, kind: string): pl.Expr {
  if (kind === "datetime") return pl.col(name).dt.strftime(ISO).alias(name);
  if (kind === "date") return pl.col(name).dt.strftime("%Y-%m-%d").alias(name);
  return pl.col(name);
}

function buildList(entity: ApiEntity, df: pl.DataFrame): ApiList {
  const sorted = df.sort(["_updated_ms", entity.fields[0].column]);
  const columns = new Set<string>();
  for (const f of entity.fields) {
    columns.add(f.column);
    if (f.ref?.nameColumn) columns.add(f.ref.nameColumn);
  }
  const wire = sorted.select(
    ...[...columns].map((c) => wireExpr(c, entity.fields.find((f) => f.column === c)?.kind ?? "string")),
  );
  const rows = wire.toRecords() as Record<string, unknown>[];
  const records = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const f of entity.fields) {
      const v = row[f.column] ?? null;
      if (f.kind === "ref") {
        out[f.api] = v === null
          ? null
          : { [f.ref!.key]: v, ...(f.ref!.nameColumn ? { name: row[f.ref!.nameColumn] ?? null } : {}) };
      } else out[f.api] = typeof v === "bigint" ? Number(v) : v;
    }
    return out;
  });
  return {
    entity,
    records,
    updated: Float64Array.from(sorted.getColumn("_updated_ms").toArray() as number[]),
    keys: sorted.getColumn(entity.fields[0].column).toArray() as string[],
  };
}

/**
 * The period of MSP tables: from the first date of `service_delivery_daily` to midnight after its last.
 * @param daily the `service_delivery_daily` frame
 * @returns the period
 */
export function periodOfDaily(daily: pl.DataFrame): { startMs: number; asOfMs: number } {
  if (daily.height === 0) throw new RangeError("Cannot serve the dataset: service_delivery_daily has no dates");
  const days = daily.getColumn("date").cast(pl.Int32);
  return { startMs: (days.min() as number) * DAY_MS, asOfMs: ((days.max() as number) + 1) * DAY_MS };
}

/**
 * Builds what the sandbox serves from MSP tables: clients (updated when created), technicians (updated at the
 * period start) and tickets (updated at their latest event: created, assigned, first response, resolved, or closed
 * three days after resolution when that falls before the snapshot), and the ticket events for webhooks.
 *
 * @param tables the `clients`, `technicians`, `tickets` and `service_delivery_daily` frames
 * @returns the lists and events
 */
export function mspApiData(tables: Record<string, pl.DataFrame>): MspApiData {
  const period = periodOfDaily(tables.service_delivery_daily);
  const clients = tables.clients.withColumns(
    ms("created_at").alias("_updated_ms"),
    pl.col("created_at").alias("_updated"),
  );
  const technicians = tables.technicians
    .withColumns(
      pl.lit(period.startMs).cast(pl.Float64).alias("_updated_ms"),
      pl.lit(period.startMs).cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias("_updated"),
    );
  const closeMs = ms("resolved_at").add(CLOSE_AFTER_DAYS * DAY_MS);
  const closed = pl.when(closeMs.lt(period.asOfMs)).then(closeMs).otherwise(pl.lit(null).cast(pl.Float64));
  const t = tables.tickets
    .join(tables.clients.select(pl.col("client_id"), pl.col("name").alias("_client_name")), {
      on: "client_id",
      how: "left",
    })
    .join(tables.technicians.select(pl.col("technician_id"), pl.col("name").alias("_technician_name")), {
      on: "technician_id",
      how: "left",
    })
    .withColumns(
      pl.concatList([
        ms("created_at"),
        ms("assigned_at"),
        ms("first_response_at"),
        ms("resolved_at"),
        closed,
      ]).lst.max().alias("_updated_ms"),
    )
    .withColumns(pl.col("_updated_ms").cast(pl.Int64).cast(pl.Datetime("ms", "UTC")).alias("_updated"));
  const lists = Object.fromEntries(ENTITIES.map((e) => {
    const df = e.table === "clients" ? clients : e.table === "technicians" ? technicians : t;
    return [e.query, buildList(e, df)];
  })) as MspApiData["lists"];

  const kinds = [
    ["created_at", "ticket.created"],
    ["assigned_at", "ticket.assigned"],
    ["first_response_at", "ticket.first_response"],
    ["resolved_at", "ticket.resolved"],
  ] as const;
  const events = pl.concat(kinds.map(([column, event], order) =>
    tables.tickets.select(
      pl.col("ticket_id").alias("ticketId"),
      pl.lit(event).alias("event"),
      pl.lit(order).cast(pl.Int32).alias("_order"),
      ms(column).alias("occurredMs"),
      pl.col(column).dt.strftime(ISO).alias("occurredTime"),
    ).filter(pl.col("occurredMs").isNotNull())
  )).sort(["occurredMs", "ticketId", "_order"]);
  const evRecords = (events.toRecords() as Record<string, unknown>[]).map((r) => ({
    eventId: `${r.ticketId}:${String(r.event).slice(7)}`,
    event: r.event as TicketEvent["event"],
    occurredTime: r.occurredTime as string,
    occurredMs: Number(r.occurredMs),
    ticketId: r.ticketId as string,
  }));
  return { period, lists, events: evRecords };
}

/**
 * Reads an MSP dataset folder (its manifest must say kind `msp`) and builds what the sandbox serves.
 * @param dir the dataset folder
 * @returns the lists and events
 */
export async function loadMspApiData(dir: string): Promise<MspApiData> {
  const manifest = await readManifest(dir);
  if (manifest.kind !== "msp") {
    throw new RangeError(`Cannot serve "${dir}": it holds a "${manifest.kind}" dataset, expected "msp"`);
  }
  const tables: Record<string, pl.DataFrame> = {};
  for (const name of ["clients", "technicians", "tickets", "service_delivery_daily"]) {
    const files = manifest.tables?.[name]?.files;
    if (!files || files.length === 0) throw new RangeError(`Cannot serve "${dir}": table "${name}" is missing`);
    const parts = files.map((f: string) => readTable(join(dir, f)));
    tables[name] = parts.length === 1 ? parts[0] : pl.concat(parts);
  }
  return mspApiData(tables);
}
