import { escapeHtml, Html, html, type HtmlValue, unsafe } from "./html.ts";

/** The one stylesheet of every page: system fonts only, light and dark palettes, nothing fetched. */
export const PAGE_CSS = `
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1b1f24;--muted:#5b6573;--line:#d9dee4;--soft:#f3f5f7;
--pass:#1d7a44;--fail:#c22a3a;--warn:#9a5b00;--info:#2f5fb3;--link:#2456b8}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e5e8ec;--muted:#9ba5b2;--line:#323944;--soft:#1d222a;
--pass:#5cd08d;--fail:#ff7d89;--warn:#f2b457;--info:#86aef5;--link:#8fb4ff}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
main{max-width:1200px;margin:0 auto;padding:1.25rem clamp(.75rem,3vw,1.5rem) 3rem;overflow-wrap:break-word}
a{color:var(--link)}
h1{font-size:1.7rem;margin:.2rem 0 .4rem}
h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-top:.6rem;border-top:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
p.lead,.muted{color:var(--muted)}
nav.toc ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;list-style:none;padding:0;margin:.4rem 0 0}
dl.card{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.card dt{color:var(--muted)}dl.card dd{margin:0;overflow-wrap:anywhere}
div.scroll{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;color:var(--muted);padding:.2rem 0;caption-side:top}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.results td{overflow-wrap:anywhere}table.results td.num{white-space:normal}table.results td:last-child{min-width:16rem}
details>summary{cursor:pointer;margin:.4rem 0}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.hash{overflow-wrap:anywhere}
pre{background:var(--soft);padding:.75rem;overflow:auto;max-height:28rem;border-radius:4px}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;
border:1px solid currentColor;white-space:nowrap}
.pass{color:var(--pass)}.fail{color:var(--fail)}.warn{color:var(--warn)}.info,.none,.stale{color:var(--muted)}
tr.failed td{background:color-mix(in srgb,var(--fail) 8%,transparent)}
figure{margin:1rem 0 1.5rem;max-width:100%;overflow-x:auto}
figure svg{max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:.85rem;margin-top:.3rem}
svg[class^="plot"],figure[class^="plot"],div[class^="plot"]{--plot-background:var(--bg);background:transparent}
.stats{display:flex;flex-wrap:wrap;gap:.6rem 1.5rem;margin:.6rem 0}
.stat{min-width:8rem}.stat b{display:block;font-size:1.25rem;font-variant-numeric:tabular-nums}
code.token{overflow-wrap:normal;word-break:normal}
th,td{overflow-wrap:anywhere}
table.sides th{overflow-wrap:normal;width:1%}
.chart .narrow{display:none}
@media (max-width:640px){.chart .wide{display:none}.chart .narrow{display:block}}
@media (max-width:720px){table.stack,table.stack>tbody,table.stack>tbody>tr,table.stack>tbody>tr>td{display:block;width:100%}
table.stack>thead{display:none}table.stack>tbody>tr{border-bottom:1px solid var(--line);padding:.35rem 0}
table.stack>tbody>tr>td{border:0;padding:.1rem .2rem;text-align:right;white-space:normal}
table.stack>tbody>tr>td::before{content:attr(data-label);color:var(--muted);float:left;text-align:left;margin-right:.8rem;max-width:45%}
table.stack>tbody>tr>td::after{content:"";display:block;clear:both}
table.results td:last-child{min-width:0}}
.alerts{display:flex;flex-wrap:wrap;gap:.25rem}.alert{font-size:.75rem;padding:0 .4rem;border-radius:4px;border:1px solid currentColor;white-space:nowrap}
.profile-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr));gap:.6rem 1rem;margin:.5rem 0 1rem}
.col-card{border:1px solid var(--line);border-radius:6px;padding:.45rem .6rem;min-width:0}
.col-card h4{margin:0;font-size:.9rem;overflow-wrap:anywhere}.col-card p{margin:.1rem 0;font-size:.8rem;color:var(--muted)}
.col-card svg{display:block;width:100%;height:auto;margin:.3rem 0}
.legend-swatches{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.8rem;margin:.3rem 0}
.legend-swatches svg{vertical-align:middle}
footer{margin-top:3rem;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:.6rem}
`.trim();

/** Options of {@linkcode renderPage}. */
export interface PageOptions {
  /** The page language. @default "en" */
  lang?: string;
  /** A one-line description for `<meta name="description">`. @default "" */
  description?: string;
}

/**
 * A whole self-contained page: `lang`, charset, viewport, color-scheme, title and the inline stylesheet.
 * @param title the page title (text, escaped)
 * @param body the page content
 * @param options language and description
 * @returns the document
 */
export function renderPage(title: string, body: HtmlValue, options: PageOptions = {}): Html {
  const { lang = "en", description = "" } = options;
  const page = html`
    <html lang="${lang}">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        ${description ? html`<meta name="description" content="${description}">` : ""}
        <title>${title}</title>
        <style>${unsafe(PAGE_CSS)}</style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>
  `;
  // The template's indentation (deno fmt formats html`` templates) stays inside; the document starts at the doctype.
  return new Html(`<!doctype html>\n${page.value.trim()}\n`);
}

/**
 * A built page: its HTML, its size, and an inline display in Jupyter (a sandboxed iframe, so the page's stylesheet
 * stays out of the notebook). Dataset reports and compare pages are both.
 */
export abstract class HtmlPage {
  /** The whole page. */
  readonly html: string;

  /** @param page the rendered page */
  constructor(page: Html) {
    this.html = page.value;
  }

  /** What the page is, for the iframe's title. */
  protected abstract get frameTitle(): string;

  /** @returns the page size in bytes (UTF-8) */
  get bytes(): number {
    return new TextEncoder().encode(this.html).length;
  }

  /** @returns the page */
  toString(): string {
    return this.html;
  }

  /** @returns the page in a sandboxed iframe */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return {
      "text/html": `<iframe title="${
        escapeHtml(this.frameTitle)
      }" sandbox="" style="width:100%;height:720px;border:1px solid #ccc" srcdoc="${escapeHtml(this.html)}"></iframe>`,
    };
  }
}
