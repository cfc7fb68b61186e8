import type { IncidentsConfig } from "./config.ts";
import { buildFleet, type Fleet } from "./fleet.ts";
import { generateTimeline, type Timeline } from "./timeline.ts";
import { planTickets, type TicketPlan } from "./tickets.ts";

/** Everything the modalities read: the fleet, the timeline and the ticket numbers. */
export interface IncidentPlan {
  config: IncidentsConfig;
  fleet: Fleet;
  timeline: Timeline;
  tickets: TicketPlan;
  /** Services the fleet runs, sorted. */
  apps: string[];
}

/**
 * Plans a dataset: the capacity fleet, the incident timeline, and every ticket (tickets number incidents, so they
 * are planned even when not written).
 * @param config the resolved config
 * @returns the plan
 * @example
 * ```ts
 * import { IncidentsConfig, planIncidents } from "@lib/generate/incidents/mod.ts";
 * const plan = planIncidents(IncidentsConfig.parse({ to: "2024-03-06" }));
 * plan.timeline.incidents.length;
 * ```
 */
export function planIncidents(config: IncidentsConfig): IncidentPlan {
  const fleet = buildFleet(config.seed, config.servers);
  const timeline = generateTimeline(config, fleet);
  const apps = [...fleet.byApp.keys()].sort();
  const tickets = planTickets(config, { incidents: timeline.incidents, apps });
  return { config, fleet, timeline, tickets, apps };
}
