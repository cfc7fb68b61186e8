import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import type { ViewChart } from "../types.ts";
import { categoryStyles, type ChartOptions, draw, utcX } from "./_common.ts";

/**
 * One chart of a kind's domain view: counts or means over time (stacked by a category, incident windows shaded),
 * bars of counts by value, rates by group, or intervals on a timeline with symbols at their milestones.
 * @param chart the aggregated chart
 * @param options width and document
 * @returns the chart
 */
export function viewChart(chart: ViewChart, options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  switch (chart.type) {
    case "time": {
      const keys = [...new Set(chart.key)].sort();
      const styles = categoryStyles(keys.slice(0, 40));
      const rows = chart.t.map((t, i) => ({
        t: new Date(t),
        t2: new Date(t + chart.bucket),
        key: chart.key[i],
        v: chart.v[i],
      }));
      const windows = chart.windows.map((w) => ({
        x1: new Date(w.start),
        x2: new Date(Math.max(w.end, w.start + chart.bucket)),
      }));
      const lines = chart.log === true || chart.value !== null;
      return draw(chart.title, {
        height: 240,
        marginLeft: 56,
        x: utcX(width, { label: "time (UTC) →" }),
        y: {
          label: `↑ ${chart.value === null ? "rows" : `mean ${chart.value}`} per ${
            formatNumber(chart.bucket / 60_000)
          } min`,
          grid: true,
          ...(chart.log ? { type: "log" as const } : {}),
        },
        color: keys.length > 1 ? { ...styles.color, legend: true } : undefined,
        marks: [
          Plot.rectX(windows, { x1: "x1", x2: "x2", fill: "#d6404e", fillOpacity: 0.12 }),
          lines
            ? Plot.lineY(rows, { x: "t", y: "v", stroke: keys.length > 1 ? "key" : "#4269d0", strokeWidth: 1.4 })
            : Plot.rectY(rows, {
              x1: "t",
              x2: "t2",
              y: "v",
              fill: keys.length > 1 ? "key" : "#4269d0",
              insetLeft: 0.5,
            }),
          ...(lines ? [] : [Plot.ruleY([0])]),
        ],
      }, options);
    }
    case "bars": {
      const data = chart.keys.map((k, i) => ({ k, v: chart.v[i] }));
      const longest = Math.max(4, ...data.map((d) => d.k.length));
      return draw(chart.title, {
        height: 30 + 20 * data.length + 30,
        marginLeft: Math.min(width * 0.4, 12 + longest * 6.4),
        marginRight: 56,
        x: { label: "rows →", grid: true },
        y: { label: null, domain: data.map((d) => d.k) },
        marks: [
          Plot.barX(data, { x: "v", y: "k", fill: "#4269d0" }),
          Plot.text(data, { x: "v", y: "k", text: (d) => formatNumber(d.v), dx: 4, textAnchor: "start" }),
          Plot.ruleX([0]),
        ],
      }, options);
    }
    case "rate": {
      const data = chart.keys.map((k, i) => ({ k, v: chart.v[i] * 100 }));
      const longest = Math.max(4, ...data.map((d) => d.k.length));
      return draw(chart.title, {
        height: 30 + 18 * data.length + 30,
        marginLeft: Math.min(width * 0.4, 12 + longest * 6.4),
        marginRight: 56,
        x: { label: `${chart.label} (%) →`, domain: [0, 100], grid: true },
        y: { label: null, domain: data.map((d) => d.k) },
        marks: [
          Plot.barX(data, { x: "v", y: "k", fill: "#3ca951" }),
          Plot.text(data, { x: "v", y: "k", text: (d) => `${formatNumber(d.v, 1)} %`, dx: 4, textAnchor: "start" }),
          Plot.ruleX([0]),
        ],
      }, options);
    }
    case "intervals": {
      const rows = chart.start.map((s, i) => ({
        label: chart.label[i],
        by: chart.by[i],
        x1: new Date(s),
        x2: new Date(chart.end[i]),
      }));
      const labels = [...new Set(chart.label)];
      const styles = categoryStyles([...new Set(chart.by)].sort());
      const whats = [...new Set(chart.marks.map((m) => m.what))];
      const marks = chart.marks.map((m) => ({ label: chart.label[m.row], t: new Date(m.t), what: m.what }));
      const longest = Math.max(4, ...labels.map((l) => l.length));
      return draw(chart.title, {
        height: 50 + 16 * labels.length + 30,
        marginLeft: Math.min(width * 0.35, 12 + longest * 6.2),
        x: utcX(width, { label: "time (UTC) →", grid: true }),
        y: { label: null, domain: labels, tickSize: 0 },
        color: { ...styles.color, legend: true },
        symbol: whats.length > 0
          ? { type: "ordinal", domain: whats, range: ["triangle", "diamond", "square", "star"], legend: true }
          : undefined,
        marks: [
          Plot.barX(rows, {
            x1: "x1",
            x2: "x2",
            y: "label",
            fill: "by",
            fillOpacity: 0.7,
            insetTop: 2,
            insetBottom: 2,
          }),
          Plot.dot(marks, { x: "t", y: "label", symbol: "what", stroke: "currentColor", fill: "currentColor", r: 3 }),
        ],
      }, options);
    }
  }
}
