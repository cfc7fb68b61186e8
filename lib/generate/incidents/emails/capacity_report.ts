/**
 * `report`: the automatic weekly capacity report sent to the NOC.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES } from "../catalog.ts";
import { fill } from "../text.ts";
import { sendTime } from "./_background.ts";
import { type BackgroundContext, type BackgroundThreadKind, DAY, type Email, mailbox, Thread } from "./_thread.ts";

/** Weekly capacity reports. */
export const capacityReport: BackgroundThreadKind = {
  name: "capacity_report",
  weight: 1.5,
  write(rng: Rng, { day, apps }: BackgroundContext): Email[] {
    const v = {
      app: rng.pick(apps),
      week: Math.ceil(((day - Date.UTC(new Date(day).getUTCFullYear(), 0, 1)) / DAY + 1) / 7),
      cpu: rng.int(28, 71),
      mem: rng.int(35, 82),
      growth: (rng.uniform(-2, 6)).toFixed(1),
      tickets: rng.int(40, 180),
    };
    return new Thread(rng, null, "report").add(
      sendTime(rng, day),
      mailbox("reports@example.com", "Capacity reports"),
      [mailbox(MAILBOXES.noc, "NOC")],
      fill(rng, "[Weekly capacity report|Capacity summary|Fleet utilisation report] - week {week}", v),
      [
        fill(
          rng,
          "[Fleet summary for week {week}:|Summary, week {week}:|Capacity figures for week {week} below.|This week's fleet utilisation (week {week}):|Automated capacity digest:]",
          v,
        ),
        fill(
          rng,
          "- mean CPU P95: {cpu}%\n- mean memory P95: {mem}%\n- week-over-week traffic change: {growth}%\n- tickets opened: {tickets}",
          v,
        ),
        fill(
          rng,
          "[No action needed.|Two services are above 75% memory; see the dashboard.|Disk headroom is below target on one database host.|{app} is the fastest-growing service this week.]",
          v,
        ),
        "This report is generated automatically.",
      ].join("\n\n"),
    ).messages;
  },
};
