import { join } from "node:path";
import { compareProfiles, type FidelityComparison } from "./compare.ts";
import { type FidelityProfile, profileDataset, type ProfileDatasetOptions } from "./profile.ts";
import { compareTargets, ISSUE_TARGETS_NAME } from "./targets.ts";

/** Built-in references: profiles committed under `lib/fidelity/references/`, and the issue's figures. */
export const BUILTIN_REFERENCES = ["bitbrains_rnd", ISSUE_TARGETS_NAME] as const;

/** References checked when none is given, by dataset kind; other kinds get the issue's figures only. */
export const DEFAULT_REFERENCES: Readonly<Record<string, readonly string[]>> = {
  capacity: ["bitbrains_rnd", ISSUE_TARGETS_NAME],
  anomalies: ["bitbrains_rnd", ISSUE_TARGETS_NAME],
};

/**
 * The default references of a kind.
 * @param kind the dataset kind
 * @returns reference names
 */
export function defaultReferences(kind: string): readonly string[] {
  return DEFAULT_REFERENCES[kind] ?? [ISSUE_TARGETS_NAME];
}

/** A reference ready to compare against: a profile, or the issue's figures. */
export type Reference = { name: string; profile: FidelityProfile } | { name: typeof ISSUE_TARGETS_NAME; profile: null };

/**
 * Checks that parsed JSON is a fidelity profile.
 * @param value parsed JSON
 * @param what where it came from, for the message
 * @returns the profile
 * @throws {RangeError} when it is not one
 */
export function asProfile(value: unknown, what: string): FidelityProfile {
  const p = value as Partial<FidelityProfile> | null;
  if (!p || p.format !== "opslab-fidelity-profile" || p.version !== 1 || typeof p.metrics !== "object") {
    throw new RangeError(`Cannot read fidelity profile "${what}": format must be "opslab-fidelity-profile" version 1`);
  }
  return p as FidelityProfile;
}

/** Options of {@linkcode builtinProfile}. */
export interface BuiltinProfileOptions {
  /**
   * The granularity of the data to compare (`hourly`, `daily`): a built-in reference computed at that grain
   * (`references/<name>_<granularity>.json`, e.g. daily P95 of the same 5-minute samples) is used when there is one,
   * so daily data is not held to hourly statistics. @default the reference's own grain
   */
  granularity?: string;
}

/**
 * Reads a built-in reference profile, at the data's granularity when the reference has that variant.
 * @param name e.g. `bitbrains_rnd`
 * @param options the data's granularity
 * @returns the profile
 * @throws {RangeError} for an unknown name
 */
export async function builtinProfile(name: string, options: BuiltinProfileOptions = {}): Promise<FidelityProfile> {
  if (!(BUILTIN_REFERENCES as readonly string[]).includes(name) || name === ISSUE_TARGETS_NAME) {
    throw new RangeError(`Cannot load reference "${name}": built-in profiles are ${BUILTIN_REFERENCES[0]}`);
  }
  const read = async (file: string) => {
    try {
      return asProfile(
        JSON.parse(await Deno.readTextFile(new URL(`./references/${file}.json`, import.meta.url))),
        name,
      );
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
  };
  const base = await read(name);
  if (base === undefined) throw new RangeError(`Cannot load reference "${name}": its profile file is missing`);
  const { granularity } = options;
  if (granularity === undefined || granularity === base.granularity) return base;
  return await read(`${name}_${granularity}`) ?? base;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Resolves a reference given by name or path: a built-in name (`bitbrains_rnd`, `issue-targets`), a profile
 * JSON file (or a `fidelity.json`, whose profile is used), or a dataset folder profiled here.
 * @param spec the name or path
 * @param options roles for a dataset folder; the data's granularity for a built-in reference
 * @returns the reference
 * @throws {RangeError} when it is none of these
 */
export async function loadReference(
  spec: string,
  options: ProfileDatasetOptions & BuiltinProfileOptions = {},
): Promise<Reference> {
  if (spec === ISSUE_TARGETS_NAME) return { name: spec, profile: null };
  if ((BUILTIN_REFERENCES as readonly string[]).includes(spec)) {
    const { granularity } = options;
    return { name: spec, profile: await builtinProfile(spec, granularity === undefined ? {} : { granularity }) };
  }
  if (spec.endsWith(".json")) {
    let text: string;
    try {
      text = await Deno.readTextFile(spec);
    } catch (e) {
      throw new RangeError(`Cannot read reference "${spec}": ${(e as Error).message}`);
    }
    const parsed = JSON.parse(text);
    return { name: spec, profile: asProfile(parsed?.profile ?? parsed, spec) };
  }
  if (await isDir(spec) && await Deno.stat(join(spec, "manifest.json")).then(() => true, () => false)) {
    return { name: spec, profile: await profileDataset(spec, options) };
  }
  throw new RangeError(
    `Cannot load reference "${spec}": expected ${BUILTIN_REFERENCES.join(" or ")}, a profile .json or a dataset folder`,
  );
}

/** What `fidelity.json` holds: the profile and one comparison per reference. */
export interface FidelityReport {
  format: "opslab-fidelity";
  version: 1;
  /** The dataset profiled. */
  dataset: string;
  profile: FidelityProfile;
  comparisons: FidelityComparison[];
  /** The reference profiles compared with, by reference name (the issue's figures have none). */
  reference_profiles: Record<string, FidelityProfile>;
  /** Named checks passed / measured over every comparison, or null when none was measured. */
  score: number | null;
  /**
   * The content fingerprint of the dataset profiled (`contentFingerprint` of its manifest), so a report shows it
   * only beside that content.
   */
  content?: string;
}

/**
 * Compares a profile with each reference and sums up.
 * @param profile the profile
 * @param references the references
 * @param options the dataset's name for the report (default the profile's source name)
 * @returns the report
 */
export function checkFidelity(
  profile: FidelityProfile,
  references: readonly Reference[],
  options: { dataset?: string } = {},
): FidelityReport {
  const { dataset = profile.source.name } = options;
  const comparisons = references.map((r) =>
    r.profile === null ? compareTargets(profile) : compareProfiles(profile, r.profile, { name: r.name })
  );
  const passed = comparisons.reduce((a, c) => a + c.named.passed, 0);
  const measured = comparisons.reduce((a, c) => a + c.named.measured, 0);
  return {
    format: "opslab-fidelity",
    version: 1,
    dataset,
    profile,
    comparisons,
    reference_profiles: Object.fromEntries(
      references.flatMap((r) => r.profile === null ? [] : [[r.name, r.profile] as const]),
    ),
    score: measured > 0 ? Math.round((passed / measured) * 10000) / 10000 : null,
  };
}

/**
 * The comparisons as a plain-text table, named checks first (one row per check and reference).
 * @param report the report
 * @param options include the detail checks @default false
 * @returns the table
 */
export function fidelityTable(report: FidelityReport, options: { details?: boolean } = {}): string {
  const lines: string[] = [];
  const f = (x: number | null) =>
    x === null ? "n/a" : Math.abs(x) < 0.01 && x !== 0 ? x.toExponential(2) : String(Math.round(x * 1000) / 1000);
  for (const c of report.comparisons) {
    lines.push(`reference ${c.reference} (${c.reference_source})`);
    lines.push(
      `  ${"#".padEnd(3)}${"check".padEnd(28)}${"status".padEnd(7)}${"measured".padStart(10)}${
        "ref".padStart(10)
      }  rule`,
    );
    for (const k of c.checks) {
      if (k.row === null && !options.details) continue;
      const status = k.passed === null ? "n/a" : k.passed ? "pass" : "FAIL";
      lines.push(
        `  ${String(k.row ?? "").padEnd(3)}${k.id.replace(/^fidelity\./, "").padEnd(28)}${status.padEnd(7)}${
          f(k.measured).padStart(10)
        }${f(k.reference).padStart(10)}  ${k.expected || k.note}${k.ks !== null ? ` (KS ${k.ks})` : ""}`,
      );
    }
    lines.push(`  score ${c.named.passed}/${c.named.measured} measured (${c.named.total} rows)`);
  }
  lines.push(`fidelity score ${report.score === null ? "n/a" : report.score}`);
  return lines.join("\n");
}
