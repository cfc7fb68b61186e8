/**
 * `vendor_notice` (planned): a vendor announces scheduled maintenance of its product.
 * @module
 */
import type { Rng } from "@lib/random/mod.ts";
import { MAILBOXES, VENDORS } from "../catalog.ts";
import { fill } from "../text.ts";
import { sendTime, window } from "./_background.ts";
import { type BackgroundContext, type BackgroundThreadKind, type Email, mailbox, Thread } from "./_thread.ts";
import { statusFooter } from "./vendor_notice.ts";

/** Vendors' planned maintenance notices. */
export const vendorMaintenance: BackgroundThreadKind = {
  name: "vendor_maintenance",
  weight: 1.5,
  write(rng: Rng, { day }: BackgroundContext): Email[] {
    const vendor = rng.pick(VENDORS);
    const v = { ...window(rng, day), vendor: vendor.name, product: vendor.product };
    return new Thread(rng, null, "vendor_notice").add(
      sendTime(rng, day),
      mailbox(vendor.from, `${vendor.name} Status`),
      [mailbox(MAILBOXES.noc, "NOC")],
      `[${vendor.name}] ` + fill(rng, "[Scheduled maintenance|Planned maintenance|Maintenance notice] - {when}", v),
      [
        fill(
          rng,
          "[{vendor} will perform|We will carry out|Please note that we have scheduled] [scheduled|routine|planned] maintenance [on|of] [the {product}|our {product} platform] on {when} [between {from} and {to}|from {from} to {to}] UTC. " +
            "[No impact is expected.|API requests may see brief elevated latency.|Some requests may need a retry.]",
          v,
        ),
        statusFooter(vendor.name),
      ].join("\n\n"),
    ).messages;
  },
};
