import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * The layering of lib/ (README, "Layout"): reads every import and export-from specifier of lib/ (static, dynamic
 * and type-only alike) and fails on an edge that points against the layers.
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";

const LIB = resolve("lib");

/**
 * The areas and what each may import besides itself. Leaves import no other area. `kinds/registry.ts` is a leaf
 * of its own (the registry every area reads); the rest of `kinds/` composes the areas and is imported only by
 * entry points (tasks, notebooks, tests).
 */
const ALLOWED: Record<string, readonly string[]> = {
  random: [],
  schema: ["calendar"],
  calendar: [],
  formats: [],
  "kinds/registry": [],
  stats: [],
  "report/html": [],
  "cli/format": [],
  lake: ["schema", "formats"],
  config: ["lake"],
  cli: ["config", "lake", "kinds/registry", "cli/format"],
  preprocess: ["random"],
  fidelity: ["lake", "schema", "calendar", "preprocess", "stats"],
  validate: ["lake", "schema", "calendar", "fidelity", "kinds/registry", "stats", "report/html"],
  generate: ["random", "config", "lake", "schema", "calendar", "formats", "validate", "cli", "preprocess"],
  ingest: [
    "random",
    "config",
    "lake",
    "schema",
    "calendar",
    "formats",
    "preprocess",
    "cli",
    "validate",
    "api",
    "report/html",
    "kinds/registry",
  ],
  report: [
    "validate",
    "fidelity",
    "lake",
    "schema",
    "calendar",
    "random",
    "kinds/registry",
    "stats",
    "report/html",
    "cli/format",
  ],
  api: ["random", "lake", "schema", "calendar", "kinds/registry"],
  stream: ["lake", "schema", "calendar", "kinds/registry"],
  kinds: [
    "kinds/registry",
    "schema",
    "calendar",
    "config",
    "lake",
    "generate",
    "ingest",
    "validate",
    "report",
    "stream",
  ],
};

/** Edges the issue names explicitly: each must never appear, whatever the table above says. */
const FORBIDDEN: [string, string][] = [
  ["validate", "generate"],
  ["stream", "generate"],
  ["generate", "ingest"],
  ["config", "generate"],
];

/**
 * Known edges against the layers, each with the change that removes it; a line whose edge no longer exists fails
 * the test, so none goes stale.
 */
const PENDING: { from: string; to: string; why: string }[] = [];

function areaOf(path: string): string {
  const rel = relative(LIB, path).replaceAll("\\", "/");
  if (rel === "kinds/registry.ts") return "kinds/registry";
  if (rel === "report/html.ts") return "report/html";
  if (rel === "cli/format.ts") return "cli/format";
  return rel.split("/")[0];
}

function* walk(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* walk(path);
    else if (e.isFile && /\.(ts|tsx|js|mjs)$/.test(e.name)) yield path;
  }
}

/** Strips comments (so `@example` blocks and prose do not count) while keeping strings. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/**
 * Every module specifier of a source file: `import … from "x"`, `import "x"`, `export … from "x"`,
 * `import type … from "x"`, `import("x")` with a literal string.
 * @param src the source text
 * @returns the specifiers
 */
export function specifiers(src: string): string[] {
  const code = stripComments(src);
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;'"`]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["'`]([^"'`$]+)["'`]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

/** The lib/ file a specifier names, or undefined for packages and node: modules. */
function target(from: string, spec: string): string | undefined {
  if (spec.startsWith("@lib/")) return join(LIB, spec.slice("@lib/".length));
  if (spec.startsWith("./") || spec.startsWith("../")) return resolve(dirname(from), spec);
  return undefined;
}

interface Edge {
  from: string;
  to: string;
  fromArea: string;
  toArea: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of walk(LIB)) {
    for (const spec of specifiers(Deno.readTextFileSync(file))) {
      const to = target(file, spec);
      if (to === undefined) continue;
      out.push({
        from: relative(LIB, file).replaceAll("\\", "/"),
        to: relative(LIB, to).replaceAll("\\", "/"),
        fromArea: areaOf(file),
        toArea: to.startsWith(LIB + "/") ? areaOf(to) : "outside lib",
      });
    }
  }
  return out;
}

function violates(e: Edge): string | undefined {
  if (e.fromArea === e.toArea) return undefined;
  if (FORBIDDEN.some(([a, b]) => e.fromArea === a && e.toArea === b)) return "forbidden";
  const allowed = ALLOWED[e.fromArea];
  if (allowed === undefined) return `area "${e.fromArea}" is not in the layering (add it to the README and here)`;
  return allowed.includes(e.toArea) ? undefined : `${e.fromArea} may import ${allowed.join(", ") || "nothing"}`;
}

Deno.test("specifiers() finds static, type-only, side-effect, re-export and literal dynamic imports, not comments", () => {
  const src = [
    'import pl from "nodejs-polars";',
    'import type { A } from "@lib/a/x.ts";',
    'import {\n  b,\n  c,\n} from "../b.ts";',
    'import "./side.ts";',
    'export { d } from "@lib/d/mod.ts";',
    'export * from "./e.ts";',
    'const f = await import("@lib/f/mod.ts");',
    '// import { g } from "@lib/g/mod.ts";',
    '/** @example\n * import { h } from "@lib/h/mod.ts";\n */',
  ].join("\n");
  assert.deepEqual(specifiers(src).sort(), [
    "../b.ts",
    "./e.ts",
    "./side.ts",
    "@lib/a/x.ts",
    "@lib/d/mod.ts",
    "@lib/f/mod.ts",
    "nodejs-polars",
  ]);
});

Deno.test("lib/ imports only along the documented layers (no validate->generate, stream->generate, generate->ingest, config->generate)", () => {
  const all = edges();
  assert.ok(all.length > 500, `read only ${all.length} import edges: the parser missed most of lib/`);
  const bad = all
    .map((e) => ({ e, why: violates(e) }))
    .filter(({ e, why }) => why !== undefined && !PENDING.some((p) => p.from === e.from && p.to === e.to))
    .map(({ e, why }) => `${e.from} -> ${e.to} (${e.fromArea} -> ${e.toArea}: ${why})`);
  assert.deepEqual(bad, [], `imports against the layering:\n${bad.join("\n")}`);
  const stale = PENDING.filter((p) => !all.some((e) => e.from === p.from && e.to === p.to));
  assert.deepEqual(stale, [], "pending edges that no longer exist: delete their lines");
});

Deno.test("every area of lib/ is in the layering", () => {
  const areas = [...Deno.readDirSync(LIB)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  assert.deepEqual(areas.filter((a) => ALLOWED[a] === undefined), []);
});

Deno.test("the layer check trips on an edge against the layers", () => {
  const edge = (fromArea: string, toArea: string): Edge => ({ from: "", to: "", fromArea, toArea });
  assert.equal(violates(edge("validate", "generate")), "forbidden");
  assert.equal(violates(edge("stream", "generate")), "forbidden");
  assert.match(violates(edge("validate", "kinds")) ?? "", /validate may import/);
  assert.match(violates(edge("schema", "lake")) ?? "", /schema may import calendar/);
  assert.match(violates(edge("calendar", "schema")) ?? "", /may import nothing/);
  assert.match(violates(edge("ingest", "generate")) ?? "", /ingest may import/);
  assert.equal(violates(edge("kinds", "validate")), undefined);
  assert.equal(violates(edge("validate", "kinds/registry")), undefined);
});

/**
 * The import cycles among lib/'s files (type-only imports count: they still tie two modules together).
 * @param all the import edges
 * @returns each cycle as its files, smallest first
 */
function cycles(all: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of all) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter), low.set(v, counter++), stack.push(v), on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a.length - b.length);
}

Deno.test("lib/ has no import cycle, type-only imports included (the generate/anomalies one is gone)", () => {
  assert.deepEqual(cycles(edges()), []);
});

Deno.test("cycles() finds a type-only cycle", () => {
  const e = (from: string, to: string): Edge => ({ from, to, fromArea: "x", toArea: "x" });
  assert.deepEqual(cycles([e("a.ts", "b.ts"), e("b.ts", "a.ts"), e("b.ts", "c.ts")]), [["a.ts", "b.ts"]]);
});
