import pl from "nodejs-polars";
import { stringLists } from "@lib/schema/dtypes.ts";
import { entityStream, type Rng } from "@lib/random/mod.ts";
import { type IncidentsConfig, period } from "./config.ts";
import type { Fleet } from "./fleet.ts";
import { PATH_GROUPS } from "./catalog.ts";
import type { Modality } from "./modalities.ts";
import {
  type DetectionSource,
  type Incident,
  INCIDENT_TYPE_NAMES,
  INCIDENT_TYPES,
  type IncidentTypeName,
  type Severity,
  SEVERITY_SCALE,
} from "./types/mod.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Quiet time kept between two incidents, so each line belongs to at most one. */
const GAP = 30 * MINUTE;
/** Longest onset-to-resolution span. */
const MAX_SPAN = 20 * HOUR;
const PLACEMENT_TRIES = 60;

/** The timeline and what placement left out. */
export interface Timeline {
  /** Incidents in start order, never overlapping (30 minutes apart at least). */
  incidents: Incident[];
  /** Incidents drawn (Poisson count). */
  drawn: number;
  /** Drawn incidents that found no free slot in the period. */
  dropped: number;
}

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

function minutes(rng: Rng, range: readonly [number, number], scale: number): number {
  return Math.max(60_000, Math.round(logUniform(rng, range) * scale * 60) * 1000);
}

function label(name: string): string {
  const text = name.replaceAll("_", " ");
  return text[0].toUpperCase() + text.slice(1);
}

/**
 * Draws the incident timeline of a config over a fleet: a Poisson number of incidents (`incidents_per_week`),
 * each with a type (by weight, among types the fleet can host), severity, start (by the type's preferred hours),
 * detection, mitigation, resolution and closure times, target servers and services, effects on every modality and
 * the words it is told with. Incidents never overlap: one that finds no free slot is dropped (counted).
 *
 * Candidate `k` draws everything from its own stream `(seed, "incidents", "candidate-k")`; ids `inc-0001`... are
 * given in start order.
 *
 * @param config the resolved config
 * @param fleet the fleet (see {@linkcode buildFleet})
 * @returns the timeline
 * @example
 * ```ts
 * import { buildFleet, generateTimeline, IncidentsConfig } from "@lib/generate/incidents/mod.ts";
 * const config = IncidentsConfig.parse({});
 * const { incidents } = generateTimeline(config, buildFleet(config.seed, config.servers));
 * incidents[0].id; // "inc-0001"
 * ```
 */
export function generateTimeline(config: IncidentsConfig, fleet: Fleet): Timeline {
  const { start: pStart, end: pEnd } = period(config);
  const names = INCIDENT_TYPE_NAMES.filter((n) => config.types[n].weight > 0 && INCIDENT_TYPES[n].available(fleet));
  const count = entityStream(config.seed, { dataset: "incidents", entity: "timeline" }).poisson(
    config.incidents_per_week * (pEnd - pStart) / WEEK,
  );
  if (count > 0 && names.length === 0) {
    throw new RangeError(
      `Cannot generate "${config.name}": no incident type with weight > 0 fits a fleet of ${config.servers} servers`,
    );
  }
  const weights = names.map((n) => config.types[n].weight);
  const days = Math.round((pEnd - pStart) / DAY);
  const placed: Omit<Incident, "index" | "id">[] = [];
  let dropped = 0;
  for (let k = 0; k < count; k++) {
    const rng = entityStream(config.seed, { dataset: "incidents", entity: `candidate-${k}` });
    const typeName: IncidentTypeName = names[rng.weightedIndex(weights)];
    const type = INCIDENT_TYPES[typeName];
    const severity = (rng.weightedIndex(type.severity) + 1) as Severity;
    const scale = SEVERITY_SCALE[severity];
    const detectMs = minutes(rng, type.durations.detect, 1 / scale);
    const mitigateMs = minutes(rng, type.durations.mitigate, scale);
    const resolveMs = minutes(rng, type.durations.resolve, scale);
    const span = Math.min(MAX_SPAN, detectMs + mitigateMs + resolveMs);
    const closeMs = Math.round(rng.uniform(2, severity <= 2 ? 72 : 24) * HOUR / 1000) * 1000;
    const hourWeights = type.startHours ?? new Array(24).fill(1);
    let start = NaN;
    for (let t = 0; t < PLACEMENT_TRIES; t++) {
      const day = rng.int(0, days - 1);
      const hour = rng.weightedIndex(hourWeights);
      const sec = type.onTheHour ? 0 : rng.int(0, 3599);
      const s = pStart + day * DAY + hour * HOUR + sec * 1000;
      if (s < pStart + HOUR || s + span > pEnd - 10 * MINUTE) continue;
      if (placed.some((p) => s < p.resolved + GAP && p.start < s + span + GAP)) continue;
      start = s;
      break;
    }
    if (Number.isNaN(start)) {
      dropped++;
      continue;
    }
    const detected = start + Math.min(detectMs, span - 2 * MINUTE);
    const mitigated = Math.min(detected + mitigateMs, start + span - MINUTE);
    const resolved = start + span;
    const closed = Math.min(resolved + closeMs, pEnd - 1000);
    const detection = rng.categorical(
      Object.keys(type.detection) as DetectionSource[],
      Object.values(type.detection) as number[],
    );
    const draft = type.draw(rng, fleet, severity);
    placed.push({
      ...draft,
      type: typeName,
      severity,
      start,
      detected,
      mitigated,
      resolved,
      closed,
      detection,
      modalities: modalitiesOf(draft),
      title: `${label(typeName)}: ${draft.words.symptom}`,
    });
  }
  placed.sort((a, b) => a.start - b.start);
  const incidents = placed.map((p, i) => ({ ...p, index: i, id: `inc-${String(i + 1).padStart(4, "0")}` }));
  return { incidents, drawn: count, dropped };
}

const EXPOSED = new Set(PATH_GROUPS.map((g) => g.service));

function modalitiesOf(d: Pick<Incident, "metrics" | "db" | "cloudfront">): Modality[] {
  const out: Modality[] = [];
  if (d.metrics.some((m) => m.targets.length > 0)) out.push("metrics");
  if (d.db) out.push("db_logs");
  if (d.cloudfront && (d.cloudfront.attack || d.cloudfront.services.some((s) => EXPOSED.has(s)))) {
    out.push("cloudfront");
  }
  out.push("emails", "tickets");
  return out;
}

/**
 * The ground-truth `incidents` table: one row per incident with its times, targets, expected modalities and words.
 * @param incidents the timeline's incidents
 * @param ticketIds the main ticket number of each incident (by index), if tickets were planned
 * @returns the frame
 */
export function incidentsFrame(incidents: readonly Incident[], ticketIds: readonly string[] = []): pl.DataFrame {
  const ms = (f: (i: Incident) => number, name: string) =>
    pl.Series(name, Float64Array.from(incidents, f)).cast(pl.Int64).cast(pl.Datetime("ms", "UTC"));
  const str = (name: string, f: (i: Incident) => string | null) => pl.Series(name, incidents.map(f), pl.String);
  const list = (name: string, f: (i: Incident) => string[]) => stringLists(name, incidents.map(f));
  return pl.DataFrame([
    str("incident_id", (i) => i.id),
    str("type", (i) => i.type),
    str("severity", (i) => `SEV${i.severity}`),
    pl.Series("severity_level", Int8Array.from(incidents, (i) => i.severity)),
    str("title", (i) => i.title),
    ms((i) => i.start, "start"),
    ms((i) => i.detected, "detected_at"),
    ms((i) => i.mitigated, "mitigated_at"),
    ms((i) => i.resolved, "resolved_at"),
    ms((i) => i.resolved, "end"),
    ms((i) => i.closed, "closed_at"),
    str("detection_source", (i) => i.detection),
    str("root", (i) => i.root),
    str("service", (i) => i.service),
    list("services", (i) => i.services),
    list("servers", (i) => i.servers),
    pl.Series("customer_facing", incidents.map((i) => i.customerFacing), pl.Bool),
    list("modalities", (i) => i.modalities),
    str("vendor", (i) => i.vendor?.name ?? null),
    str("db_server", (i) => i.db?.server ?? null),
    str("db_engine", (i) => i.db?.engine ?? null),
    str("cause", (i) => i.words.cause),
    str("fix", (i) => i.words.fix),
    str("facts", (i) => JSON.stringify(i.facts)),
    str("ticket_id", (i) => ticketIds[i.index] ?? null),
  ]);
}
