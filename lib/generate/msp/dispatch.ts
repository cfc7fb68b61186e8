import { CATEGORY_NAMES, PRIORITY_EFFORT, skillFactor } from "@lib/schema/msp/catalog.ts";
import {
  BUSINESS_DAY_SECONDS,
  businessSeconds,
  fromBusinessSeconds,
  WORKDAY_HOURS,
} from "@lib/calendar/business_hours.ts";
import type { TechnicianDraw } from "./entities.ts";

/** Inputs of the desk simulation, one entry per ticket, sorted by creation time. */
export interface DeskInput {
  created: Float64Array;
  priority: Uint8Array;
  category: Uint8Array;
  /** Median hands-on hours of the ticket's subcategory. */
  baseHours: Float64Array;
  complexity: Float64Array;
  triage: Float64Array;
  pickup: Float64Array;
  hold: Float64Array;
}

/** What the desk did with every ticket (times in epoch ms, NaN for "not yet" at the snapshot). */
export interface DeskOutput {
  /** Technician index, -1 when not yet assigned. */
  technician: Int32Array;
  assigned: Float64Array;
  firstResponse: Float64Array;
  resolved: Float64Array;
  estimatedHours: Float64Array;
  /** Hands-on hours, NaN until resolved. */
  actualHours: Float64Array;
}

/** Triages per hour each technician adds to the desk's capacity (at least 6 an hour in all). */
const TRIAGES_PER_TECHNICIAN_HOUR = 0.75;
const HOUR_MS = 3_600_000;

function quarter(x: number): number {
  return Math.max(0.25, Math.round(x * 4) / 4);
}

function wholeSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

/**
 * Simulates the service desk over tickets sorted by creation time: triage (slower when more tickets arrived in
 * the last hour than the desk handles: 0.75 an hour per technician, at least 6), assignment to the technician who would finish soonest among those skilled (level >= 2) in the
 * category, a per-technician queue in business time, and work whose length follows the subcategory, the priority,
 * the ticket's complexity and the technician's skill.
 *
 * Critical tickets run on the 24x7 clock: the most skilled technician is paged and works until done, pushing back
 * their business-hours queue. High tickets jump the queue; medium and low wait for it. Hands-on hours stretch in
 * business time by the technician's availability (a 0.5 technician spends half the day on other work). Holds
 * (waiting on the client) add elapsed time, not work. Times after the snapshot `asOfMs` are left as NaN.
 *
 * The simulation is deterministic: it draws nothing, all randomness comes in with the inputs.
 *
 * @param input the tickets, sorted by creation time
 * @param desk `technicians`: the technicians; `asOfMs`: the snapshot time, epoch ms
 * @returns assignment, times and hours per ticket
 */
export function simulateDesk(
  input: DeskInput,
  { technicians, asOfMs }: { technicians: readonly TechnicianDraw[]; asOfMs: number },
): DeskOutput {
  const n = input.created.length;
  const nTech = technicians.length;
  const out: DeskOutput = {
    technician: new Int32Array(n).fill(-1),
    assigned: new Float64Array(n).fill(NaN),
    firstResponse: new Float64Array(n).fill(NaN),
    resolved: new Float64Array(n).fill(NaN),
    estimatedHours: new Float64Array(n),
    actualHours: new Float64Array(n).fill(NaN),
  };
  // candidates per category: skilled technicians, or everyone when nobody is
  const candidates: number[][] = CATEGORY_NAMES.map((_, c) => {
    const skilled = technicians.map((t, i) => (t.skills[c] >= 2 ? i : -1)).filter((i) => i >= 0);
    return skilled.length > 0 ? skilled : technicians.map((_, i) => i);
  });
  // Three queues per technician: business-hours work (business seconds), high-priority work that jumps it, and
  // critical on-call work on the clock (epoch ms). A technician never works two tickets of one queue at once.
  const freeAt = new Float64Array(nTech).fill(-Infinity);
  const highFreeAt = new Float64Array(nTech).fill(-Infinity);
  const clockFreeAt = new Float64Array(nTech).fill(-Infinity);
  const stretch = BUSINESS_DAY_SECONDS / (WORKDAY_HOURS * 3600);
  const deskCapacity = Math.max(6, TRIAGES_PER_TECHNICIAN_HOUR * nTech);
  let windowStart = 0;

  for (let i = 0; i < n; i++) {
    const created = input.created[i];
    while (input.created[windowStart] < created - HOUR_MS) windowStart++;
    const load = Math.max(1, (i - windowStart) / deskCapacity);
    const p = input.priority[i];
    const cat = input.category[i];
    const effortBase = input.baseHours[i] * PRIORITY_EFFORT[p];
    out.estimatedHours[i] = quarter(effortBase);
    const hoursFor = (t: number) => quarter(effortBase * input.complexity[i] * skillFactor(technicians[t].skills[cat]));

    let tech = -1, assigned: number, start: number, resolved: number, hours = 0;
    if (p === 0) {
      // paged on call: the technician who would finish first, preferring skill on ties
      assigned = wholeSecond(created + input.triage[i] * load * 60_000);
      const ready = assigned + input.pickup[i] * 60_000;
      let best = Infinity;
      for (const t of candidates[cat]) {
        const h = hoursFor(t);
        const finish = Math.max(ready, clockFreeAt[t]) + h * HOUR_MS;
        if (finish < best || (finish === best && technicians[t].skills[cat] > technicians[tech].skills[cat])) {
          best = finish;
          tech = t;
          hours = h;
        }
      }
      start = wholeSecond(Math.max(ready, clockFreeAt[tech]));
      const workEnd = start + hours * HOUR_MS;
      clockFreeAt[tech] = workEnd;
      resolved = wholeSecond(workEnd + input.hold[i] * 60_000);
      const bStart = businessSeconds(start);
      freeAt[tech] = Math.max(freeAt[tech], bStart) + (businessSeconds(workEnd) - bStart);
    } else {
      const bAssigned = businessSeconds(created) + Math.round(input.triage[i] * load * 60);
      const queue = p === 1 ? highFreeAt : freeAt;
      let best = Infinity, bestWork = 0;
      for (const t of candidates[cat]) {
        const work = hoursFor(t) * 3600 * stretch / technicians[t].availability;
        const finish = Math.max(queue[t], bAssigned) + work;
        if (finish < best) {
          best = finish;
          bestWork = work;
          tech = t;
        }
      }
      hours = hoursFor(tech);
      const bStart = Math.round(Math.max(queue[tech], bAssigned) + input.pickup[i] * 60);
      if (p === 1) highFreeAt[tech] = bStart + bestWork;
      freeAt[tech] = Math.max(freeAt[tech], bStart) + bestWork;
      assigned = fromBusinessSeconds(bAssigned);
      start = fromBusinessSeconds(bStart);
      resolved = fromBusinessSeconds(Math.round(bStart + bestWork + input.hold[i] * 60));
    }
    if (assigned >= asOfMs) continue;
    out.technician[i] = tech;
    out.assigned[i] = assigned;
    if (start >= asOfMs) continue;
    out.firstResponse[i] = start;
    if (resolved >= asOfMs) continue;
    out.resolved[i] = resolved;
    out.actualHours[i] = hours;
  }
  return out;
}
