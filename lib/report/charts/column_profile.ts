import { escapeHtml } from "../html.ts";
import { formatNumber } from "../_format.ts";
import type { ColumnProfile } from "../types.ts";
import { utcTick } from "./_common.ts";

const W = 240;

function label(v: number, time: boolean): string {
  return time ? utcTick(new Date(v)) : formatNumber(v, 3);
}

/**
 * A column's distribution as a small SVG that scales with its card: a histogram with its ends labelled
 * (numbers and times) or bars of the most frequent values with their counts (text). Drawn as plain SVG, not with
 * Plot: a page holds one per column, so each must stay near a kilobyte.
 * @param p the column profile
 * @returns the SVG markup, or "" when the column has neither
 */
export function columnProfileSvg(p: ColumnProfile): string {
  const name = `Distribution of ${p.table}.${p.column}`;
  if (p.histogram !== null) {
    const { counts, lo, hi, time } = p.histogram;
    const max = Math.max(1, ...counts);
    const bw = W / counts.length, H = 56;
    const bars = counts.map((n, i) => {
      const h = n === 0 ? 0 : Math.max(1, (n / max) * (H - 4));
      return h === 0
        ? ""
        : `<rect x="${(i * bw + 0.5).toFixed(1)}" y="${(H - h).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${
          h.toFixed(1)
        }"><title>${escapeHtml(formatNumber(n))}</title></rect>`;
    }).join("");
    return `<svg role="img" aria-label="${escapeHtml(name)}" viewBox="0 0 ${W} ${H + 16}" class="profile-svg">` +
      `<title>${escapeHtml(name)}</title><g fill="#4269d0">${bars}</g>` +
      `<line x1="0" x2="${W}" y1="${H + 0.5}" y2="${H + 0.5}" stroke="currentColor" stroke-opacity=".4"/>` +
      `<g fill="currentColor" font-size="10" font-family="system-ui,sans-serif"><text x="0" y="${H + 12}">${
        escapeHtml(label(lo, time))
      }</text><text x="${W}" y="${H + 12}" text-anchor="end">${escapeHtml(label(hi, time))}</text></g></svg>`;
  }
  if (p.top !== null && p.top.length > 0) {
    const max = Math.max(1, ...p.top.map((t) => t.count));
    const row = 15, H = row * p.top.length;
    const bars = p.top.map((t, i) => {
      const w = Math.max(1, (t.count / max) * (W * 0.35));
      // What fits right of the bar at about 5.6 px a character; the full value is in the tooltip.
      const room = Math.max(4, Math.floor((W - w - 6) / 5.6) - formatNumber(t.count).length - 3);
      const text = t.value.length > room ? `${t.value.slice(0, room - 1)}…` : t.value;
      return `<rect x="0" y="${i * row + 2}" width="${w.toFixed(1)}" height="${row - 4}" fill="#efb118"/>` +
        `<text x="${(w + 4).toFixed(1)}" y="${i * row + row - 4}"><title>${escapeHtml(t.value)}</title>${
          escapeHtml(formatNumber(t.count))
        } · ${escapeHtml(text)}</text>`;
    }).join("");
    return `<svg role="img" aria-label="${
      escapeHtml(`Most frequent values of ${p.table}.${p.column}`)
    }" viewBox="0 0 ${W} ${H}" class="profile-svg">` +
      `<title>${escapeHtml(`Most frequent values of ${p.table}.${p.column}`)}</title>` +
      `<g fill="currentColor" font-size="10" font-family="system-ui,sans-serif">${bars}</g></svg>`;
  }
  return "";
}
