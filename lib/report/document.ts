// linkedom's default ESM entry loads its canvas support through `require("canvas")` (commonjs/canvas.cjs), and Node's
// resolution then looks for node_modules/canvas in every folder above the package, up to "/": outside the project's
// read scope, so Deno prompts for "<parent folder>/node_modules" in a terminal. The "worker" build is the same DOM
// with the canvas stub inlined: no require, no lookup outside the project.
import { parseHTML } from "linkedom/worker";

/** The part of a DOM element the report uses (linkedom's or a browser's). */
export interface ReportElement {
  tagName: string;
  outerHTML: string;
  textContent: string | null;
  firstChild: ReportElement | null;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  appendChild(child: ReportElement): ReportElement;
  insertBefore(child: ReportElement, before: ReportElement | null): ReportElement;
  querySelector(selector: string): ReportElement | null;
  querySelectorAll(selector: string): Iterable<ReportElement>;
}

/** The part of a DOM document the charts use: what Observable Plot needs to draw without a browser. */
export interface ReportDocument {
  createElement(tag: string): ReportElement;
  createElementNS(ns: string, tag: string): ReportElement;
  createTextNode(text: string): ReportElement;
}

/**
 * A server-side DOM document (linkedom) for drawing charts with Observable Plot outside a browser.
 * @returns a fresh document
 * @example
 * ```ts
 * import { createDocument } from "@lib/report/document.ts";
 * const document = createDocument();
 * document.createElement("div").outerHTML; // "<div></div>"
 * ```
 */
export function createDocument(): ReportDocument {
  return (parseHTML("<!doctype html><html><head></head><body></body></html>") as unknown as {
    document: ReportDocument;
  }).document;
}
