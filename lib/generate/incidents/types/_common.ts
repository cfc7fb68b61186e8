/**
 * What every incident type shares: the drawn {@linkcode Incident}, the effects it has on each modality, and the
 * {@linkcode IncidentType} interface a type module implements (defaults and a small factory, registered with one
 * line in `types/mod.ts`).
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import type { Engine, Vendor } from "../catalog.ts";
import type { Fleet } from "../fleet.ts";
import type { Modality } from "../modalities.ts";

/** Severity 1 (worst) to 4. */
export type Severity = 1 | 2 | 3 | 4;

/** How an incident first became known. */
export type DetectionSource =
  | "monitoring_alert"
  | "customer_report"
  | "vendor_notice"
  | "security_alert"
  | "log_alert"
  | "on_call_check";

/** An anomaly shape put into a metric table over the incident's span. */
export interface MetricEffect {
  /** `capacity`: hourly server metrics; `service`: per-service latency, errors, throughput. */
  table: "capacity" | "service";
  /** Server ids (capacity) or service names (service). */
  targets: string[];
  /** Anomaly type name in the anomaly registry, e.g. `memory_leak`. */
  shape: string;
  /** Metric columns it edits. */
  metrics: string[];
  /** Parameter overrides for the shape (length and metrics are set from the incident). */
  params: Record<string, unknown>;
}

/** How an incident shows in CloudFront access logs. */
export interface CloudfrontEffect {
  /** Services whose paths are hit (their path groups). */
  services: string[];
  /** Share of requests to those paths that fail at full strength. */
  failShare: number;
  /** Status codes of failed requests and their weights. */
  statuses: readonly (readonly [status: number, weight: number])[];
  /** Detailed result type of a failed request, by status (else `Error`). */
  detailed: Readonly<Record<number, string>>;
  /** Factor on time-taken of hit requests. */
  latencyFactor: number;
  /** Extra requests the incident adds at full strength, as a multiple of the paths' normal rate (herd, attack). */
  extraRate: number;
  /** Whether extra requests come from one attacker address as login attempts. */
  attack?: { ip: string; userAgent: string; perMinute: number };
}

/** Database log patterns an incident writes into one server's log. */
export interface DbEffect {
  /** The database server. */
  server: string;
  engine: Engine;
  /** Pattern names understood by every engine module (`auth_bruteforce`, `disk_full`, ...). */
  patterns: string[];
  /** Records at full strength per minute. */
  perMinute: number;
}

/** The words an incident is told with in e-mails and tickets. */
export interface IncidentWords {
  /** ITSM category and subcategory. */
  category: string;
  subcategory: string;
  /** One-line symptom, e.g. "checkout requests failing with 502 errors". */
  symptom: string;
  /** What caused it, one sentence fragment. */
  cause: string;
  /** What fixed it, one sentence fragment. */
  fix: string;
  /** What was done to stop the bleeding, one fragment. */
  mitigation: string;
}

/** One incident of the timeline: the ground truth every modality reads. */
export interface Incident {
  /** 0-based, in start order. */
  index: number;
  /** `inc-0001` ... in start order. */
  id: string;
  type: string;
  severity: Severity;
  /** Epoch ms, whole seconds: onset, detection, mitigation, resolution, closure (ticket closed, review done). */
  start: number;
  detected: number;
  mitigated: number;
  resolved: number;
  closed: number;
  detection: DetectionSource;
  /** The failing component (service or `vendor:<key>`). */
  root: string;
  /** The service named in communications. */
  service: string;
  /** Services impacted (root and its dependents in the fleet). */
  services: string[];
  /** Servers affected. */
  servers: string[];
  /** Whether customers saw it. */
  customerFacing: boolean;
  vendor?: Vendor;
  /** Type-specific facts used in texts (versions, certificate names, lag, addresses...). */
  facts: Record<string, string | number>;
  metrics: MetricEffect[];
  cloudfront?: CloudfrontEffect;
  db?: DbEffect;
  words: IncidentWords;
  /** The modalities it must appear in. */
  modalities: Modality[];
  /** Short title, e.g. "Checkout errors: Northwind Payments outage". */
  title: string;
}

/** What a type draws for one incident: the target and its effects (times are drawn by the timeline). */
export type IncidentDraft = Omit<
  Incident,
  | "index"
  | "id"
  | "type"
  | "severity"
  | "start"
  | "detected"
  | "mitigated"
  | "resolved"
  | "closed"
  | "detection"
  | "modalities"
  | "title"
>;

/** Durations in minutes, `[min, max]`, drawn log-uniformly, for a SEV3; other severities scale them. */
export interface Durations {
  /** Onset to detection. */
  detect: readonly [number, number];
  /** Detection to mitigation. */
  mitigate: readonly [number, number];
  /** Mitigation to resolution. */
  resolve: readonly [number, number];
}

/**
 * One kind of incident: defaults and a small factory.
 */
export interface IncidentType {
  /** The name used in config and the incidents table, e.g. `disk_full`. */
  readonly name: string;
  /** One line saying what it is. */
  readonly description: string;
  /** Weights of SEV1..SEV4. */
  readonly severity: readonly [number, number, number, number];
  /** Weights of the UTC start hour (24 entries); uniform when absent. */
  readonly startHours?: readonly number[];
  /** Start exactly on the hour (a certificate's notAfter, a cron job). @default false */
  readonly onTheHour?: boolean;
  readonly durations: Durations;
  /** How it is usually detected. */
  readonly detection: Partial<Record<DetectionSource, number>>;
  /**
   * Whether the fleet has something this type can hit.
   * @param fleet the fleet
   */
  available(fleet: Fleet): boolean;
  /**
   * Draws the target, facts, effects and words of one incident.
   * @param rng the incident's own stream
   * @param fleet the fleet
   * @param severity its severity
   * @returns the draft
   */
  draw(rng: Rng, fleet: Fleet, severity: Severity): IncidentDraft;
}

/** Helpers shared by type modules. */
export const SEVERITY_SCALE: Readonly<Record<Severity, number>> = { 1: 1.4, 2: 1.15, 3: 1, 4: 0.8 };

/**
 * Services of `names` that some server of the fleet runs.
 * @param fleet the fleet
 * @param names service names
 * @returns the ones present, in the given order
 */
export function present(fleet: Fleet, names: readonly string[]): string[] {
  return names.filter((n) => (fleet.byApp.get(n)?.length ?? 0) > 0);
}

/**
 * Server ids of services.
 * @param fleet the fleet
 * @param services service names
 * @param options `max`: at most this many per service @default Infinity
 * @returns ids
 */
export function serversOf(fleet: Fleet, services: readonly string[], options: { max?: number } = {}): string[] {
  const { max = Infinity } = options;
  return services.flatMap((s) => (fleet.byApp.get(s) ?? []).slice(0, max).map((x) => x.id));
}

/**
 * A random address of a documentation range (RFC 5737).
 * @param rng the stream
 * @returns an IPv4 address in 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24
 */
export function documentationIp(rng: Rng): string {
  const net = rng.pick(["192.0.2", "198.51.100", "203.0.113"]);
  return `${net}.${rng.int(1, 254)}`;
}

/** A version string like `4.17.2`. */
export function version(rng: Rng): string {
  return `${rng.int(2, 9)}.${rng.int(0, 40)}.${rng.int(0, 12)}`;
}

/**
 * Weight of an hour within [from, to) UTC hours (wrapping), for `startHours`.
 * @param from first hour inside
 * @param to hour after the last inside
 * @param options `inside`: the weight of an hour inside @default 1; `outside`: of one outside @default 0.1
 * @returns 24 weights
 */
export function hours(from: number, to: number, options: { inside?: number; outside?: number } = {}): number[] {
  const { inside = 1, outside = 0.1 } = options;
  return Array.from({ length: 24 }, (_, h) => {
    const isIn = from <= to ? h >= from && h < to : h >= from || h < to;
    return isIn ? inside : outside;
  });
}
