import pl from "nodejs-polars";
import {
  CLOSE_AFTER_DAYS,
  EFFORT_OVERRUN_FACTOR,
  PRIORITIES,
  SERVICE_LEVEL_FACTOR,
  SERVICE_LEVELS,
  SLA_BASE_MINUTES,
  SLA_TYPES,
} from "./catalog.ts";
import {
  businessSecondsExpr,
  fromBusinessSecondsExpr,
  outsideBusinessHoursExpr,
  weekdaysBetween,
  WORKDAY_HOURS,
} from "@lib/calendar/business_hours.ts";

const DAY_MS = 86_400_000;

/** The period of a dataset: tickets are created in [startMs, asOfMs) and the tables are a snapshot at asOfMs. */
export interface MspPeriod {
  /** First instant, epoch ms (midnight UTC of the first day). */
  startMs: number;
  /** Snapshot instant, epoch ms (midnight UTC after the last day). */
  asOfMs: number;
}

/**
 * The SLA policy as a frame: one row per (priority, service_level, sla_type) with its target in minutes and the
 * calendar it is measured on (24x7 for critical, business hours otherwise).
 * @returns the policy frame (48 rows)
 */
export function slaPolicyFrame(): pl.DataFrame {
  const priority: string[] = [], level: string[] = [], type: string[] = [], calendar: string[] = [];
  const target: number[] = [];
  PRIORITIES.forEach((p, pi) =>
    SERVICE_LEVELS.forEach((l, li) =>
      SLA_TYPES.forEach((s, si) => {
        priority.push(p);
        level.push(l);
        type.push(s);
        target.push(SLA_BASE_MINUTES[pi][si] * SERVICE_LEVEL_FACTOR[li]);
        calendar.push(p === "critical" ? "24x7" : "business_hours");
      })
    )
  );
  return pl.DataFrame({
    priority,
    service_level: level,
    sla_type: type,
    calendar,
    target_minutes: pl.Series("target_minutes", Float64Array.from(target)),
  });
}

function msExpr(column: string | pl.Expr): pl.Expr {
  return (typeof column === "string" ? pl.col(column) : column).cast(pl.Datetime("ms")).cast(pl.Int64).cast(pl.Float64);
}

/** Minutes from `from` to `to` on the SLA's calendar (the `calendar` column decides). */
function slaMinutesExpr(from: string, to: pl.Expr): pl.Expr {
  return pl.when(pl.col("calendar").eq(pl.lit("24x7")))
    .then(msExpr(to).sub(msExpr(from)).div(60_000))
    .otherwise(businessSecondsExpr(to).sub(businessSecondsExpr(from)).div(60));
}

function asOfLit(asOfMs: number): pl.Expr {
  return pl.lit(asOfMs).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
}

/**
 * Derives `sla_metrics`: three rows per ticket (response = created to assigned, first_response = created to the
 * technician's first contact, resolution = created to resolved), each with its target from the ticket's priority
 * and the client's service level, the measured minutes, and the status computed from the timestamps: met when the
 * event happened within the target, breached when it happened later or has not happened and the target has passed
 * at the snapshot, pending otherwise.
 *
 * @param frames `tickets`: ticket facts (ticket_id, client_id, priority, created_at, assigned_at,
 *   first_response_at, resolved_at); `clients`: clients (client_id, service_level)
 * @param period the period
 * @returns the `sla_metrics` frame, sorted by ticket and SLA type
 */
export function deriveSlaMetrics(
  { tickets, clients }: { tickets: pl.DataFrame; clients: pl.DataFrame },
  period: MspPeriod,
): pl.DataFrame {
  const types = pl.DataFrame({
    sla_type: [...SLA_TYPES],
    _order: pl.Series("_order", Int32Array.from(SLA_TYPES.map((_, i) => i))),
  });
  const event = pl.when(pl.col("sla_type").eq(pl.lit("response"))).then(pl.col("assigned_at"))
    .when(pl.col("sla_type").eq(pl.lit("first_response"))).then(pl.col("first_response_at"))
    .otherwise(pl.col("resolved_at"));
  return tickets
    .select("ticket_id", "client_id", "priority", "created_at", "assigned_at", "first_response_at", "resolved_at")
    .join(clients.select("client_id", "service_level"), { on: "client_id", how: "left" })
    .join(types, { how: "cross" })
    .join(slaPolicyFrame(), { on: ["priority", "service_level", "sla_type"], how: "left" })
    .withColumns(
      slaMinutesExpr("created_at", event).alias("actual_minutes"),
      slaMinutesExpr("created_at", asOfLit(period.asOfMs)).alias("_elapsed"),
    )
    .withColumns(
      pl.when(pl.col("actual_minutes").isNotNull())
        .then(
          pl.when(pl.col("actual_minutes").ltEq(pl.col("target_minutes"))).then(pl.lit("met")).otherwise(
            pl.lit("breached"),
          ),
        )
        .when(pl.col("_elapsed").gt(pl.col("target_minutes"))).then(pl.lit("breached"))
        .otherwise(pl.lit("pending"))
        .alias("status"),
    )
    .sort(["ticket_id", "_order"])
    .select("ticket_id", "sla_type", "calendar", "target_minutes", "actual_minutes", "status");
}

/**
 * Completes the tickets from their facts and SLA metrics: `due_at` (created plus the resolution target on its
 * calendar), `status` at the snapshot (closed three days after resolution), `total_cost` (actual hours times billing
 * rate), `sla_status` (breached if any SLA breached, met if all were met, else pending), `sla_breach_reason` (the
 * first breached SLA decides: response -> dispatch_delay, first response -> technician_backlog, resolution ->
 * open_past_due if unresolved, effort_overrun if actual hours exceed the estimate by 25 %, else extended_wait) and
 * `satisfaction` (survey answers of resolved tickets, lower after breaches).
 *
 * @param frames `facts`: ticket facts, with the private columns `_survey` (Boolean) and `_csat` (Float64) of the
 *   generator, or with `satisfaction` (Int32, the survey answer as a platform records it), which is then kept as it
 *   is; `sla`: the `sla_metrics` frame of these tickets
 * @param period the period
 * @returns the `tickets` frame, sorted by ticket id
 */
export function deriveTickets(
  { facts, sla }: { facts: pl.DataFrame; sla: pl.DataFrame },
  period: MspPeriod,
): pl.DataFrame {
  const statusOf = (type: string) =>
    pl.col("status").filter(pl.col("sla_type").eq(pl.lit(type))).first().alias(`_${type}`);
  const targetOf = (type: string) =>
    pl.col("target_minutes").filter(pl.col("sla_type").eq(pl.lit(type))).first().alias(`_${type}_target`);
  const perTicket = sla.groupBy("ticket_id").agg(
    statusOf("response"),
    statusOf("first_response"),
    statusOf("resolution"),
    targetOf("resolution"),
    pl.col("calendar").first().alias("_calendar"),
  );
  const breached = (type: string) => pl.col(`_${type}`).eq(pl.lit("breached"));
  const anyBreached = breached("response").or(breached("first_response")).or(breached("resolution"));
  const allMet = pl.col("_response").eq(pl.lit("met")).and(pl.col("_first_response").eq(pl.lit("met")))
    .and(pl.col("_resolution").eq(pl.lit("met")));
  const due = pl.when(pl.col("_calendar").eq(pl.lit("24x7")))
    .then(
      msExpr("created_at").add(pl.col("_resolution_target").mul(60_000)).round(0).cast(pl.Int64).cast(
        pl.Datetime("ms", "UTC"),
      ),
    )
    .otherwise(fromBusinessSecondsExpr(businessSecondsExpr("created_at").add(pl.col("_resolution_target").mul(60))));
  const closeBefore = asOfLit(period.asOfMs - CLOSE_AFTER_DAYS * DAY_MS);
  const score = pl.lit(4.4).add(pl.col("_csat"))
    .sub(pl.when(breached("resolution")).then(pl.lit(1.4)).otherwise(pl.lit(0)))
    .sub(pl.when(breached("response").or(breached("first_response"))).then(pl.lit(0.6)).otherwise(pl.lit(0)))
    .round(0).clip(1, 5).cast(pl.Int32);

  const surveyed = facts.columns.includes("_survey");
  return facts
    .join(perTicket, { on: "ticket_id", how: "left" })
    .withColumns(
      due.alias("due_at"),
      pl.when(pl.col("resolved_at").isNotNull())
        .then(pl.when(pl.col("resolved_at").ltEq(closeBefore)).then(pl.lit("closed")).otherwise(pl.lit("resolved")))
        .when(pl.col("first_response_at").isNotNull()).then(pl.lit("in_progress"))
        .when(pl.col("assigned_at").isNotNull()).then(pl.lit("assigned"))
        .otherwise(pl.lit("new"))
        .alias("status"),
      pl.col("actual_hours").mul(pl.col("billing_rate")).round(2).alias("total_cost"),
      pl.when(anyBreached).then(pl.lit("breached")).when(allMet).then(pl.lit("met")).otherwise(pl.lit("pending"))
        .alias("sla_status"),
      pl.when(breached("response")).then(pl.lit("dispatch_delay"))
        .when(breached("first_response")).then(pl.lit("technician_backlog"))
        .when(breached("resolution").and(pl.col("resolved_at").isNull())).then(pl.lit("open_past_due"))
        .when(
          breached("resolution").and(
            pl.col("actual_hours").gt(pl.col("estimated_hours").mul(EFFORT_OVERRUN_FACTOR)),
          ),
        ).then(pl.lit("effort_overrun"))
        .when(breached("resolution")).then(pl.lit("extended_wait"))
        .otherwise(pl.lit(null).cast(pl.String))
        .alias("sla_breach_reason"),
      // Facts from a platform carry the survey answer itself; generated facts carry the draws it comes from.
      surveyed
        ? pl.when(pl.col("resolved_at").isNotNull().and(pl.col("_survey"))).then(score).otherwise(
          pl.lit(null).cast(pl.Int32),
        ).alias("satisfaction")
        : pl.col("satisfaction").cast(pl.Int32),
    )
    .sort("ticket_id")
    .select(
      "ticket_id",
      "title",
      "description",
      "status",
      "priority",
      "created_at",
      "due_at",
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
      "total_cost",
      "sla_status",
      "sla_breach_reason",
      "satisfaction",
    );
}

/**
 * Adds `last_activity` to clients: the creation time of their latest ticket (null without tickets).
 * @param clients the clients frame
 * @param tickets the tickets frame
 * @returns the clients frame with `last_activity`
 */
export function deriveClientActivity(clients: pl.DataFrame, tickets: pl.DataFrame): pl.DataFrame {
  const last = tickets.groupBy("client_id").agg(pl.col("created_at").max().alias("last_activity"));
  return clients.join(last, { on: "client_id", how: "left" }).sort("client_id");
}

function resolvedFacts(tickets: pl.DataFrame, technicians: pl.DataFrame): pl.DataFrame {
  return tickets
    .filter(pl.col("resolved_at").isNotNull())
    .join(technicians.select("technician_id", "hourly_rate", "availability"), { on: "technician_id", how: "left" })
    .withColumns(
      msExpr("resolved_at").sub(msExpr("created_at")).div(3_600_000).alias("_resolution_hours"),
      pl.col("sla_status").eq(pl.lit("met")).cast(pl.Float64).alias("_met"),
      pl.col("actual_hours").mul(pl.col("hourly_rate")).alias("_labor_cost"),
    );
}

/**
 * Derives `service_delivery_daily`, one row per day of the period: tickets created and resolved that day, tickets
 * open at the end of the day, mean resolution hours (created to resolved, clock time), SLA compliance rate (share of
 * the day's resolved tickets whose `sla_status` is met), mean satisfaction of the day's survey answers, technician
 * utilization (hands-on hours of the day's resolved tickets over the team's ticket hours: availability x 8 h on
 * weekdays, null on weekends), revenue (billed `total_cost` of the day's resolved tickets) and cost per ticket
 * (technician labour cost of the day's resolved tickets per ticket). Work is counted on the day its ticket is
 * resolved.
 *
 * @param frames the `tickets` and `technicians` frames
 * @param period the period
 * @returns the daily frame, sorted by date
 */
export function deriveServiceDeliveryDaily(
  { tickets, technicians }: { tickets: pl.DataFrame; technicians: pl.DataFrame },
  period: MspPeriod,
): pl.DataFrame {
  const firstDay = Math.floor(period.startMs / DAY_MS), lastDay = Math.floor(period.asOfMs / DAY_MS);
  const days = Int32Array.from({ length: lastDay - firstDay }, (_, i) => firstDay + i);
  const weekday = days.map((d) => (weekdaysBetween(d, d + 1)));
  const teamHours = (technicians.getColumn("availability").sum() as number) * WORKDAY_HOURS;
  const grid = pl.DataFrame({
    date: pl.Series("date", days).cast(pl.Date),
    _capacity: pl.Series("_capacity", Float64Array.from(weekday, (w) => (w ? teamHours : NaN))),
  }).withColumns(pl.col("_capacity").fillNan(null));
  const created = tickets.withColumns(pl.col("created_at").cast(pl.Date).alias("date")).groupBy("date").agg(
    pl.len().cast(pl.Int32).alias("tickets_created"),
  );
  const resolved = resolvedFacts(tickets, technicians).withColumns(pl.col("resolved_at").cast(pl.Date).alias("date"))
    .groupBy("date").agg(
      pl.len().cast(pl.Int32).alias("tickets_resolved"),
      pl.col("_resolution_hours").mean().alias("avg_resolution_hours"),
      pl.col("_met").mean().alias("sla_compliance_rate"),
      pl.col("satisfaction").cast(pl.Float64).mean().alias("avg_satisfaction"),
      pl.col("actual_hours").sum().alias("_worked"),
      pl.col("total_cost").sum().alias("revenue"),
      pl.col("_labor_cost").sum().alias("_labor"),
    );
  return grid
    .join(created, { on: "date", how: "left" })
    .join(resolved, { on: "date", how: "left" })
    .sort("date")
    .withColumns(
      pl.col("tickets_created").fillNull(0).cast(pl.Int32),
      pl.col("tickets_resolved").fillNull(0).cast(pl.Int32),
      pl.col("revenue").fillNull(0),
      pl.col("_worked").fillNull(0),
    )
    .withColumns(
      pl.col("tickets_created").cumSum().sub(pl.col("tickets_resolved").cumSum()).cast(pl.Int32).alias(
        "open_tickets",
      ),
      pl.col("_worked").div(pl.col("_capacity")).round(4).alias("technician_utilization"),
      pl.col("_labor").div(pl.col("tickets_resolved")).round(2).alias("cost_per_ticket"),
      pl.col("avg_resolution_hours").round(3),
      pl.col("sla_compliance_rate").round(4),
      pl.col("avg_satisfaction").round(3),
      pl.col("revenue").round(2),
    )
    .select(
      "date",
      "tickets_created",
      "tickets_resolved",
      "open_tickets",
      "avg_resolution_hours",
      "sla_compliance_rate",
      "avg_satisfaction",
      "technician_utilization",
      "revenue",
      "cost_per_ticket",
    );
}

/** The months of a period as `YYYY-MM` with their weekday counts inside the period. */
export function periodMonths(period: MspPeriod): { period: string; weekdays: number }[] {
  const out: { period: string; weekdays: number }[] = [];
  const first = new Date(period.startMs);
  let y = first.getUTCFullYear(), m = first.getUTCMonth();
  for (;;) {
    const from = Math.max(Date.UTC(y, m, 1), period.startMs);
    if (from >= period.asOfMs) break;
    const to = Math.min(Date.UTC(y, m + 1, 1), period.asOfMs);
    out.push({
      period: `${y}-${String(m + 1).padStart(2, "0")}`,
      weekdays: weekdaysBetween(Math.floor(from / DAY_MS), Math.ceil(to / DAY_MS)),
    });
    m++;
    if (m === 12) [y, m] = [y + 1, 0];
  }
  return out;
}

/**
 * Derives `technician_productivity`, one row per technician and month (`YYYY-MM`) of the period, from the tickets
 * they resolved that month: count, mean resolution hours, mean satisfaction, SLA compliance rate, utilization
 * (hands-on hours over availability x 8 h x weekdays of the month inside the period), overtime hours (hands-on
 * hours of tickets first answered outside business hours) and a performance score
 * `100 x (0.4 x SLA rate + 0.3 x (satisfaction - 1) / 4 + 0.3 x min(utilization / 0.8, 1))` with a neutral 3 when
 * no survey was answered; null without resolved tickets.
 *
 * @param frames the `tickets` and `technicians` frames
 * @param period the period
 * @returns the frame, sorted by technician and period
 */
export function deriveTechnicianProductivity(
  { tickets, technicians }: { tickets: pl.DataFrame; technicians: pl.DataFrame },
  period: MspPeriod,
): pl.DataFrame {
  const months = periodMonths(period);
  const monthFrame = pl.DataFrame({
    period: months.map((m) => m.period),
    _weekdays: pl.Series("_weekdays", Float64Array.from(months, (m) => m.weekdays)),
  });
  const stats = resolvedFacts(tickets, technicians)
    .withColumns(
      pl.col("resolved_at").dt.strftime("%Y-%m").alias("period"),
      pl.when(outsideBusinessHoursExpr("first_response_at")).then(pl.col("actual_hours")).otherwise(pl.lit(0)).alias(
        "_overtime",
      ),
    )
    .groupBy(["technician_id", "period"]).agg(
      pl.len().cast(pl.Int32).alias("tickets_resolved"),
      pl.col("_resolution_hours").mean().alias("avg_resolution_hours"),
      pl.col("satisfaction").cast(pl.Float64).mean().alias("avg_satisfaction"),
      pl.col("_met").mean().alias("sla_compliance_rate"),
      pl.col("actual_hours").sum().alias("_worked"),
      pl.col("_overtime").sum().alias("overtime_hours"),
    );
  const utilization = pl.when(pl.col("_weekdays").gt(0))
    .then(pl.col("_worked").div(pl.col("availability").mul(WORKDAY_HOURS).mul(pl.col("_weekdays"))))
    .otherwise(pl.lit(null).cast(pl.Float64));
  const score = pl.lit(0.4).mul(pl.col("sla_compliance_rate"))
    .add(pl.lit(0.3).mul(pl.col("avg_satisfaction").fillNull(3).sub(1).div(4)))
    .add(pl.lit(0.3).mul(utilization.div(0.8).clip(0, 1).fillNull(0)));
  return technicians.select("technician_id", "availability")
    .join(monthFrame, { how: "cross" })
    .join(stats, { on: ["technician_id", "period"], how: "left" })
    .withColumns(
      pl.col("tickets_resolved").fillNull(0).cast(pl.Int32),
      pl.col("_worked").fillNull(0),
      pl.col("overtime_hours").fillNull(0),
    )
    .withColumns(
      utilization.round(4).alias("utilization"),
      pl.when(pl.col("tickets_resolved").gt(0)).then(score.mul(100).round(1)).otherwise(pl.lit(null).cast(pl.Float64))
        .alias("performance_score"),
      pl.col("avg_resolution_hours").round(3),
      pl.col("avg_satisfaction").round(3),
      pl.col("sla_compliance_rate").round(4),
      pl.col("overtime_hours").round(2),
    )
    .sort(["technician_id", "period"])
    .select(
      "technician_id",
      "period",
      "tickets_resolved",
      "avg_resolution_hours",
      "avg_satisfaction",
      "sla_compliance_rate",
      "utilization",
      "overtime_hours",
      "performance_score",
    );
}

/** The tables derived from ticket facts, clients and technicians (see {@linkcode deriveMspTables}). */
export interface MspDerived {
  clients: pl.DataFrame;
  tickets: pl.DataFrame;
  sla_metrics: pl.DataFrame;
  service_delivery_daily: pl.DataFrame;
  technician_productivity: pl.DataFrame;
}

/**
 * Derives every computed MSP table from the facts, the one code path of the generator and of the MSP API ingest:
 * `sla_metrics` (SLA breach per clock), the derived ticket columns (due time, status, cost, SLA status and breach
 * reason, satisfaction), clients' `last_activity`, `service_delivery_daily` (open tickets, resolution time, ...) and
 * `technician_productivity`.
 *
 * @param frames `facts`: ticket facts (see {@linkcode deriveTickets}); `clients`: clients without
 *   `last_activity`; `technicians`: the technicians frame
 * @param period the period
 * @returns the derived tables
 */
export function deriveMspTables(
  { facts, clients, technicians }: { facts: pl.DataFrame; clients: pl.DataFrame; technicians: pl.DataFrame },
  period: MspPeriod,
): MspDerived {
  const slaMetrics = deriveSlaMetrics({ tickets: facts, clients }, period);
  const tickets = deriveTickets({ facts, sla: slaMetrics }, period);
  return {
    clients: deriveClientActivity(clients, tickets),
    tickets,
    sla_metrics: slaMetrics,
    service_delivery_daily: deriveServiceDeliveryDaily({ tickets, technicians }, period),
    technician_productivity: deriveTechnicianProductivity({ tickets, technicians }, period),
  };
}
