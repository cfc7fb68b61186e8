import { type Dist, distQuantile, ksCritical, ksDistance, round } from "./_stats.ts";
import type { FidelityProfile } from "./profile.ts";

/** How a named check compares a synthetic profile with a reference profile. */
export type CheckRule =
  /** Two-sample KS distance of the per-entity distributions at most the 5 % critical value. */
  | "ks"
  /** The synthetic median lies inside the reference's interquartile range. */
  | "iqr"
  /** Median inside the reference IQR, and synthetic P5..P95 inside the reference's min..max. */
  | "range"
  /** A pooled share within a factor 3 of the reference's (plus 0.1 percentage points). */
  | "share";

/** What a named check reads from a profile: a per-entity distribution or one pooled number. */
export interface Extracted {
  dist?: Dist;
  value?: number | null;
}

/** A row of the table, as a check. */
export interface NamedCheck {
  /** Row number in the table (1-11). */
  row: number;
  /** Stable id, `fidelity.<name>`. */
  id: string;
  /** The statistic, as the table words it. */
  statistic: string;
  /** The rule against a reference profile. */
  rule: CheckRule;
  /** The figure (or distribution) from a profile, or a reason it does not apply. */
  extract: (p: FidelityProfile) => Extracted | string;
}

/** The metric role a row reads: `cpu` when profiled, else the first metric. */
function primary(p: FidelityProfile): string | undefined {
  return "cpu" in p.metrics ? "cpu" : Object.keys(p.metrics)[0];
}

function entityStat(p: FidelityProfile, role: string | undefined, stat: string): Extracted | string {
  if (role === undefined || !(role in p.metrics)) return `no "${role ?? "metric"}" role`;
  if (stat in p.not_applicable) return p.not_applicable[stat];
  const d = p.metrics[role].entity[stat];
  if (!d || d.n === 0) return `"${stat}" not measured on ${role}`;
  return { dist: d };
}

function medianOver(values: (number | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

/** The 11 rows of issue 14's table, in its order. */
export const NAMED_CHECKS: readonly NamedCheck[] = [
  {
    row: 1,
    id: "fidelity.entity_mean_cpu",
    statistic: "per-server mean CPU %",
    rule: "ks",
    extract: (p) => "cpu" in p.metrics ? entityStat(p, "cpu", "mean") : 'no "cpu" role',
  },
  {
    row: 2,
    id: "fidelity.resid_acf_1h",
    statistic: "residual lag-1 h autocorrelation (hour-of-week means removed)",
    rule: "iqr",
    extract: (p) =>
      p.granularity !== "hourly"
        ? `defined on hourly data, this is ${p.granularity}`
        : entityStat(p, primary(p), "resid_acf_1"),
  },
  {
    row: 3,
    id: "fidelity.acf_168h",
    statistic: "autocorrelation at 168 h",
    rule: "iqr",
    extract: (p) => entityStat(p, primary(p), "acf_168h"),
  },
  {
    row: 4,
    id: "fidelity.weekend_ratio",
    statistic: "weekend / weekday mean",
    rule: "range",
    extract: (p) => entityStat(p, primary(p), "weekend_ratio"),
  },
  {
    row: 5,
    id: "fidelity.at_bounds",
    statistic: "values exactly 0 or 100 (utilisation %)",
    rule: "share",
    extract: (p) => {
      // Utilisation roles only: an error rate of exactly 0 % is a normal minute, not a clipped value.
      const role = ["cpu", "mem", "disk"].find((r) => r in p.metrics && p.metrics[r].bounds[1] === 100);
      if (!role) return "no utilisation role (cpu, mem, disk)";
      const m = p.metrics[role];
      return { value: round((m.pooled.at_lower ?? 0) + (m.pooled.at_upper ?? 0)) };
    },
  },
  {
    row: 6,
    id: "fidelity.daily_p95_ratio",
    statistic: "daily P95 / mean hourly P95",
    rule: "iqr",
    extract: (p) => entityStat(p, primary(p), "daily_p95_ratio"),
  },
  {
    row: 7,
    id: "fidelity.cpu_net_corr",
    statistic: "CPU-network correlation per server",
    rule: "iqr",
    extract: (p) => {
      const d = p.cross["cpu~net"] ?? p.cross["net~cpu"];
      return d && d.n > 0 ? { dist: d } : 'no "cpu" and "net" roles';
    },
  },
  {
    row: 8,
    id: "fidelity.z6_share",
    statistic: "normal points with rolling |z| > 6",
    rule: "share",
    extract: (p) => {
      const v = medianOver(Object.values(p.metrics).map((m) => m.pooled.z6_share));
      return v === null ? "no rolling z-score measured" : { value: round(v) };
    },
  },
  {
    row: 9,
    id: "fidelity.kurtosis_diff",
    statistic: "excess kurtosis of first differences",
    rule: "iqr",
    extract: (p) => entityStat(p, primary(p), "kurt_diff"),
  },
  {
    row: 10,
    id: "fidelity.difficulty",
    statistic: "anomalies caught by a 60-point rolling z-score at <= 0.1 % false alarms",
    rule: "share",
    extract: (p) => p.difficulty?.caught_share == null ? "no labelled anomalies" : { value: p.difficulty.caught_share },
  },
  {
    row: 11,
    id: "fidelity.step_level",
    statistic: "count series: median step / median level",
    rule: "iqr",
    extract: (p) => {
      const count = Object.entries(p.metrics).filter(([, m]) => m.count);
      if (count.length === 0) return "no count series";
      return entityStat(p, count[0][0], "step_level");
    },
  },
];

/** The outcome of one check of a comparison. */
export interface FidelityCheck {
  /** `fidelity.<name>` for the table's rows, `fidelity.detail.<role>.<stat>` for the others. */
  id: string;
  /** Row of the table, or null for a detail check. */
  row: number | null;
  statistic: string;
  /** The synthetic figure: a pooled share, or the median of the per-entity distribution. */
  measured: number | null;
  /** The reference figure in the same terms. */
  reference: number | null;
  /** The pass rule in words, with its numbers. */
  expected: string;
  /** KS distance of the per-entity distributions, when both have one. */
  ks: number | null;
  /** null when not measured (the reason in `note`). */
  passed: boolean | null;
  note: string;
}

/** A synthetic profile checked against one reference. */
export interface FidelityComparison {
  /** The reference's name (`bitbrains_rnd`, `issue-targets`, a path). */
  reference: string;
  /** Where the reference's numbers come from. */
  reference_source: string;
  /** The 11 named checks first (table order), then the detail checks. */
  checks: FidelityCheck[];
  /** Named checks passed, measured (not n/a), and in all. */
  named: { passed: number; measured: number; total: number };
  /** named.passed / named.measured, or null when none was measured. */
  score: number | null;
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  const a = Math.abs(x);
  return a !== 0 && (a < 0.01 || a >= 1e4) ? x.toExponential(2) : String(round(x, 3));
}

function figure(e: Extracted): number | null {
  return e.dist ? e.dist.median : e.value ?? null;
}

function judge(rule: CheckRule, s: Extracted, r: Extracted): { passed: boolean; expected: string; ks: number | null } {
  const ks = s.dist && r.dist ? ksDistance(s.dist, r.dist) : null;
  if (rule === "share") {
    const ref = figure(r) ?? 0, got = figure(s) ?? NaN;
    const lo = ref / 3 - 0.001, hi = ref * 3 + 0.001;
    return { passed: got >= Math.max(0, lo) && got <= hi, expected: `in [${fmt(Math.max(0, lo))}, ${fmt(hi)}]`, ks };
  }
  if (!s.dist || !r.dist) return { passed: false, expected: "a per-entity distribution on both sides", ks };
  if (rule === "ks") {
    const crit = ksCritical(s.dist.n, r.dist.n);
    return {
      passed: ks !== null && ks <= crit,
      expected: `KS <= ${fmt(crit)} (5 % level, n=${s.dist.n}, m=${r.dist.n})`,
      ks,
    };
  }
  const q25 = distQuantile(r.dist, 0.25) ?? NaN, q75 = distQuantile(r.dist, 0.75) ?? NaN;
  const med = s.dist.median ?? NaN;
  const inIqr = med >= q25 && med <= q75;
  if (rule === "iqr") return { passed: inIqr, expected: `median in reference IQR [${fmt(q25)}, ${fmt(q75)}]`, ks };
  const p05 = distQuantile(s.dist, 0.05) ?? NaN, p95 = distQuantile(s.dist, 0.95) ?? NaN;
  const lo = r.dist.min ?? NaN, hi = r.dist.max ?? NaN;
  return {
    passed: inIqr && p05 >= lo && p95 <= hi,
    expected: `median in [${fmt(q25)}, ${fmt(q75)}], P5..P95 in [${fmt(lo)}, ${fmt(hi)}]`,
    ks,
  };
}

/** Summarises the named checks of a list. */
export function namedSummary(checks: readonly FidelityCheck[]): Pick<FidelityComparison, "named" | "score"> {
  const named = checks.filter((c) => c.row !== null);
  const measured = named.filter((c) => c.passed !== null);
  const passed = measured.filter((c) => c.passed).length;
  return {
    named: { passed, measured: measured.length, total: named.length },
    score: measured.length > 0 ? round(passed / measured.length, 4) : null,
  };
}

/**
 * Compares a profile with a reference profile, check by check: the 11 named checks of issue 14's table (by their
 * rule: KS distance at the 5 % level, the median inside the reference's IQR, a range, or a pooled share within a
 * factor 3), then a detail check for every per-entity statistic and cross-metric pair both profiles have (the
 * median inside the reference's IQR, with the KS distance), which do not count toward the score.
 * @param synthetic the profile checked
 * @param reference the reference profile
 * @param options the reference's display name
 * @returns the comparison
 * @example
 * ```ts ignore
 * const c = compareProfiles(await profileDataset("data/synthetic/capacity"), builtinProfile("bitbrains_rnd"));
 * c.score; // share of the measured named checks passed
 * ```
 */
export function compareProfiles(
  synthetic: FidelityProfile,
  reference: FidelityProfile,
  options: { name?: string } = {},
): FidelityComparison {
  const { name = reference.source.name } = options;
  const checks: FidelityCheck[] = [];
  for (const c of NAMED_CHECKS) {
    const s = c.extract(synthetic), r = c.extract(reference);
    if (typeof s === "string" || typeof r === "string") {
      checks.push({
        id: c.id,
        row: c.row,
        statistic: c.statistic,
        measured: typeof s === "string" ? null : figure(s),
        reference: typeof r === "string" ? null : figure(r),
        expected: "",
        ks: null,
        passed: null,
        note: typeof s === "string" ? `not measured: ${s}` : `reference lacks it: ${r}`,
      });
      continue;
    }
    const j = judge(c.rule, s, r);
    checks.push({
      id: c.id,
      row: c.row,
      statistic: c.statistic,
      measured: figure(s),
      reference: figure(r),
      expected: j.expected,
      ks: j.ks,
      passed: j.passed,
      note: "",
    });
  }
  for (const [role, m] of Object.entries(synthetic.metrics)) {
    const rm = reference.metrics[role];
    if (!rm) continue;
    for (const [stat, d] of Object.entries(m.entity)) {
      const rd = rm.entity[stat];
      if (!rd || rd.n === 0 || d.n === 0) continue;
      const j = judge("iqr", { dist: d }, { dist: rd });
      checks.push({
        id: `fidelity.detail.${role}.${stat}`,
        row: null,
        statistic: `${role} ${stat}`,
        measured: d.median,
        reference: rd.median,
        expected: j.expected,
        ks: j.ks,
        passed: j.passed,
        note: "",
      });
    }
  }
  for (const [pair, d] of Object.entries(synthetic.cross)) {
    const rd = reference.cross[pair];
    if (!rd || rd.n === 0 || d.n === 0) continue;
    const j = judge("iqr", { dist: d }, { dist: rd });
    checks.push({
      id: `fidelity.detail.corr.${pair}`,
      row: null,
      statistic: `correlation ${pair}`,
      measured: d.median,
      reference: rd.median,
      expected: j.expected,
      ks: j.ks,
      passed: j.passed,
      note: "",
    });
  }
  const src = reference.source;
  return {
    reference: name,
    reference_source: [
      `${src.name}, ${reference.granularity}`,
      src.repository && `${src.repository}@${src.commit ?? "?"}`,
      src.citation,
    ].filter(Boolean).join("; "),
    checks,
    ...namedSummary(checks),
  };
}
