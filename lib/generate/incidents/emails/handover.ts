/**
 * `handover`: the on-call engineer's shift handover to the next one.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { fill, person } from "../text.ts";
import { changeId, sendTime } from "./_background.ts";
import {
  type BackgroundContext,
  type BackgroundThreadKind,
  type Email,
  greetPerson,
  mailbox,
  Thread,
} from "./_thread.ts";

/** On-call handovers. */
export const handover: BackgroundThreadKind = {
  name: "handover",
  weight: 1,
  write(rng: Rng, { day, apps }: BackgroundContext): Email[] {
    const staff = person(rng);
    const next = person(rng);
    const v = { app: rng.pick(apps), chg: changeId(rng), pages: rng.int(0, 4) };
    return new Thread(rng, null, "handover").add(
      sendTime(rng, day),
      staff,
      [next, mailbox(MAILBOXES.noc, "NOC")],
      fill(rng, "[On-call handover|Handover|Shift handover] {when}", {
        when: new Date(day).toISOString().slice(0, 10),
      }),
      [
        ...greetPerson(rng, next, { probability: 0.5 }),
        fill(
          rng,
          "[Quiet shift|Uneventful night|Fairly calm shift|Busy one|Handing over with {pages} pages overnight]. [One page for {app} that cleared by itself.|Nothing open from my side.|Watch {app}: memory has crept up a little.|{app} alerted twice on latency; silenced until morning.] " +
            "[Dashboards are green.|No open incidents.|The {chg} change is scheduled for tomorrow.]",
          v,
        ),
        staff.name,
      ].join("\n\n"),
    ).messages;
  },
};
