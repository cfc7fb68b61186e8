/**
 * Named charts of the reports, each `(data, {width, document})` to an element drawn by Observable Plot. They take
 * data already aggregated by {@linkcode summarizeDataset} (never raw rows), so a chart's size does not grow with
 * the dataset. Every chart carries an accessible name (`aria-label` and a `<title>`), axis labels with units and,
 * where colour encodes something, a legend.
 *
 * @example
 * ```ts
 * import { charts, createDocument, figure } from "@lib/report/mod.ts";
 * const column = { table: "t", name: "cpu", dtype: "Float64", nulls: 3, nullRate: 0.03, min: 0, max: 99, mean: 41,
 *   distinct: null, unit: "%" };
 * const chart = charts.nullRateChart([column], { width: 480, document: createDocument() });
 * figure(chart, "Null rate").value.includes('aria-label="Null rate by column, in percent"'); // true
 * ```
 * @module
 */
import * as Plot from "@observablehq/plot";
import type { ReportDocument, ReportElement } from "./document.ts";
import { commonSuffix, formatNumber } from "./_format.ts";
import { withUnit } from "./kinds.ts";
import type {
  AnomalySummary,
  ColumnSummary,
  CorrelationSummary,
  ScatterSample,
  SeasonalEffect,
  SeasonalitySummary,
  SeriesSample,
} from "./types.ts";

/** Options every chart takes. */
export interface ChartOptions {
  /** Width in pixels. @default 720 */
  width?: number;
  /** The document to draw in (linkedom on the server, `globalThis.document` in a browser). */
  document: ReportDocument;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
/** Colours that read on light and dark backgrounds. */
const GOOD = "#2e9e5b";
const BAD = "#d6404e";
const BAND = "#9aa4b1";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const EFFECT_LABELS: Record<string, string> = {
  weekend: "weekend / weekday",
  eoq: "quarter end / plain day",
  eoq_peak: "quarter-end peak / plain day",
  holiday: "holiday / plain day",
  business_hours: "business-hours peak / off-hours",
};

/**
 * Gives a chart its accessible name. The SVG Plot drew with `ariaLabel: name` gets `role="img"` and a `<title>`;
 * a wrapper (a figure with legends, or a grid of panels that are named charts themselves) becomes a named group;
 * SVGs without a name (legend swatches and ramps, which repeat the legend text) are hidden from screen readers.
 * @param el the chart: an SVG, a figure holding legends and an SVG, or a wrapper of named panels
 * @param name the name
 * @param document the document it was drawn in
 * @returns the same element
 */
export function nameChart(el: ReportElement, name: string, document: ReportDocument): ReportElement {
  const svgs = el.tagName.toLowerCase() === "svg" ? [el] : [...el.querySelectorAll("svg")];
  if (el.tagName.toLowerCase() === "svg") el.setAttribute("aria-label", name);
  const main = svgs.find((s) => s.getAttribute("aria-label") === name);
  if (main !== undefined && main.getAttribute("role") !== "img") {
    main.setAttribute("role", "img");
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.appendChild(document.createTextNode(name));
    main.insertBefore(title, main.firstChild);
  }
  if (main !== el) {
    el.setAttribute("role", "group");
    el.setAttribute("aria-label", name);
  }
  for (const s of svgs) if (s.getAttribute("aria-label") === null) s.setAttribute("aria-hidden", "true");
  return el;
}

function draw(name: string, options: Plot.PlotOptions, chart: ChartOptions): ReportElement {
  const { width = 720, document } = chart;
  const el = Plot.plot({
    width,
    style: { fontFamily: FONT, fontSize: "11px", overflow: "visible" },
    ...options,
    document: document as never,
    ariaLabel: name,
  }) as unknown as ReportElement;
  return nameChart(el, name, document);
}

function groupColor(groups: string[]): Plot.ScaleOptions {
  return { type: "ordinal", domain: [...new Set(groups)].sort(), scheme: "observable10", legend: true };
}

/**
 * Null rate of every column as horizontal bars, with the rate written beside each bar (so 0 % is visible too).
 * @param columns the column summaries (of one or several tables)
 * @param options width and document
 * @returns the chart
 */
export function nullRateChart(columns: ColumnSummary[], options: ChartOptions): ReportElement {
  const multi = new Set(columns.map((c) => c.table)).size > 1;
  const data = columns.map((c) => ({ label: multi ? `${c.table}.${c.name}` : c.name, rate: c.nullRate * 100 }));
  const max = Math.max(1, ...data.map((d) => d.rate));
  const longest = Math.max(...data.map((d) => d.label.length), 4);
  return draw("Null rate by column, in percent", {
    height: 24 + 18 * data.length + 40,
    marginLeft: Math.min(260, 12 + longest * 6.4),
    marginRight: 60,
    x: { label: "Null rate (%) →", domain: [0, max], grid: true },
    y: { label: null, domain: data.map((d) => d.label) },
    marks: [
      Plot.barX(data, { x: "rate", y: "label", fill: (d) => d.rate > 0 ? BAD : GOOD }),
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

/**
 * Per group, the measured correlation of each metric pair as a heatmap cell (colour and bold number) with the
 * configured target under it; cells off target by more than the tolerance are outlined.
 * @param summary the correlation section data
 * @param options width and document
 * @returns the chart
 */
export function correlationHeatmap(summary: CorrelationSummary, options: ChartOptions): ReportElement {
  const { metrics, tolerance } = summary;
  const suffix = commonSuffix(metrics);
  const short = (m: string) => suffix ? m.slice(0, -suffix.length) : m;
  const cells = summary.cells.map((c) => ({
    ...c,
    xs: short(c.x),
    ys: short(c.y),
    off: c.passed === false,
  }));
  const groups = [...new Set(cells.map((c) => c.group))];
  const cols = metrics.slice(0, -1).map(short);
  const rows = metrics.slice(1).map(short);
  return draw(
    `Measured noise correlations per group beside their targets; outlined cells differ from the target by more than ${tolerance}`,
    {
      height: 70 + 58 * rows.length,
      marginLeft: 70,
      marginBottom: 40,
      x: { label: `metric${suffix ? ` (${suffix.slice(1)})` : ""}`, domain: cols },
      y: { label: null, domain: rows },
      fx: { label: null, domain: groups },
      // Quantized, so the legend is drawn as SVG rects (a continuous ramp needs a canvas and an image).
      color: {
        type: "quantize",
        n: 10,
        scheme: "RdBu",
        domain: [-1, 1],
        legend: true,
        label: "Pearson r (measured)",
      },
      marks: [
        Plot.frame({ strokeOpacity: 0.15 }),
        Plot.cell(cells, { x: "xs", y: "ys", fx: "group", fill: "measured", inset: 1 }),
        Plot.text(cells, {
          x: "xs",
          y: "ys",
          fx: "group",
          text: (d) => d.measured.toFixed(2),
          dy: hasTargets(cells) ? -7 : 0,
          fontWeight: "bold",
          fontSize: 12,
          fill: (d) => Math.abs(d.measured) > 0.55 ? "white" : "black",
        }),
        Plot.text(cells.filter((c) => c.target !== null), {
          x: "xs",
          y: "ys",
          fx: "group",
          text: (d) => `(${d.target!.toFixed(2)})`,
          dy: 8,
          fontSize: 10,
          fill: (d) => Math.abs(d.measured) > 0.55 ? "white" : "black",
        }),
        Plot.cell(cells.filter((c) => c.off), {
          x: "xs",
          y: "ys",
          fx: "group",
          fill: "none",
          stroke: BAD,
          strokeWidth: 3,
          inset: 2,
        }),
      ],
    },
    options,
  );
}

function hasTargets(cells: { target: number | null }[]): boolean {
  return cells.some((c) => c.target !== null);
}

/**
 * A scatter matrix of sampled rows: one small panel per metric pair (lower triangle), points coloured by group.
 * @param sample the sampled rows
 * @param options width and document
 * @returns a grid of charts with one legend
 */
export function scatterMatrix(sample: ScatterSample, options: ChartOptions): ReportElement {
  const { width = 720, document } = options;
  const { metrics } = sample;
  const k = metrics.length;
  const cell = Math.floor(width / (k - 1));
  const points = sample.group.map((g, i) => {
    const row: Record<string, number | string> = { group: g };
    for (const m of metrics) row[m] = sample.values[m][i];
    return row;
  });
  const color = groupColor(sample.group);
  const grid = document.createElement("div");
  grid.setAttribute("class", "scatter-matrix");
  grid.setAttribute("style", `display:grid;grid-template-columns:repeat(${k - 1},minmax(0,1fr));max-width:${width}px`);
  for (let r = 1; r < k; r++) {
    for (let c = 0; c < k - 1; c++) {
      if (c >= r) {
        grid.appendChild(document.createElement("div"));
        continue;
      }
      const [x, y] = [metrics[c], metrics[r]];
      grid.appendChild(draw(`${y} against ${x}, ${points.length} sampled rows`, {
        width: cell,
        height: cell,
        marginLeft: 44,
        marginBottom: 36,
        marginTop: 14,
        marginRight: 8,
        x: { label: withUnit(x, sample.units[x]), ticks: 4 },
        y: { label: withUnit(y, sample.units[y]), ticks: 4 },
        color: { ...color, legend: false },
        marks: [
          Plot.frame({ strokeOpacity: 0.2 }),
          Plot.dot(points, { x, y, fill: "group", r: 1.6, fillOpacity: 0.7 }),
        ],
      }, { width: cell, document }));
    }
  }
  // Plot.legend takes a document at run time, though its types do not say so.
  const legend = Plot.legend({ color, document, style: { fontFamily: FONT } } as never) as unknown as ReportElement;
  const wrap = document.createElement("div");
  wrap.appendChild(legend);
  wrap.appendChild(grid);
  return nameChart(wrap, `Scatter matrix of ${metrics.join(", ")}, ${points.length} sampled rows by group`, document);
}

function profileChart(
  name: string,
  points: SeasonalitySummary["hour"],
  x: Plot.ScaleOptions,
  summary: SeasonalitySummary,
  options: ChartOptions,
): ReportElement {
  return draw(name, {
    height: 260,
    marginLeft: 50,
    x,
    y: { label: `${summary.metric} relative to plain weekdays (×) ↑`, grid: true },
    color: groupColor(points.map((p) => p.group)),
    marks: [
      Plot.ruleY([1], { strokeDasharray: "3,3", strokeOpacity: 0.6 }),
      Plot.line(points, { x: "key", y: "value", stroke: "group", strokeWidth: 1.8 }),
      Plot.dot(points, { x: "key", y: "value", fill: "group", r: 2.5 }),
    ],
  }, options);
}

/**
 * Hour-of-day profile per group (plain weekdays), relative to the group's mean.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function hourProfileChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  return profileChart(
    `Hour-of-day profile of ${summary.metric} per group, relative to the plain-weekday mean`,
    summary.hour,
    { label: "hour of day (UTC) →", domain: [0, 23], ticks: 12 },
    summary,
    options,
  );
}

/**
 * Day-of-week profile per group (quarter ends and holidays left out), relative to the plain-weekday mean.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function weekdayProfileChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  return profileChart(
    `Day-of-week profile of ${summary.metric} per group, relative to the plain-weekday mean`,
    summary.dow,
    { label: "day of week →", domain: [0, 6], ticks: 7, tickFormat: (d: number) => WEEKDAYS[d] ?? String(d) },
    summary,
    options,
  );
}

/**
 * Month profile per group (every day), relative to the plain-weekday mean: quarter-end months stand out.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function monthProfileChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  return profileChart(
    `Month profile of ${summary.metric} per group, relative to the plain-weekday mean`,
    summary.month,
    { label: "month →", domain: [1, 12], ticks: 12, tickFormat: (d: number) => MONTHS[d - 1] ?? String(d) },
    summary,
    options,
  );
}

/**
 * Autocorrelation of each group's mean series by lag, with the expected periods marked.
 * @param summary the seasonality section data
 * @param options width and document
 * @returns the chart
 */
export function autocorrelationChart(summary: SeasonalitySummary, options: ChartOptions): ReportElement {
  const maxLag = Math.max(...summary.acf.map((p) => p.lag), 1);
  const periods = summary.periods.filter((p) => p.lag <= maxLag);
  return draw(
    `Autocorrelation of the mean ${summary.metric} per group by lag in ${summary.lagUnit}s; expected periods ${
      periods.map((p) => p.label).join(" and ")
    } marked`,
    {
      height: 280,
      marginLeft: 50,
      marginTop: 30,
      x: { label: `lag (${summary.lagUnit}s) →`, domain: [0, maxLag] },
      y: { label: "↑ autocorrelation r", domain: [-1, 1], grid: true },
      color: groupColor(summary.acf.map((p) => p.group)),
      marks: [
        Plot.ruleY([0]),
        Plot.ruleX(periods, { x: "lag", strokeDasharray: "4,3", strokeOpacity: 0.8 }),
        Plot.text(periods, { x: "lag", text: "label", frameAnchor: "top", dy: -14, fontWeight: "bold" }),
        Plot.line(summary.acf, { x: "lag", y: "r", stroke: "group", strokeWidth: 1.4 }),
      ],
    },
    options,
  );
}

/**
 * Calendar effects per group: the measured ratio (dot, green inside the accepted band, red outside) against the
 * ratio the config implies (tick) and the accepted band (grey bar).
 * @param effects the measured effects
 * @param options width and document
 * @returns the chart
 */
export function seasonalEffectsChart(effects: SeasonalEffect[], options: ChartOptions): ReportElement {
  const data = effects.map((e) => ({
    ...e,
    label: EFFECT_LABELS[e.effect] ?? e.effect,
    verdict: e.passed === null ? "no target" : e.passed ? "within band" : "outside band",
  }));
  const groups = [...new Set(data.map((d) => d.group))];
  const facets = [...new Set(data.map((d) => d.label))];
  const xs = data.flatMap((d) => [d.measured, ...(d.band ?? []), ...(d.expected === null ? [] : [d.expected])]);
  const right = (d: (typeof data)[number]) => Math.max(d.measured, d.band?.[1] ?? -Infinity, d.expected ?? -Infinity);
  return draw("Calendar effects measured against the config, as ratios of levels", {
    height: 40 + facets.length * (40 + 20 * groups.length),
    marginLeft: 90,
    marginRight: 150,
    marginTop: 30,
    x: { label: "ratio of levels (×) →", domain: [Math.min(...xs) - 0.05, Math.max(...xs) + 0.05], grid: true },
    y: { label: null, domain: groups },
    // Facet titles are drawn above each facet (below), not as a side axis that would collide with the values.
    fy: { label: null, domain: facets, axis: null, padding: 0.35 },
    color: {
      domain: ["within band", "outside band", "no target"],
      range: [GOOD, BAD, BAND],
      legend: true,
    },
    marks: [
      Plot.text(facets, {
        fy: (d) => d,
        text: (d) => d,
        frameAnchor: "top-left",
        dy: -16,
        dx: -80,
        fontWeight: "bold",
      }),
      Plot.barX(data.filter((d) => d.band !== null), {
        x1: (d) => d.band![0],
        x2: (d) => d.band![1],
        y: "group",
        fy: "label",
        fill: BAND,
        fillOpacity: 0.35,
        insetTop: 3,
        insetBottom: 3,
      }),
      Plot.tickX(data.filter((d) => d.expected !== null), {
        x: "expected",
        y: "group",
        fy: "label",
        strokeWidth: 2,
      }),
      Plot.dot(data, { x: "measured", y: "group", fy: "label", fill: "verdict", r: 4.5 }),
      Plot.text(data, {
        x: right,
        y: "group",
        fy: "label",
        text: (d) =>
          d.expected === null
            ? formatNumber(d.measured, 3)
            : `${formatNumber(d.measured, 3)} (config ${formatNumber(d.expected, 3)})`,
        dx: 8,
        textAnchor: "start",
      }),
    ],
  }, options);
}

/**
 * Downsampled sample series of one metric: one panel per series (each with its own y scale, so a quiet series is
 * not flattened by a busy one) showing the min-max band and the mean per time bucket, on a shared time axis.
 * @param sample the sample series
 * @param options width and document
 * @returns the panels with one accessible name
 */
export function seriesChart(sample: SeriesSample, options: ChartOptions): ReportElement {
  const { width = 720, document } = options;
  const ts = sample.series.flatMap((s) => s.t);
  const domain = [new Date(Math.min(...ts)), new Date(Math.max(...ts))];
  const wrap = document.createElement("div");
  wrap.setAttribute("class", "series-panels");
  sample.series.forEach((s, k) => {
    const last = k === sample.series.length - 1;
    const data = withGaps(
      s.t.map((t, i) => ({ t: new Date(t), min: s.min[i], max: s.max[i], mean: s.mean[i] })),
      s.width,
    );
    wrap.appendChild(draw(`${sample.metric} of ${s.label}: min-max band and mean per time bucket`, {
      width,
      height: last ? 150 : 118,
      marginLeft: 56,
      marginRight: 24,
      marginTop: 22,
      x: { type: "utc", domain, label: last ? "time (UTC) →" : null, axis: last ? "bottom" : null, grid: true },
      y: { label: `↑ ${withUnit(sample.metric, sample.unit)}`, grid: true, ticks: 3, nice: true },
      marks: [
        Plot.areaY(data, { x: "t", y1: "min", y2: "max", fill: "#4269d0", fillOpacity: 0.25 }),
        Plot.lineY(data, { x: "t", y: "mean", stroke: "#4269d0", strokeWidth: 1.2 }),
        Plot.ruleX(isolated(data), { x: "t", y1: "min", y2: "max", stroke: "#4269d0", strokeOpacity: 0.5 }),
        Plot.dot(isolated(data), { x: "t", y: "mean", fill: "#4269d0", r: 2 }),
        Plot.text([s.label], { text: (d) => d, frameAnchor: "top-right", dy: -18, fontWeight: "bold" }),
        Plot.frame({ strokeOpacity: 0.15 }),
      ],
    }, { width, document }));
  });
  return nameChart(
    wrap,
    `${sample.metric} over time for ${sample.series.length} sample series: minimum-maximum band and mean per time bucket`,
    document,
  );
}

/**
 * Anomaly events per type (bars) against the count the config's type weights imply (ticks), with each type's
 * share of events and of all points written beside the bar.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalyTypeChart(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const total = summary.byType.reduce((a, t) => a + t.events, 0);
  const useEvents = summary.events !== null && total > 0;
  const data = summary.byType.map((t) => ({
    ...t,
    value: useEvents ? t.events : t.points,
    expected: useEvents && t.expectedShare !== null ? t.expectedShare * total : null,
  }));
  const longest = Math.max(...data.map((d) => d.type.length), 4);
  const withTargets = data.some((d) => d.expected !== null);
  return draw(
    `Anomaly ${useEvents ? "events" : "points"} per type${
      withTargets ? ", ticks at the count the config implies" : ""
    }`,
    {
      height: 30 + 22 * data.length + 40,
      marginLeft: Math.min(220, 12 + longest * 6.4),
      marginRight: 250,
      x: { label: useEvents ? "events →" : "anomalous points →", grid: true },
      y: { label: null, domain: data.map((d) => d.type) },
      color: { type: "ordinal", domain: data.map((d) => d.type), scheme: "observable10" },
      marks: [
        Plot.barX(data, { x: "value", y: "type", fill: "type", fillOpacity: 0.85 }),
        Plot.tickX(data.filter((d) => d.expected !== null), { x: "expected", y: "type", strokeWidth: 2.5 }),
        Plot.text(data, {
          x: (d) => Math.max(d.value, d.expected ?? 0),
          y: "type",
          text: (d) =>
            useEvents
              ? `${formatNumber(d.events)} events, ${formatNumber(d.eventShare * 100, 1)} %${
                d.expectedShare === null ? "" : ` (config ${formatNumber(d.expectedShare * 100, 1)} %)`
              }; ${formatNumber(d.pointRate * 100, 3)} % of points`
              : `${formatNumber(d.points)} points, ${formatNumber(d.pointRate * 100, 3)} % of points`,
          dx: 6,
          textAnchor: "start",
        }),
        Plot.ruleX([0]),
      ],
    },
    options,
  );
}

/**
 * Histogram of the anomalous-point share of each series that has anomalies.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalySeriesRateChart(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const data = summary.perSeries.map((p) => ({ pct: p.rate * 100 }));
  return draw("Histogram of the anomalous-point share per series with anomalies", {
    height: 220,
    marginLeft: 50,
    x: { label: "anomalous points in the series (%) →" },
    y: { label: "↑ series", grid: true },
    marks: [
      Plot.rectY(data, { ...Plot.binX({ y: "count" }, { x: "pct", thresholds: 30 }), fill: BAD, fillOpacity: 0.8 }),
      Plot.ruleY([0]),
    ],
  }, options);
}

/**
 * Bucket rows with a NaN row inserted wherever the step to the next bucket is longer than a bucket, so lines and
 * bands break across stretches without data instead of bridging them.
 */
function withGaps<T extends { t: Date; min: number; max: number; mean: number }>(rows: T[], width: number): T[] {
  if (!(width > 0)) return rows;
  const out: T[] = rows.slice(0, 1);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].t.getTime() - rows[i - 1].t.getTime() > 1.5 * width) {
      out.push({ ...rows[i - 1], t: new Date(rows[i - 1].t.getTime() + width), min: NaN, max: NaN, mean: NaN });
    }
    out.push(rows[i]);
  }
  return out;
}

/** Buckets with no neighbour on either side: a line cannot show them, a dot can. */
function isolated<T extends { mean: number }>(rows: T[]): T[] {
  return rows.filter((r, i) =>
    Number.isFinite(r.mean) && !Number.isFinite(rows[i - 1]?.mean ?? NaN) && !Number.isFinite(rows[i + 1]?.mean ?? NaN)
  );
}

function padWindows<T extends { start: number; end: number }>(windows: T[], minWidth: number) {
  return windows.map((w) => {
    const pad = Math.max(0, (minWidth - (w.end - w.start)) / 2);
    return { ...w, x1: new Date(w.start - pad), x2: new Date(w.end + pad) };
  });
}

/**
 * A timeline of anomaly events: one row per series, one bar per event coloured by type. Windows narrower than a
 * pixel or two are widened so single-point anomalies stay visible.
 * @param summary the anomaly section data
 * @param options width and document
 * @returns the chart
 */
export function anomalyTimeline(summary: AnomalySummary, options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  const span = Math.max(1, ...summary.timeline.map((w) => w.end)) - Math.min(...summary.timeline.map((w) => w.start));
  const data = padWindows(summary.timeline, (span / width) * 2);
  const longest = Math.max(...summary.timelineSeries.map((s) => s.length), 4);
  return draw(`Timeline of anomaly events for ${summary.timelineSeries.length} series, coloured by type`, {
    height: 60 + 14 * summary.timelineSeries.length,
    marginLeft: Math.min(200, 12 + longest * 6.2),
    x: { type: "utc", label: "time (UTC) →", grid: true },
    y: { label: null, domain: summary.timelineSeries, tickSize: 0 },
    color: { type: "ordinal", domain: summary.byType.map((t) => t.type), scheme: "observable10", legend: true },
    marks: [Plot.barX(data, { x1: "x1", x2: "x2", y: "series", fill: "type", insetTop: 1, insetBottom: 1 })],
  }, options);
}

/**
 * One sample series with its anomaly windows shaded by type: min-max band and mean per bucket.
 * @param sample one entry of `AnomalySummary.samples`
 * @param options width and document
 * @returns the chart
 */
export function anomalySampleChart(sample: AnomalySummary["samples"][number], options: ChartOptions): ReportElement {
  const { width = 720 } = options;
  const b = sample.buckets;
  const data = withGaps(
    b.t.map((t, i) => ({ t: new Date(t), min: b.min[i], max: b.max[i], mean: b.mean[i] })),
    b.width,
  );
  const span = (b.t[b.t.length - 1] ?? 0) - (b.t[0] ?? 0);
  const windows = padWindows(sample.windows, (span / width) * 3);
  return draw(
    `${sample.metric} of series ${sample.series} with its ${sample.windows.length} anomaly windows shaded (${sample.type})`,
    {
      height: 190,
      marginLeft: 50,
      x: { type: "utc", label: "time (UTC) →" },
      y: { label: `↑ ${withUnit(sample.metric, sample.unit)}`, grid: true, ticks: 4 },
      // The dataset's whole type list as domain keeps each type's colour the same in every chart.
      color: { type: "ordinal", domain: sample.types, scheme: "observable10", legend: true },
      marks: [
        Plot.rect(windows, { x1: "x1", x2: "x2", fill: "type", fillOpacity: 0.3 }),
        Plot.areaY(data, { x: "t", y1: "min", y2: "max", fill: "currentColor", fillOpacity: 0.15 }),
        Plot.lineY(data, { x: "t", y: "mean", stroke: "currentColor", strokeWidth: 1 }),
        Plot.dot(isolated(data), { x: "t", y: "mean", fill: "currentColor", r: 1.5 }),
      ],
    },
    options,
  );
}

const ROUNDED = /\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|transform|points)="([^"]*)"/g;

/**
 * The markup of a chart with coordinates rounded to 0.1 px (a third of Plot's raw output size, no visible
 * change). Only geometry attributes are touched, never text.
 * @param el the chart
 * @returns the markup
 */
export function chartMarkup(el: ReportElement): string {
  return el.outerHTML.replace(ROUNDED, (_m, name: string, value: string) => {
    const v = value.replace(/-?\d*\.\d+(?:e-?\d+)?/g, (n) => {
      const r = Math.round(Number(n) * 10) / 10;
      return String(Object.is(r, -0) ? 0 : r);
    });
    return ` ${name}="${v}"`;
  });
}

/** The two sides of a fidelity chart. */
const SIDE_COLOR: Plot.ScaleOptions = {
  type: "ordinal",
  domain: ["this dataset", "reference"],
  range: ["#3b7dd8", "#e08a2c"],
  legend: true,
};

/**
 * Pooled quantiles of one metric, this dataset against a reference: value by quantile level, one line each.
 * @param data role, unit and the two quantile lists (levels 0, 0.01, ..., 1)
 * @param options width and document
 * @returns the chart
 */
export function fidelityQuantileChart(
  data: { role: string; reference: string; synthetic: number[]; referenceQ: number[] },
  options: ChartOptions,
): ReportElement {
  const rows = [
    ...data.synthetic.map((v, i) => ({ side: "this dataset", p: i, v })),
    ...data.referenceQ.map((v, i) => ({ side: "reference", p: i, v })),
  ].filter((d) => Number.isFinite(d.v));
  return draw(`Quantiles of ${data.role}: this dataset against ${data.reference}`, {
    height: 260,
    marginLeft: 56,
    x: { label: "quantile (%) →", domain: [0, 100] },
    y: { label: `↑ ${data.role}`, grid: true },
    color: SIDE_COLOR,
    marks: [Plot.line(rows, { x: "p", y: "v", stroke: "side", strokeWidth: 1.6 })],
  }, options);
}

/**
 * Autocorrelation by lag in hours, median over entities with the interquartile band, this dataset against a
 * reference.
 * @param data the two curves
 * @param options width and document
 * @returns the chart
 */
export function fidelityAcfChart(
  data: {
    role: string;
    reference: string;
    curves: { side: string; lags_h: number[]; median: number[]; p25: number[]; p75: number[] }[];
  },
  options: ChartOptions,
): ReportElement {
  const rows = data.curves.flatMap((c) =>
    c.lags_h.map((lag, i) => ({ side: c.side, lag, r: c.median[i], lo: c.p25[i], hi: c.p75[i] }))
  ).filter((d) => Number.isFinite(d.r));
  const maxLag = Math.max(1, ...rows.map((d) => d.lag));
  const marks = [24, 168].filter((l) => l <= maxLag).map((lag) => ({ lag, label: lag === 24 ? "1 day" : "1 week" }));
  return draw(`Autocorrelation of ${data.role} by lag in hours: this dataset against ${data.reference}`, {
    height: 260,
    marginLeft: 50,
    marginTop: 28,
    x: { label: "lag (hours) →", domain: [0, maxLag] },
    y: { label: "↑ autocorrelation r (median, IQR band)", domain: [-1, 1], grid: true },
    color: SIDE_COLOR,
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX(marks, { x: "lag", strokeDasharray: "4,3", strokeOpacity: 0.7 }),
      Plot.text(marks, { x: "lag", text: "label", frameAnchor: "top", dy: -12 }),
      Plot.areaY(rows.filter((d) => Number.isFinite(d.lo) && Number.isFinite(d.hi)), {
        x: "lag",
        y1: "lo",
        y2: "hi",
        fill: "side",
        fillOpacity: 0.18,
      }),
      Plot.line(rows, { x: "lag", y: "r", stroke: "side", strokeWidth: 1.6 }),
    ],
  }, options);
}

/**
 * Spread over entities of one per-entity statistic: P5-P95 line, interquartile bar and median tick, for this
 * dataset and the reference.
 * @param data the statistic and the two summaries (quantiles at 0, 0.01, ..., 1)
 * @param options width and document
 * @returns the chart
 */
export function fidelitySpreadChart(
  data: { label: string; reference: string; sides: { side: string; q: number[]; n: number }[] },
  options: ChartOptions,
): ReportElement {
  const rows = data.sides.filter((s) => s.q.length === 101).map((s) => ({
    side: s.side,
    label: `${s.side} (n=${s.n})`,
    p05: s.q[5],
    p25: s.q[25],
    p50: s.q[50],
    p75: s.q[75],
    p95: s.q[95],
  }));
  return draw(`Spread over entities of ${data.label}: this dataset against ${data.reference}`, {
    height: 96,
    marginLeft: 150,
    marginTop: 10,
    x: { label: `${data.label} →`, grid: true },
    y: { label: null, domain: rows.map((r) => r.label) },
    color: { ...SIDE_COLOR, legend: false },
    marks: [
      Plot.ruleY(rows, { y: "label", x1: "p05", x2: "p95", stroke: "side" }),
      Plot.barX(rows, { y: "label", x1: "p25", x2: "p75", fill: "side", fillOpacity: 0.5 }),
      Plot.tickX(rows, { y: "label", x: "p50", stroke: "side", strokeWidth: 2.5 }),
    ],
  }, options);
}
