/**
 * What every column of an MSP dataset means, with its unit and range (rendered into `docs/columns.md`). The MSP
 * tables are declared by dtype (`MSP_COLUMNS` in `lib/schema/msp/tables.ts`), not by a zod row schema, so their
 * descriptions live here, one per column; a test fails when a column the generator writes has none.
 * @module
 */

/** Column descriptions of the MSP tables, by table then column. */
export const MSP_COLUMN_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  clients: {
    client_id: "client id, `client-0001` …",
    name: "company name (synthetic)",
    industry: "industry (healthcare, legal, finance, …); sets the ticket-rate multiplier",
    company_size: "small (5-49 employees), medium (50-249), large (250-999), enterprise (1000-5000)",
    employees: "employees, count (5-5000, within the size's range)",
    contract_type: "managed_services, co_managed, block_hours or break_fix; sets tickets per employee and billing rate",
    contract_value: "yearly contract value, USD (>= 0; seats x seat price for managed contracts)",
    contract_start: "first day of the contract, date",
    contract_end: "last day of the contract, date (after contract_start)",
    billing_frequency: "monthly, quarterly, annual or per_incident",
    service_level: "platinum, gold, silver or bronze; multiplies every SLA target (0.5, 0.75, 1, 1.5)",
    created_at: "when the client was created, UTC (before the period's first ticket)",
    last_activity: "creation time of the client's latest ticket, UTC; null without tickets",
  },
  technicians: {
    technician_id: "technician id, `tech-001` …",
    name: "technician name (synthetic)",
    role: "role (`service_desk_t1`, `service_desk_t2`, engineers, …): sets skill levels and hourly cost",
    department: "service_desk, infrastructure, security or cloud",
    skills: "skill level by ticket category, `category:level;…` (levels 1-5)",
    certifications: "certifications, `;`-separated (may be empty)",
    hourly_rate: "hourly labour cost of the technician, USD/h (> 0)",
    availability: "share of a workday spent on tickets: 1.0, 0.9, 0.8, 0.6 or 0.5 (of 8 h)",
  },
  tickets: {
    ticket_id: "ticket id, `TKT-000001` …, in creation order",
    title: "short summary of the request (synthetic text)",
    description: "the request in a few sentences (synthetic text)",
    status: "status at the dataset's end: new, assigned, in_progress, resolved, closed (3 days after resolution)",
    priority: "critical, high, medium or low; critical is measured on the 24x7 clock, others in business hours",
    created_at: "when the ticket was raised, UTC, within the period",
    due_at: "created_at plus the resolution target on the ticket's SLA calendar, UTC",
    assigned_at: "when a technician took it, UTC (>= created_at); null if never assigned",
    first_response_at: "first answer to the client, UTC (>= assigned_at); null without one",
    resolved_at: "when it was resolved, UTC (>= first_response_at); null while open",
    client_id: "the client who raised it (clients.client_id)",
    technician_id: "the technician it was assigned to (technicians.technician_id); null if never assigned",
    service_type: "incident, service_request, change_request or problem",
    category: "category (network, security, …); the technician's skill in it sets the work time",
    subcategory: "subcategory within the category",
    estimated_hours: "estimated hands-on hours at creation, h (> 0)",
    actual_hours: "hands-on hours worked, h (> 0 once resolved; null while open)",
    billing_rate: "rate billed to the client, USD/h (by contract type: 95-165; x1.5 outside business hours)",
    total_cost: "billed amount: actual_hours x billing_rate, USD (>= 0)",
    sla_status: "met (every SLA met), breached (any breached) or pending (not yet decided)",
    sla_breach_reason:
      "why the first breached SLA was missed: dispatch_delay, technician_backlog, effort_overrun, open_past_due, extended_wait; null unless breached",
    satisfaction:
      "survey answer, 1-5 (lower after breaches); null without an answer (--survey-rate of resolved tickets)",
  },
  sla_metrics: {
    ticket_id: "the ticket (tickets.ticket_id); three rows per ticket",
    sla_type: "response, first_response or resolution",
    calendar: "24x7 (critical tickets) or business_hours (Mon-Fri 08:00-18:00 UTC)",
    target_minutes: "target, minutes on the calendar (base target by priority x service-level factor, > 0)",
    actual_minutes: "minutes taken on the calendar (>= 0); null while pending",
    status: "met, breached or pending",
  },
  service_delivery_daily: {
    date: "the day, UTC; one row per day of the period",
    tickets_created: "tickets created that day, count (>= 0)",
    tickets_resolved: "tickets resolved that day, count (>= 0)",
    open_tickets: "tickets open at the end of the day, count (>= 0)",
    avg_resolution_hours: "mean created-to-resolved clock hours of the day's resolved tickets, h; null without any",
    sla_compliance_rate: "share of the day's resolved tickets whose sla_status is met, fraction 0-1; null without any",
    avg_satisfaction: "mean survey answer of the day's resolved tickets, 1-5; null without answers",
    technician_utilization:
      "hands-on hours of the day's resolved tickets over the team's ticket hours (sum of availability x 8 h), ratio >= 0; null on weekends. Work counts on the day its ticket is resolved, so a day that closes long tickets exceeds 1",
    revenue: "billed total_cost of the day's resolved tickets, USD (>= 0)",
    cost_per_ticket:
      "labour cost (actual_hours x hourly_rate) of the day's resolved tickets per ticket, USD; null without any",
  },
  technician_productivity: {
    technician_id: "the technician (technicians.technician_id)",
    period: "the month, `YYYY-MM`; one row per technician and month of the period",
    tickets_resolved: "tickets the technician resolved that month, count (>= 0)",
    avg_resolution_hours: "mean created-to-resolved clock hours of those tickets, h; null without any",
    avg_satisfaction: "mean survey answer of those tickets, 1-5; null without answers",
    sla_compliance_rate: "share of those tickets whose sla_status is met, fraction 0-1; null without any",
    utilization:
      "hands-on hours of the tickets resolved that month over availability x 8 h x weekdays of the month in the period, ratio >= 0 (not capped at 1). It exceeds 1 (e.g. 1.155) when a technician resolves tickets whose work began the month before, or worked overtime outside business hours: work counts in the month its ticket is resolved, capacity counts business days only; null without resolved tickets",
    overtime_hours:
      "hands-on hours of tickets first answered outside business hours (Mon-Fri 08:00-18:00 UTC), h (>= 0)",
    performance_score:
      "100 x (0.4 x SLA rate + 0.3 x (satisfaction - 1) / 4 + 0.3 x min(utilization / 0.8, 1)), 0-100 (satisfaction 3 when no survey); null without resolved tickets",
  },
};
