/**
 * `deno task generate <kind> [flags]`: generate a synthetic dataset into `data/synthetic/<name>/`.
 * Each kind lives in `tasks/generate_<kind>.ts`; `deno task generate <kind> --help` explains its flags.
 * @module
 */
import { dispatch } from "@lib/cli/dispatch.ts";
import { listKinds } from "@lib/kinds/mod.ts";

/** The generated kinds, from the kind registry: each descriptor names its task module. */
const KINDS = listKinds("generated");

const USAGE = `Usage: deno task generate <kind> [flags]

Generates a seeded synthetic dataset into data/synthetic/<name>/ with a manifest.json.

Kinds:
  capacity    server capacity metrics (CPU, memory, disk, network) on a business calendar
  anomalies   anomaly-labeled service metrics (latency, error rate, throughput)
  incidents   one incident timeline told by metrics, database logs, CloudFront logs, e-mails and tickets
  msp         linked MSP service-desk tables (clients, technicians, tickets, SLA)

Run "deno task generate <kind> --help" for the flags of a kind.`;

if (import.meta.main) {
  Deno.exit(
    await dispatch(Deno.args, {
      usage: USAGE,
      kinds: KINDS.map((d) => d.kind),
      load: (kind) => import(`../${KINDS.find((d) => d.kind === kind)!.task}`),
    }),
  );
}
