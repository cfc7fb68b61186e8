/**
 * What every column of an incidents dataset means, with its unit and range (rendered into `docs/columns.md`). The
 * incidents tables are written without zod row schemas, so their descriptions live here; the capacity metrics
 * reuse the capacity row schema's descriptions (one column, one description). A test fails when a column the
 * generator writes has none.
 * @module
 */
import { columnDescriptions } from "@lib/schema/docs.ts";
import { CapacityRow } from "@lib/schema/capacity.ts";

const INCIDENT_ID = "the incident this row belongs to (incidents.incident_id, `inc-0001` …); null when none";

/** Column descriptions of the incidents tables, by table then column. */
export const INCIDENTS_COLUMN_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  incidents: {
    incident_id: "incident id, `inc-0001` …, in start order: the ground truth every other table refers to",
    type:
      "incident pattern: vendor_outage, replication_lag, backup_failure, breach_attempt, capacity_spike, bad_deploy, cert_expiry, disk_full, …",
    severity: "SEV1 (worst) … SEV4",
    severity_level: "severity as a number, 1 (worst) - 4",
    title: "one-line summary as an on-call engineer would write it",
    start: "when the fault began, UTC",
    detected_at: "when it was detected, UTC (>= start)",
    mitigated_at: "when the impact was mitigated, UTC (>= detected_at)",
    resolved_at: "when it was resolved, UTC (>= mitigated_at)",
    end: "end of the impact, UTC (= resolved_at)",
    closed_at: "when the incident record was closed after follow-up, UTC (>= resolved_at)",
    detection_source:
      "how it was detected: monitoring_alert, customer_report, vendor_notice, security_alert, log_alert, on_call_check",
    root: "the component where the fault began (service or vendor)",
    service: "the service most affected",
    services: "every service affected (list), the root's dependants included",
    servers: "servers involved (list of capacity `server_id`s); may be empty",
    customer_facing: "whether customers saw the impact (CloudFront errors, escalations)",
    modalities: "modalities that tell the incident (list of metrics, db_logs, cloudfront, emails, tickets)",
    vendor: "the third-party vendor at fault (vendor outages); null otherwise",
    db_server: "the database server involved (`srv-…`); null when none",
    db_engine: "its engine: postgresql, mysql or mongodb; null when none",
    cause: "root cause, one phrase",
    fix: "what fixed it, one phrase",
    facts: "pattern-specific facts (host, mount, certificate, …), JSON object",
    ticket_id: "the ITSM ticket opened for it (tickets.ticket_id, `INC…`); null when none",
  },
  capacity_metrics: {
    ...columnDescriptions(CapacityRow),
    incident_id: INCIDENT_ID,
    anomaly: "anomaly type the incident put on this point (e.g. memory_leak, spike); null for normal points",
  },
  service_metrics: {
    timestamp: "start of the 5-minute interval, UTC",
    service: "service name (e.g. `auth-svc`)",
    tier: "service tier: frontend, api, backend, database, cache, queue",
    region: "cloud region of the service",
    latency_ms: "mean request latency, ms (> 0)",
    error_rate_pct: "share of requests that failed, % (0-100)",
    throughput_rps: "requests per second, req/s (>= 0)",
    incident_id: INCIDENT_ID,
    anomaly: "anomaly type the incident put on this point; null for normal points",
  },
  metric_anomalies: {
    incident_id: "the incident (incidents.incident_id)",
    table: "the metrics table the anomaly is in: capacity or service",
    target: "the server (`srv-…`) or service the anomaly is on",
    anomaly: "anomaly type (spike, level_shift, memory_leak, …)",
    metrics: "metric columns the anomaly changes (list)",
    first: "first labeled point, UTC",
    last: "last labeled point, UTC (inclusive, >= first)",
    points: "labeled points, count (>= 1)",
    realized: "realized parameters (target, effects per metric in local standard deviations, clipping), JSON",
  },
  db_log_labels: {
    file: "the log file, relative to the dataset folder (`db_logs/<engine>/<host>.log`)",
    server_id: "the database server (`srv-…`)",
    engine: "postgresql, mysql or mongodb",
    line: "first line of the record in the file, 1-based",
    lines: "lines the record spans, count (>= 1)",
    timestamp: "the record's time, UTC (ms)",
    level: "the engine's severity of the record (e.g. LOG, ERROR; MongoDB I, W, E)",
    incident_id: INCIDENT_ID,
  },
  cloudfront_labels: {
    file: "the gzip access-log file, relative to the dataset folder (`cloudfront/<distribution>.<hour>.<id>.gz`)",
    line: "line of the request in the file, 1-based (after the two header lines)",
    lines: "lines the record spans, count (1)",
    timestamp: "the request's time, UTC (ms)",
    incident_id: INCIDENT_ID,
  },
  email_index: {
    message_id: "RFC 5322 Message-ID without angle brackets",
    file: "the `.eml` file, relative to the dataset folder (`emails/<day>/<time>-<id>.eml`)",
    date: "the Date header, UTC",
    from_address: "sender address (example.com / example.net domains)",
    from_name: "sender display name",
    to: "recipient addresses (list)",
    cc: "copied addresses (list; may be empty)",
    subject: "Subject header",
    in_reply_to: "Message-ID this replies to; null for a thread's first message",
    references: "Message-IDs of the thread so far (list)",
    thread_id: "Message-ID of the thread's first message",
    kind:
      "incident_update, vendor_notice, customer_escalation, maintenance_notice, security_notice, postmortem, change_notice, report or handover",
    body_chars: "characters in the body, count (> 0)",
    near_duplicate: "whether the body is a near-copy of another message (templated notices)",
    incident_id: INCIDENT_ID,
  },
  tickets: {
    ticket_id: "ITSM ticket number, `INC0010001` …",
    opened_at: "when it was opened, UTC",
    resolved_at: "when it was resolved, UTC (>= opened_at); null while open",
    closed_at: "when it was closed, UTC (>= resolved_at); null until closed",
    state: "New, In Progress, Resolved or Closed at the end of the period",
    title: "short description as the caller or monitoring wrote it",
    body: "the request or alert text",
    category: "ITSM category (Hardware, Access, Network, Database, …)",
    subcategory: "ITSM subcategory within the category",
    urgency: "urgency, 1 (high) - 3 (low)",
    impact: "impact, 1 (high) - 3 (low)",
    priority: "ITIL priority from impact and urgency, 1 (critical) - 5 (planning)",
    severity: "the linked incident's severity (SEV1-SEV4); null for ordinary requests",
    service: "the affected service",
    assignment_group: "the team the ticket is assigned to",
    channel: "how it came in: monitoring, phone, email, portal or chat",
    caller: "the caller's name (synthetic)",
    caller_email: "the caller's address (example.com)",
    parent_ticket_id: "the master ticket this one duplicates (during incidents); null otherwise",
    incident_id: INCIDENT_ID,
  },
};
