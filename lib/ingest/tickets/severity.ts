import pl from "nodejs-polars";

/** A ticket severity, P1 the most severe. */
export type Severity = "P1" | "P2" | "P3" | "P4";

/** Severity by urgency code, then impact code: `matrix["0"]["2"]` is urgency 0 with impact 2. */
export type SeverityMatrix = Record<string, Record<string, Severity>>;

/**
 * The default matrix for the helpdesk export's integer codes, where 0 is the most urgent / highest impact
 * (urgency 0-3, impact 0-4), read like an ITIL priority matrix: both high gives P1, both low P4.
 */
export const DEFAULT_SEVERITY_MATRIX: SeverityMatrix = {
  "0": { "0": "P1", "1": "P1", "2": "P2", "3": "P2", "4": "P3" },
  "1": { "0": "P1", "1": "P2", "2": "P2", "3": "P3", "4": "P3" },
  "2": { "0": "P2", "1": "P2", "2": "P3", "3": "P3", "4": "P4" },
  "3": { "0": "P2", "1": "P3", "2": "P3", "3": "P4", "4": "P4" },
};

/**
 * The matrix as a lookup frame, for a join.
 * @param matrix the matrix
 * @returns columns `urgency`, `impact` (Int32), `severity`
 * @throws {RangeError} for a code that is not an integer or a severity not P1-P4
 */
export function severityFrame(matrix: SeverityMatrix): pl.DataFrame {
  const u: number[] = [];
  const i: number[] = [];
  const s: string[] = [];
  for (const [uk, row] of Object.entries(matrix)) {
    for (const [ik, sev] of Object.entries(row)) {
      if (!/^-?\d+$/.test(uk) || !/^-?\d+$/.test(ik)) {
        throw new RangeError(`Cannot use severity matrix: codes must be integers, got urgency "${uk}" impact "${ik}"`);
      }
      if (!/^P[1-4]$/.test(sev)) {
        throw new RangeError(`Cannot use severity matrix: severity must be P1-P4, got "${sev}" at [${uk}][${ik}]`);
      }
      u.push(Number(uk));
      i.push(Number(ik));
      s.push(sev);
    }
  }
  return pl.DataFrame([
    pl.Series("urgency", u, pl.Int32),
    pl.Series("impact", i, pl.Int32),
    pl.Series("severity", s, pl.Utf8),
  ]);
}
