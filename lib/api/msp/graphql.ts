/**
 * The part of GraphQL the sandbox speaks: one query operation (optionally named, with variable definitions), root
 * fields with arguments, nested selection sets; values are object and list literals, strings, numbers, booleans,
 * null, enum names and `$variables`. No fragments, aliases, directives or mutations: a query using them is answered
 * with a GraphQL error naming what is not supported, never silently misread.
 * @module
 */

/** A field in a selection set. */
export interface Selection {
  name: string;
  args: Record<string, unknown>;
  /** The sub-selection; undefined for a leaf field. */
  selections?: Selection[];
}

/** A query that does not parse, or uses what the sandbox does not support. */
export class GraphQLSyntaxError extends Error {
  /**
   * @param message what is wrong, with the position
   */
  constructor(message: string) {
    super(message);
    this.name = "GraphQLSyntaxError";
  }
}

type Token = { t: "punct" | "name" | "string" | "number" | "var"; v: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (/[\s,]/.test(c) || c === "\uFEFF") {
      i++;
    } else if ("{}():[]!=".includes(c)) {
      out.push({ t: "punct", v: c, at: i++ });
    } else if (c === "." && src.startsWith("...", i)) {
      throw new GraphQLSyntaxError(`Fragments are not supported (at ${i})`);
    } else if (c === "@") {
      throw new GraphQLSyntaxError(`Directives are not supported (at ${i})`);
    } else if (c === "$") {
      const m = /^\$([_A-Za-z][_0-9A-Za-z]*)/.exec(src.slice(i));
      if (!m) throw new GraphQLSyntaxError(`Expected a variable name at ${i}`);
      out.push({ t: "var", v: m[1], at: i });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1, s = "";
      for (;;) {
        if (j >= src.length || src[j] === "\n") throw new GraphQLSyntaxError(`Unterminated string at ${i}`);
        if (src[j] === '"') break;
        if (src[j] === "\\") {
          const e = src[j + 1];
          const map: Record<string, string> = {
            '"': '"',
            "\\": "\\",
            "/": "/",
            b: "\b",
            f: "\f",
            n: "\n",
            r: "\r",
            t: "\t",
          };
          if (e === "u") {
            const hex = src.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new GraphQLSyntaxError(`Bad escape at ${j}`);
            s += String.fromCharCode(parseInt(hex, 16));
            j += 6;
            continue;
          }
          if (!(e in map)) throw new GraphQLSyntaxError(`Bad escape at ${j}`);
          s += map[e];
          j += 2;
          continue;
        }
        s += src[j++];
      }
      out.push({ t: "string", v: s, at: i });
      i = j + 1;
    } else {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i)) ?? /^[_A-Za-z][_0-9A-Za-z]*/.exec(src.slice(i));
      if (!m) throw new GraphQLSyntaxError(`Unexpected character "${c}" at ${i}`);
      out.push({ t: /^[-\d]/.test(m[0]) ? "number" : "name", v: m[0], at: i });
      i += m[0].length;
    }
  }
  return out;
}

/**
 * Parses a query document into its root selections, with variables substituted.
 * @param query the document
 * @param variables the request's `variables`
 * @returns the root fields
 * @throws {GraphQLSyntaxError} on a syntax error, an unsupported feature or a missing variable
 * @example
 * ```ts
 * import { parseQuery } from "@lib/api/msp/graphql.ts";
 * const [root] = parseQuery("{ getTicketList(input: {pageSize: 2}) { tickets { ticketId } } }");
 * root.args.input; // { pageSize: 2 }
 * ```
 */
export function parseQuery(query: string, variables: Record<string, unknown> = {}): Selection[] {
  const tokens = tokenize(query);
  let p = 0;
  const peek = () => tokens[p];
  const fail = (what: string): never => {
    const t = peek();
    throw new GraphQLSyntaxError(`Expected ${what} at ${t ? `${t.at}, got "${t.v}"` : "the end"}`);
  };
  const punct = (v: string) => {
    if (peek()?.t !== "punct" || peek().v !== v) fail(`"${v}"`);
    p++;
  };
  const isPunct = (v: string) => peek()?.t === "punct" && peek().v === v;
  const name = (): string => {
    if (peek()?.t !== "name") fail("a name");
    return tokens[p++].v;
  };

  const value = (): unknown => {
    const t = peek();
    if (!t) return fail("a value");
    if (t.t === "var") {
      p++;
      if (!(t.v in variables)) throw new GraphQLSyntaxError(`Variable "$${t.v}" is not given`);
      return variables[t.v];
    }
    if (t.t === "string") return (p++, t.v);
    if (t.t === "number") return (p++, Number(t.v));
    if (t.t === "name") {
      p++;
      return t.v === "true" ? true : t.v === "false" ? false : t.v === "null" ? null : t.v;
    }
    if (isPunct("{")) {
      p++;
      const obj: Record<string, unknown> = {};
      while (!isPunct("}")) {
        const k = name();
        punct(":");
        obj[k] = value();
      }
      p++;
      return obj;
    }
    if (isPunct("[")) {
      p++;
      const list: unknown[] = [];
      while (!isPunct("]")) list.push(value());
      p++;
      return list;
    }
    return fail("a value");
  };

  const selectionSet = (): Selection[] => {
    punct("{");
    const out: Selection[] = [];
    while (!isPunct("}")) {
      const n = name();
      if (isPunct(":")) throw new GraphQLSyntaxError(`Aliases are not supported ("${n}:")`);
      const args: Record<string, unknown> = {};
      if (isPunct("(")) {
        p++;
        while (!isPunct(")")) {
          const k = name();
          punct(":");
          args[k] = value();
        }
        p++;
      }
      out.push({ name: n, args, ...(isPunct("{") ? { selections: selectionSet() } : {}) });
    }
    p++;
    return out;
  };

  if (peek()?.t === "name") {
    const op = name();
    if (op !== "query") throw new GraphQLSyntaxError(`Only query operations are supported, got "${op}"`);
    if (peek()?.t === "name") p++;
    if (isPunct("(")) {
      // Variable definitions: types are not checked, values come from `variables`.
      p++;
      while (!isPunct(")")) {
        if (peek()?.t !== "var") fail("a variable definition");
        p++;
        punct(":");
        if (isPunct("[")) {
          p++;
          name();
          if (isPunct("!")) p++;
          punct("]");
        } else name();
        if (isPunct("!")) p++;
        if (isPunct("=")) {
          p++;
          value();
        }
      }
      p++;
    }
  }
  const root = selectionSet();
  if (p !== tokens.length) fail("the end of the document (one operation per request)");
  return root;
}
