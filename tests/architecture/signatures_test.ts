import "@lib/kinds/mod.ts"; // registers every dataset kind
/**
 * Function signatures of lib/ (issue 16 item 9, shared/CONVENTIONS.md "Functions"): an exported function takes at
 * most two positional parameters, then optionally one options object as its last parameter. `(a)`, `(a, b)`,
 * `(a, b, opts)` and `(opts)` pass; `(a, b, c)` with `c` not an options object fails. Reads the signatures with
 * `deno doc --json` (a subprocess), so what counts is what the type checker sees, not a regex over the source.
 * @module
 */
import assert from "node:assert/strict";
import { join, relative, resolve } from "node:path";

const LIB = resolve("lib");

/**
 * Known violators, to be rewritten: empty since every area was rewritten (issue 16). A line added here must name a
 * function that still violates (a stale line fails the test), so the list can only shrink again.
 */
const PENDING: { file: string; name: string }[] = [];

/** One exported function whose signature breaks the rule. */
export interface Violator {
  /** path under lib/ */
  file: string;
  name: string;
  /** all its parameters */
  params: number;
  /** the positional ones (all but a trailing options object) */
  positional: number;
}

// deno doc --json, the parts read here.
interface DocType {
  kind: string;
  value?: unknown;
  repr?: string;
}
interface DocParam {
  kind: string;
  tsType?: DocType;
  left?: DocParam;
}
interface DocDeclaration {
  kind: string;
  declarationKind?: string;
  location: { filename: string };
  def?: { params?: DocParam[]; tsType?: DocType };
}
interface DocJson {
  nodes: Record<string, { symbols: { name: string; declarations: DocDeclaration[] }[] }>;
}

/**
 * Whether a parameter is an options object: a destructured object, an object type literal, a named type ending in
 * `Options` (possibly wrapped in `Partial`/`Readonly`, or intersected with more fields), with or without a default;
 * or an optional bag of named values (`vars: Record<string, …> = {}`, a template's variables), whose keys name its
 * arguments as an options object's do.
 * @param p the parameter as deno doc gives it
 * @returns true for an options object
 */
export function isOptionsParam(p: DocParam): boolean {
  if (p.kind === "assign") {
    return p.left !== undefined && (isOptionsParam(p.left) || isRecord(p.left.tsType));
  }
  if (p.kind === "object") return true;
  if ((p as { optional?: boolean }).optional && isRecord(p.tsType)) return true;
  const t = p.tsType;
  if (t === undefined) return false;
  if (t.kind === "typeLiteral") return true;
  if (t.kind === "intersection") {
    return (t.value as DocType[]).some((part) => isOptionsParam({ kind: "identifier", tsType: part }));
  }
  if (t.kind === "typeRef") {
    const ref = t.value as { typeName: string; typeParams?: DocType[] | null };
    if (/Options$/.test(ref.typeName)) return true;
    if ((ref.typeName === "Partial" || ref.typeName === "Readonly") && ref.typeParams?.length === 1) {
      return isOptionsParam({ kind: "identifier", tsType: ref.typeParams[0] });
    }
  }
  return false;
}

/** Whether a type is `Record<…>`, possibly `Readonly`. */
function isRecord(t: DocType | undefined): boolean {
  if (t?.kind !== "typeRef") return false;
  const ref = t.value as { typeName: string; typeParams?: DocType[] | null };
  if (ref.typeName === "Record") return true;
  return ref.typeName === "Readonly" && ref.typeParams?.length === 1 && isRecord(ref.typeParams[0]);
}

/**
 * The exported functions of a `deno doc --json` output that take more than two positional parameters. Functions
 * and `const`s typed as functions count; overloads count each.
 * @param doc the parsed output
 * @param root the folder paths are given relative to
 * @returns the violators, sorted by file and name
 */
export function violators(doc: DocJson, root: string): Violator[] {
  const out: Violator[] = [];
  for (const { symbols } of Object.values(doc.nodes)) {
    for (const symbol of symbols) {
      for (const d of symbol.declarations) {
        if (d.declarationKind !== "export") continue;
        let params: DocParam[] | undefined;
        if (d.kind === "function") params = d.def?.params;
        else if (d.kind === "variable" && d.def?.tsType?.kind === "fnOrConstructor") {
          params = (d.def.tsType.value as { params: DocParam[] }).params;
        }
        if (params === undefined) continue;
        const last = params.at(-1);
        const positional = last !== undefined && isOptionsParam(last) ? params.length - 1 : params.length;
        if (positional <= 2) continue;
        const file = relative(root, new URL(d.location.filename).pathname).replaceAll("\\", "/");
        if (!out.some((v) => v.file === file && v.name === symbol.name)) {
          out.push({ file, name: symbol.name, params: params.length, positional });
        }
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

function* walk(dir: string): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* walk(path);
    else if (e.isFile && /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name)) yield path;
  }
}

/**
 * Runs `deno doc --json` over files.
 * @param files the TypeScript files
 * @returns the parsed output
 */
async function docOf(files: string[]): Promise<DocJson> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `deno doc failed:\n${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("violators() finds exported functions with more than two positional parameters, not options objects", async () => {
  const dir = await Deno.makeTempDir({ prefix: "opslab-signatures-" });
  try {
    const file = join(dir, "sample.ts");
    await Deno.writeTextFile(
      file,
      [
        "export interface DrawOptions { scale?: number }",
        "export function one(a: number): number { return a; }",
        "export function two(a: number, b: number): number { return a + b; }",
        "export function withOptions(a: number, b: number, opts: DrawOptions = {}): number { return a + b + (opts.scale ?? 0); }",
        "export function literal(a: number, b: number, { c }: { c: number }): number { return a + b + c; }",
        "export function partial(a: number, b: number, o?: Partial<DrawOptions>): number { return a + b + (o?.scale ?? 0); }",
        "export function onlyOptions(opts: DrawOptions): number { return opts.scale ?? 0; }",
        "export function three(a: number, b: number, c: number): number { return a + b + c; }",
        "export function optionalThird(a: number, b: number, c?: string): string { return `${a}${b}${c}`; }",
        "export function intersected(a: number, b: number, o: DrawOptions & { end: number }): number { return a + b + o.end; }",
        "export function vars(a: number, b: string, v: Readonly<Record<string, string>> = {}): string { return b + a + v.x; }",
        "export function requiredRecord(a: number, b: string, v: Record<string, string>): string { return b + a + v.x; }",
        "export function fourWithOptions(a: number, b: number, c: number, opts: DrawOptions): number { return a + b + c + (opts.scale ?? 0); }",
        "export const arrow: (a: number, b: number, c: number) => number = (a, b, c) => a + b + c;",
        "function privateThree(a: number, b: number, c: number): number { return a + b + c; }",
        "export const used = privateThree; // an exported alias counts too",
      ].join("\n"),
    );
    const found = violators(await docOf([file]), dir);
    assert.deepEqual(found.map((v) => [v.name, v.params, v.positional]), [
      ["arrow", 3, 3],
      ["fourWithOptions", 4, 3],
      ["optionalThird", 3, 3],
      ["requiredRecord", 3, 3],
      ["three", 3, 3],
      ["used", 3, 3],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exported functions of lib/ take at most two positional arguments, then an options object", async () => {
  const files = [...walk(LIB)].sort();
  assert.ok(files.length > 200, `found only ${files.length} files under lib/`);
  const found = violators(await docOf(files), LIB);
  const pending = (v: { file: string; name: string }) => PENDING.some((p) => p.file === v.file && p.name === v.name);
  const bad = found.filter((v) => !pending(v))
    .map((v) => `lib/${v.file}: ${v.name}() takes ${v.positional} positional parameters (${v.params} in all)`);
  assert.deepEqual(
    bad,
    [],
    `exported functions with more than two positional parameters (group them into an options object):\n${
      bad.join("\n")
    }`,
  );
  const stale = PENDING.filter((p) => !found.some((v) => v.file === p.file && v.name === p.name));
  assert.deepEqual(stale, [], "pending violators that no longer violate: delete their lines");
});
