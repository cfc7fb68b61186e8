import * as Plot from "@observablehq/plot";
import type { ReportElement } from "../document.ts";
import { formatNumber } from "../_format.ts";
import type { FollowPanel, ViewChart } from "../types.ts";
import { BAD, categoryStyles, type ChartOptions, draw, FONT, nameChart, utcX } from "./_common.ts";

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
    case "around":
      return aroundPanels(chart, options);
    case "follow":
      return followPanels(chart, options);
    case "multiples":
      return smallMultiples(chart, options);
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

/** A wrapper holding a legend and named panels, itself named. */
function panelsOf(
  name: string,
  input: { legend: ReportElement | null; panels: ReportElement[] },
  options: ChartOptions,
) {
  const { document } = options;
  const wrap = document.createElement("div");
  if (input.legend !== null) wrap.appendChild(input.legend);
  for (const p of input.panels) wrap.appendChild(p);
  return nameChart(wrap, { name, document });
}

/** Width of one around-incident panel: two per row on a laptop, one on a phone. */
export const AROUND_WIDTH = 440;

function aroundPanels(chart: Extract<ViewChart, { type: "around" }>, options: ChartOptions): ReportElement {
  const { width = AROUND_WIDTH, document } = options;
  const tables = [...new Set(chart.rows.table)].sort();
  const styles = categoryStyles(tables);
  const color = { ...styles.color, legend: false };
  const panels = chart.incidents.map((inc, k) => {
    const rows = chart.rows.t.map((t, i) => ({ i, t: new Date(t), table: chart.rows.table[i], n: chart.rows.n[i] }))
      .filter((r) => chart.rows.incident[r.i] === k);
    return draw(
      `${inc.id}: rows per modality from ${new Date(inc.lo).toISOString()} to ${new Date(inc.hi).toISOString()}`,
      {
        height: 150,
        marginLeft: 56,
        marginTop: 22,
        x: utcX(width, { label: null, domain: [new Date(inc.lo), new Date(inc.hi)] }),
        y: { type: "log", label: null, grid: true },
        color,
        symbol: { ...styles.symbol, legend: false },
        marks: [
          Plot.rectX([inc], { x1: (d) => new Date(d.start), x2: (d) => new Date(d.end), fill: BAD, fillOpacity: 0.12 }),
          Plot.lineY(rows, { x: "t", y: "n", z: "table", stroke: "table", strokeWidth: 1.3 }),
          Plot.dot(rows, { x: "t", y: "n", fill: "table", symbol: "table", r: 2 }),
          Plot.text([`${inc.id}: rows per ${formatNumber(inc.bucket / 60_000)} min (log scale)`], {
            frameAnchor: "top-left",
            dy: -16,
            fontWeight: "bold",
            text: (d) => d,
          }),
        ],
      },
      options,
    );
  });
  const legend = Plot.legend({
    color: styles.color,
    symbol: styles.symbol,
    document,
    style: { fontFamily: FONT },
  } as never) as unknown as ReportElement;
  // Each incident has its own time range: the panels sit in a grid that reflows (drawn once at one width).
  const grid = document.createElement("div");
  grid.setAttribute("class", "multiples");
  grid.setAttribute(
    "style",
    `display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${width}px),1fr));gap:.25rem 1rem`,
  );
  for (const p of panels) grid.appendChild(p);
  return panelsOf(chart.title, { legend, panels: [grid] }, options);
}

function followPanels(chart: Extract<ViewChart, { type: "follow" }>, options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  const inc = chart.incident;
  const x = utcX(width, { label: null, domain: [new Date(inc.lo), new Date(inc.hi)] });
  const marks = inc.marks.map((m) => ({ t: new Date(m.t), what: m.what }));
  const whats = [...new Set(marks.map((m) => m.what))];
  const context = [
    Plot.rectX([inc], { x1: (d) => new Date(d.start), x2: (d) => new Date(d.end), fill: BAD, fillOpacity: 0.12 }),
    Plot.ruleX(marks, { x: "t", stroke: "what", strokeDasharray: "4,3", strokeOpacity: 0.8 }),
  ];
  const markColor = { type: "ordinal" as const, domain: whats, range: ["#efb118", "#4269d0", "#3ca951"] };
  const panels = chart.panels.map((p: FollowPanel, k) => {
    const last = k === chart.panels.length - 1;
    const base = {
      marginLeft: 56,
      marginTop: 22,
      marginBottom: last ? 34 : 20,
      x: last ? { ...x, label: "time (UTC) →" } : x,
      color: markColor,
    };
    const title = Plot.text([p.title], { frameAnchor: "top-left", dy: -16, fontWeight: "bold", text: (d) => d });
    if (p.kind === "series") {
      const rows = p.t.map((t, i) => ({ t: new Date(t), v: p.v[i], mine: p.mine[i] }));
      return draw(`${p.title}, the incident's points marked`, {
        ...base,
        height: 150,
        y: { label: null, grid: true },
        marks: [
          ...context,
          Plot.lineY(rows, { x: "t", y: "v", stroke: "currentColor", strokeOpacity: 0.7, strokeWidth: 1.2 }),
          Plot.dot(rows.filter((r) => r.mine), { x: "t", y: "v", fill: BAD, symbol: "triangle", r: 2.6 }),
          title,
        ],
      }, options);
    }
    if (p.kind === "counts") {
      const rows = p.t.map((t, i) => ({ t: new Date(t), t2: new Date(t + p.bucket), key: p.key[i], v: p.v[i] }));
      return draw(`${p.title}, the incident's rows apart`, {
        ...base,
        height: 130,
        y: { label: null, grid: true },
        marks: [
          ...context,
          Plot.rectY(rows, {
            x1: "t",
            x2: "t2",
            y: "v",
            fill: (d) => d.key === "this incident" ? BAD : "#9aa4b1",
            insetLeft: 0.5,
          }),
          Plot.ruleY([0]),
          title,
        ],
      }, options);
    }
    const rows = p.t.map((t, i) => ({ t: new Date(t), label: p.label[i], mine: p.mine[i], lane: i % 6 }));
    return draw(`${p.title}: each row at its time, labelled`, {
      ...base,
      height: 150,
      y: { axis: null, domain: [-0.5, 5.5] },
      marks: [
        ...context,
        Plot.dot(rows, { x: "t", y: "lane", fill: (d) => d.mine ? BAD : "#9aa4b1", symbol: "diamond", r: 4 }),
        Plot.text(rows, {
          x: "t",
          y: "lane",
          text: (d) => d.label.length > 32 ? `${d.label.slice(0, 31)}…` : d.label,
          dx: 6,
          textAnchor: "start",
          fontSize: 9,
        }),
        title,
      ],
    }, options);
  });
  const legend = whats.length === 0 ? null : Plot.legend({
    color: markColor,
    document: options.document,
    style: { fontFamily: FONT },
  } as never) as unknown as ReportElement;
  return panelsOf(`${chart.title}: ${inc.id}, ${inc.label}`, { legend, panels }, options);
}

/** Panels drawn this wide; the grid fits as many per row as the page allows. */
export const MULTIPLE_WIDTH = 300;

function smallMultiples(chart: Extract<ViewChart, { type: "multiples" }>, options: ChartOptions): ReportElement {
  const { document } = options;
  const grid = document.createElement("div");
  grid.setAttribute("class", "multiples");
  grid.setAttribute(
    "style",
    `display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,${MULTIPLE_WIDTH}px),1fr));gap:.25rem .75rem`,
  );
  for (const s of chart.series) {
    const rows = s.t.map((t, i) => ({ t: new Date(t), min: s.min[i], max: s.max[i], mean: s.mean[i] }));
    const name = s.id.length > 44 ? `…${s.id.slice(-43)}` : s.id;
    grid.appendChild(draw(`${s.id}: ${chart.value} with ${s.windows.length} label windows`, {
      height: 120,
      marginLeft: 44,
      marginTop: 20,
      marginBottom: 22,
      marginRight: 8,
      x: utcX(MULTIPLE_WIDTH, { label: null, ticks: 3 }),
      y: { label: null, ticks: 3, grid: true },
      marks: [
        Plot.rectX(s.windows, {
          x1: (d) => new Date(d.start),
          x2: (d) => new Date(d.end),
          fill: BAD,
          fillOpacity: 0.18,
        }),
        Plot.areaY(rows, { x: "t", y1: "min", y2: "max", fill: "#4269d0", fillOpacity: 0.25 }),
        Plot.lineY(rows, { x: "t", y: "mean", stroke: "#4269d0", strokeWidth: 1 }),
        Plot.text([name], { frameAnchor: "top-left", dy: -14, fontWeight: "bold", text: (d) => d }),
      ],
    }, { ...options, width: MULTIPLE_WIDTH }));
  }
  return nameChart(grid, {
    name: `${chart.title}: ${chart.series.length} of ${chart.total} series`,
    document,
  });
}
