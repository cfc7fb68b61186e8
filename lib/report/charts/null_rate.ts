import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import type { ColumnSummary } from "../types.ts";
import { BAD, type ChartOptions, draw, GOOD } from "./_common.ts";

/** Bar colours: red only for nulls the schema does not allow; allowed nulls are neutral, unchecked ones amber. */
const NULL_COLORS: Record<string, string> = { none: GOOD, allowed: "#6b8fc7", unexpected: BAD, unchecked: "#d08c1f" };

/**
 * Null rate of every column as horizontal bars, with the rate written beside each bar (so 0 % is visible too).
 * @param columns the column summaries (of one or several tables)
 * @param options width and document
 * @returns the chart
 */
export function nullRateChart(columns: ColumnSummary[], options: ChartOptions): ReportElement {
  const multi = new Set(columns.map((c) => c.table)).size > 1;
  const data = columns.map((c) => ({
    label: multi ? `${c.table}.${c.name}` : c.name,
    rate: c.nullRate * 100,
    status: c.nullRate === 0
      ? "none"
      : c.nullsAllowed === true
      ? "allowed"
      : c.nullsAllowed === false
      ? "unexpected"
      : "unchecked",
  }));
  const max = Math.max(1, ...data.map((d) => d.rate));
  const longest = Math.max(...data.map((d) => d.label.length), 4);
  return draw("Null rate by column, in percent", {
    height: 24 + 18 * data.length + 40,
    marginLeft: Math.min(260, 12 + longest * 6.4),
    marginRight: 60,
    x: { label: "Null rate (%) →", domain: [0, max], grid: true },
    y: { label: null, domain: data.map((d) => d.label) },
    marks: [
      Plot.barX(data, { x: "rate", y: "label", fill: (d) => NULL_COLORS[d.status] }),
      Plot.text(data, {
        x: "rate",
        y: "label",
        text: (d) => `${formatNumber(d.rate, 3)} %`,
        dx: 4,
        textAnchor: "start",
        fill: "currentColor",
      }),
      Plot.ruleX([0]),
    ],
  }, options);
}
