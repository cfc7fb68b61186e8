/** What every chart shares: options, fonts and colours, drawing with an accessible name, gaps and markup. */
import * as Plot from "@observablehq/plot";
import type { ReportDocument, ReportElement } from "../document.ts";
import type { SeasonalitySummary } from "../types.ts";

/** Options every chart takes. */
export interface ChartOptions {
  /** Width in pixels. @default 720 */
  width?: number;
  /** The document to draw in (linkedom on the server, `globalThis.document` in a browser). */
  document: ReportDocument;
  /**
   * Draw the legend of types with the chart; false where the page shows one legend above both drawings of a chart
   * (see {@linkcode typeLegend}). Charts without a legend of types ignore it. @default true
   */
  legend?: boolean;
}

export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
/** Colours that read on light and dark backgrounds. */
export const GOOD = "#2e9e5b";
export const BAD = "#d6404e";
export const BAND = "#9aa4b1";
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
export const EFFECT_LABELS: Record<string, string> = {
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
export function nameChart(el: ReportElement, options: { name: string; document: ReportDocument }): ReportElement {
  const { name, document } = options;
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

export function draw(name: string, options: Plot.PlotOptions, chart: ChartOptions): ReportElement {
  const { width = 720, document } = chart;
  const el = Plot.plot({
    width,
    style: { fontFamily: FONT, fontSize: "11px", overflow: "visible" },
    ...options,
    document: document as never,
    ariaLabel: name,
  }) as unknown as ReportElement;
  return nameChart(el, { name, document });
}

export function groupColor(groups: string[]): Plot.ScaleOptions {
  return { type: "ordinal", domain: [...new Set(groups)].sort(), scheme: "observable10", legend: true };
}

export function hasTargets(cells: { target: number | null }[]): boolean {
  return cells.some((c) => c.target !== null);
}

export function profileChart(
  name: string,
  input: {
    points: SeasonalitySummary["hour"];
    x: Plot.ScaleOptions;
    summary: SeasonalitySummary;
    options: ChartOptions;
  },
): ReportElement {
  const { points, x, summary, options } = input;
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
 * Bucket rows with a NaN row inserted wherever the step to the next bucket is longer than a bucket, so lines and
 * bands break across stretches without data instead of bridging them.
 */
export function withGaps<T extends { t: Date; min: number; max: number; mean: number }>(rows: T[], width: number): T[] {
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
export function isolated<T extends { mean: number }>(rows: T[]): T[] {
  return rows.filter((r, i) =>
    Number.isFinite(r.mean) && !Number.isFinite(rows[i - 1]?.mean ?? NaN) && !Number.isFinite(rows[i + 1]?.mean ?? NaN)
  );
}

export function padWindows<T extends { start: number; end: number }>(windows: T[], minWidth: number) {
  return windows.map((w) => {
    const pad = Math.max(0, (minWidth - (w.end - w.start)) / 2);
    return { ...w, x1: new Date(w.start - pad), x2: new Date(w.end + pad) };
  });
}

/** The attributes whose numbers are coordinates: rounded in a chart's markup. */
const GEOMETRY = new Set([
  "x",
  "y",
  "x1",
  "x2",
  "y1",
  "y2",
  "cx",
  "cy",
  "r",
  "width",
  "height",
  "d",
  "transform",
  "points",
]);

const isDigit = (c: number) => c >= 48 && c <= 57;
/** A character of an attribute name: letters, digits, `-`, `_`, `:`. */
const isNameChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 45 || c === 95 || c === 58;
/** Whitespace before an attribute name. */
const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13 || c === 12;

/**
 * Every decimal number in an attribute value (`-?\d*\.\d+(e-?\d+)?`, as a regular expression would find them left
 * to right) rounded to 0.1, `-0` written `0`; numbers without a decimal point stay as they are.
 * @param v the value
 * @returns the value with its numbers rounded
 */
export function roundDecimals(v: string): string {
  if (v.indexOf(".") < 0) return v;
  let out = "", last = 0, i = 0;
  const n = v.length;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (c !== 45 && c !== 46 && !isDigit(c)) {
      i++;
      continue;
    }
    let j = c === 45 ? i + 1 : i;
    while (j < n && isDigit(v.charCodeAt(j))) j++;
    if (!(j + 1 < n && v.charCodeAt(j) === 46 && isDigit(v.charCodeAt(j + 1)))) {
      i++;
      continue;
    }
    j += 2;
    while (j < n && isDigit(v.charCodeAt(j))) j++;
    if (j + 1 < n && v.charCodeAt(j) === 101) {
      const k = v.charCodeAt(j + 1) === 45 ? j + 2 : j + 1;
      if (k < n && isDigit(v.charCodeAt(k))) {
        j = k + 1;
        while (j < n && isDigit(v.charCodeAt(j))) j++;
      }
    }
    const r = Math.round(Number(v.slice(i, j)) * 10) / 10;
    out += v.slice(last, i) + String(Object.is(r, -0) ? 0 : r);
    last = i = j;
  }
  return last === 0 ? v : out + v.slice(last);
}

/**
 * The markup of a chart with coordinates rounded to 0.1 px (a third of Plot's raw output size, no visible
 * change). Only geometry attributes are touched, never text. One scan from attribute to attribute: regular
 * expressions with a callback per number took a tenth of the page's time.
 * @param el the chart
 * @returns the markup
 */
export function chartMarkup(el: ReportElement): string {
  const s = el.outerHTML;
  let out = "", last = 0, pos = 0;
  for (;;) {
    const eq = s.indexOf('="', pos);
    if (eq < 0) break;
    const end = s.indexOf('"', eq + 2);
    if (end < 0) break;
    let a = eq;
    while (a > 0 && isNameChar(s.charCodeAt(a - 1))) a--;
    if (a > 0 && isSpace(s.charCodeAt(a - 1)) && GEOMETRY.has(s.slice(a, eq))) {
      const value = s.slice(eq + 2, end);
      const rounded = roundDecimals(value);
      if (rounded !== value) {
        out += s.slice(last, eq + 2) + rounded;
        last = end;
      }
    }
    pos = end + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** The two sides of a fidelity chart. */
export const SIDE_COLOR: Plot.ScaleOptions = {
  type: "ordinal",
  domain: ["this dataset", "reference"],
  range: ["#3b7dd8", "#e08a2c"],
  legend: true,
};

const pad2 = (n: number) => String(n).padStart(2, "0");
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Tick labels of a UTC time axis on a 24-hour clock: `2024`, `Mar`, `Mar 4`, `13:00`, `13:05:30`.
 * @param d the tick
 * @returns the label
 */
export function utcTick(d: Date): string {
  const h = d.getUTCHours(), m = d.getUTCMinutes(), s = d.getUTCSeconds();
  if (h === 0 && m === 0 && s === 0) {
    if (d.getUTCDate() === 1) return d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : MONTH_NAMES[d.getUTCMonth()];
    return `${MONTH_NAMES[d.getUTCMonth()]} ${d.getUTCDate()}`;
  }
  return s === 0 ? `${pad2(h)}:${pad2(m)}` : `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

/** A UTC time x scale with 24-hour tick labels and a tick count that follows the width. */
export function utcX(width: number, options: Plot.ScaleOptions = {}): Plot.ScaleOptions {
  return { type: "utc", tickFormat: utcTick, ticks: Math.max(3, Math.floor(width / 110)), ...options };
}

/** Sixteen colours that stay apart on light and dark backgrounds. */
export const STYLE_COLORS = [
  "#4269d0",
  "#efb118",
  "#ff725c",
  "#6cc5b0",
  "#3ca951",
  "#ff8ab7",
  "#a463f2",
  "#97bbf5",
  "#9c6b4e",
  "#9498a0",
  "#d62728",
  "#17becf",
  "#bcbd22",
  "#e377c2",
  "#1f5f8b",
  "#f28e2b",
];
/** Plot's thirteen symbols: a second channel, so two types never share colour and shape. */
export const STYLE_SYMBOLS = [
  "circle",
  "square",
  "triangle",
  "diamond",
  "star",
  "cross",
  "wye",
  "times",
  "plus",
  "asterisk",
  "square2",
  "diamond2",
  "triangle2",
];

/**
 * The style of every anomaly type (or any category): a colour and a symbol, the same for a type
 * on every chart of a page; 16 colours times 13 symbols keep 16 or more types apart.
 * @param types the types, in the page's order
 * @returns the colour, symbol and dash scales
 */
export function categoryStyles(types: readonly string[]): {
  color: Plot.ScaleOptions;
  symbol: Plot.ScaleOptions;
} {
  const domain = [...types];
  return {
    color: { type: "ordinal", domain, range: domain.map((_, i) => STYLE_COLORS[i % STYLE_COLORS.length]) },
    symbol: { type: "ordinal", domain, range: domain.map((_, i) => STYLE_SYMBOLS[i % STYLE_SYMBOLS.length]) },
  };
}

const legends = new WeakMap<ReportDocument, Map<string, string>>();

/**
 * The legend of anomaly types (or any categories) as the charts draw it, colour and symbol per type, as markup:
 * drawn once per document and list of types, so a page shows it above both drawings of a chart (wide and narrow)
 * instead of Plot drawing it into each (16 legends of 14 swatches on the anomalies page). Its swatches are hidden
 * from screen readers, since the text beside them says the same.
 * @param types the types, in the page's order
 * @param document the document the page's charts are drawn in
 * @returns the legend's markup
 */
export function typeLegend(types: readonly string[], document: ReportDocument): string {
  let drawn = legends.get(document);
  if (drawn === undefined) legends.set(document, drawn = new Map());
  const key = types.join("\u0000");
  const known = drawn.get(key);
  if (known !== undefined) return known;
  const styles = categoryStyles(types);
  // A chart of one dot per type, drawn only for its legend: the same legend Plot draws into a chart.
  const figure = Plot.plot({
    style: { fontFamily: FONT, fontSize: "11px", overflow: "visible" },
    color: styles.color,
    symbol: { ...styles.symbol, legend: true },
    marks: [Plot.dot(types.map((type) => ({ type })), { fill: "type", symbol: "type", stroke: "type" })],
    document: document as never,
  }) as unknown as ReportElement;
  const legend = figure.firstChild!;
  for (const svg of legend.querySelectorAll("svg")) svg.setAttribute("aria-hidden", "true");
  const markup = chartMarkup(legend);
  drawn.set(key, markup);
  return markup;
}
