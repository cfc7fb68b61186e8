/**
 * The optional fidelity family (`deno task validate --fidelity`): the dataset's fidelity profile compared with
 * its kind's default real references, each named check of issue 14's table one result per reference.
 * @module
 */
import {
  checkFidelity,
  defaultReferences,
  type FidelityReport,
  loadReference,
  profileDataset,
  type Reference,
} from "@lib/fidelity/mod.ts";
import { check, notMeasured } from "./result.ts";
import type { CheckResult, Severity } from "./types.ts";

/**
 * Turns a fidelity report into validation results: one per named check and reference, id
 * `fidelity.<check>:<reference>`, not-measured rows as info.
 * @param report the report
 * @param severity the severity of a failed check @default "warning" (realism, not validity: fails with --strict)
 * @returns the results
 */
export function fidelityResults(report: FidelityReport, severity: Severity = "warning"): CheckResult[] {
  const out: CheckResult[] = [];
  for (const c of report.comparisons) {
    for (const k of c.checks) {
      if (k.row === null) continue;
      const id = `${k.id}:${c.reference}`;
      if (k.passed === null) {
        out.push({ ...notMeasured(id, k.note.replace(/^not measured: /, "")), family: "fidelity" });
        continue;
      }
      out.push(check({
        id,
        family: "fidelity",
        severity,
        passed: k.passed,
        measured: k.measured,
        threshold: k.expected,
        message: `Row ${k.row} (${k.statistic}) against ${c.reference}${
          k.reference !== null ? ` (reference ${k.reference})` : ""
        }${k.ks !== null ? `, KS ${k.ks}` : ""}: ${k.passed ? "matches" : "differs"}`,
      }));
    }
  }
  return out;
}

/**
 * Profiles a dataset folder and compares it with references (the kind's defaults unless given).
 * @param dir the dataset folder (with a manifest)
 * @param kind the dataset kind
 * @param references reference names or paths @default the kind's defaults
 * @returns the report
 */
export async function datasetFidelity(
  dir: string,
  options: { kind: string; references?: readonly string[] },
): Promise<FidelityReport> {
  const { kind, references = defaultReferences(kind) } = options;
  const profile = await profileDataset(dir);
  const refs: Reference[] = [];
  for (const r of references) refs.push(await loadReference(r, { granularity: profile.granularity }));
  return checkFidelity(profile, refs);
}
