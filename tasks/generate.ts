/**
 * `deno task generate <kind> [flags]`: generate a synthetic dataset into `data/synthetic/<name>/`.
 * Each kind lives in `tasks/generate_<kind>.ts`; `deno task generate <kind> --help` explains its flags.
 * @module
 */
import { dispatch } from "@lib/cli/dispatch.ts";
import { HELP_FLAG, helpText } from "@lib/cli/args.ts";

const KINDS = ["capacity", "anomalies", "incidents", "msp"] as const;

const USAGE = helpText(
  "deno task generate <kind> [flags]",
  `Generates a seeded synthetic dataset into data/synthetic/<name>/ with manifest.json and config.json.
Run "deno task generate <kind> --help" for the flags of a kind.`,
  HELP_FLAG,
  {
    lists: {
      Kinds: [
        ["capacity", "server capacity metrics (CPU, memory, disk, network) on a business calendar"],
        ["anomalies", "anomaly-labeled service metrics (latency, error rate, throughput)"],
        ["incidents", "one incident timeline told by metrics, database logs, CloudFront logs, e-mails and tickets"],
        ["msp", "linked MSP service-desk tables (clients, technicians, tickets, SLA)"],
      ],
    },
    examples: [
      "deno task generate capacity --servers 200 --years 2",
      "deno task generate msp --help",
    ],
  },
);

/**
 * Runs `generate <kind> …`.
 * @param args the command-line arguments
 * @returns the exit code
 */
export function main(args: string[]): Promise<number> {
  return dispatch(args, { usage: USAGE, kinds: KINDS, load: (kind) => import(`./generate_${kind}.ts`) });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
