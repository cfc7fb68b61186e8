/**
 * `maintenance_notice` (planned): the Change Advisory Board announces a maintenance window on one service.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { fill } from "../text.ts";
import { changeId, sendTime, window } from "./_background.ts";
import { type BackgroundContext, type BackgroundThreadKind, type Email, greet, mailbox, Thread } from "./_thread.ts";

const WORK = [
  "patch the operating system",
  "upgrade the runtime",
  "rotate certificates",
  "resize the volumes",
  "apply database minor updates",
  "replace a failing disk shelf",
  "move the service to the new load balancers",
  "upgrade the container platform",
];

/** Planned maintenance announcements. */
export const plannedMaintenance: BackgroundThreadKind = {
  name: "planned_maintenance",
  weight: 3,
  write(rng: Rng, { day, apps }: BackgroundContext): Email[] {
    const v = { app: rng.pick(apps), ...window(rng, day), chg: changeId(rng), work: rng.pick(WORK) };
    return new Thread(rng, null, "maintenance_notice").add(
      sendTime(rng, day),
      mailbox(MAILBOXES.changes, "Change Advisory Board"),
      [mailbox(MAILBOXES.allStaff, "IT announcements")],
      fill(
        rng,
        "[Planned maintenance|Scheduled maintenance|Maintenance window|Heads-up: maintenance]: {app} [on|-] {when}",
        v,
      ),
      [
        ...greet(rng),
        fill(
          rng,
          "[Planned maintenance|A maintenance window|Scheduled work] on {app} [is booked for|will take place on] {when} [from {from} to {to}|between {from} and {to}] UTC.",
          v,
        ) + " " +
        fill(
          rng,
          "[We will|The team will|The plan is to] {work} [on every server of the service|one server at a time|behind the load balancer].",
          v,
        ),
        fill(
          rng,
          "[No downtime is expected.|Expect up to 10 minutes of degraded performance.|Short interruptions are possible.|Batch jobs will be paused during the window.] [Change reference|Reference|Change record] {chg}.",
          v,
        ),
        "Change Advisory Board",
      ].join("\n\n"),
    ).messages;
  },
};
