/**
 * `change_notice`: a CAB decision on a change, sometimes acknowledged by the owning team.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES, SERVICE_BY_NAME } from "../catalog.ts";
import { fill, person } from "../text.ts";
import { changeId, sendTime, window } from "./_background.ts";
import {
  type BackgroundContext,
  type BackgroundThreadKind,
  type Email,
  greet,
  mailbox,
  MINUTE,
  Thread,
} from "./_thread.ts";

/** CAB decisions. */
export const changeNotice: BackgroundThreadKind = {
  name: "change_notice",
  weight: 3,
  write(rng: Rng, { day, apps }: BackgroundContext): Email[] {
    const app = rng.pick(apps);
    const team = SERVICE_BY_NAME.get(app)?.team ?? "Operations";
    const v = {
      app,
      chg: changeId(rng),
      ...window(rng, day),
      change: fill(
        rng,
        "[{app} configuration update|{app} release|{app} scaling change|{app} dependency upgrade|{app} feature flag rollout]",
        { app },
      ),
    };
    const at = sendTime(rng, day);
    const cab = mailbox(MAILBOXES.changes, "Change Advisory Board");
    const approved = rng.bernoulli(0.85);
    const t = new Thread(rng, null, "change_notice").add(
      at,
      cab,
      [mailbox(`${team.toLowerCase().replace(/[^a-z]+/g, "-")}@example.com`, team)],
      approved
        ? fill(rng, "[{chg} approved|Approved: {chg}|CAB decision on {chg}]: {change}", v)
        : fill(rng, "[{chg} deferred|Deferred: {chg}|CAB decision on {chg}]: {change}", v),
      [
        ...greet(rng),
        approved
          ? fill(
            rng,
            "[The CAB approved|Approval granted for|CAB reviewed and approved] {chg} ({change}) for {when}, {from}-{to} UTC. " +
              "[Implement within the agreed window.|Please attach the rollback plan before you start.|Remember to update the change record when done.]",
            v,
          )
          : fill(
            rng,
            "[The CAB deferred|We could not approve] {chg} ({change}): [the rollback plan is missing|it clashes with the month-end freeze|the test evidence is incomplete]. [Please resubmit for next week.|Bring it to Thursday's meeting.]",
            v,
          ),
        "Change Advisory Board",
      ].join("\n\n"),
    );
    if (rng.bernoulli(0.4)) {
      const staff = person(rng);
      t.add(
        at + rng.int(10, 240) * MINUTE,
        staff,
        [cab],
        t.messages[0].subject,
        fill(
          rng,
          approved
            ? "[Thanks|Thank you|Noted], [will do|we will schedule it|rollback plan attached][ for {chg}|]. [We start at {from} UTC.|Owner on our side: {owner}.|]"
            : "[Understood|Fair enough|Noted], [we will fix the plan and resubmit|I will add the missing evidence][ for {chg}|].",
          { ...v, owner: staff.name.split(" ")[0] },
        ) + "\n\n" + staff.name,
      );
    }
    return t.messages;
  },
};
