/**
 * `deno task serve`: serves the built reports (`reports/`) on 127.0.0.1 for viewing in a browser. Static files
 * only, GET and HEAD, no directory listings beyond `index.html`, nothing whose real path (symlinks resolved) is
 * outside the folder, redirects only to paths on this server, and only to requests addressed to a loopback name
 * (a page on another site cannot reach it through DNS rebinding).
 * @module
 */
import { extname, join, normalize, relative, resolve, sep } from "node:path";
// args.ts, not mod.ts: the CLI module also holds the lake writers, which load Polars (FFI this task may not use).
import { type FlagSpec, helpText, parseFlags, UsageError } from "@lib/cli/args.ts";

const FLAGS: Record<string, FlagSpec> = {
  port: { type: "string", arg: "N", help: "port on 127.0.0.1, 0 picks a free one (default 8000)", config: false },
  root: { type: "string", arg: "DIR", help: "folder to serve (default reports)", config: false },
  help: { type: "boolean", short: "h", help: "show this help", config: false },
};

const HELP = helpText("deno task serve [flags]", {
  description:
    `Serves the reports built by "deno task report" on http://127.0.0.1:<port>/ (this machine only). Answers only
requests addressed to localhost, 127.0.0.1 or [::1] (others get 421), and serves no file whose real path is
outside the folder. The reports are self-contained files: opening reports/index.html from disk works as well.`,
  flags: FLAGS,
  examples: [
    "deno task serve",
    "deno task serve --port 8080",
  ],
});

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...extra },
  });
}

/** Host names a browser uses for this machine; any other Host header is a request meant for another site. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Whether a Host header names this machine: `localhost`, `127.0.0.1` or
 * `[::1]`, with or without a port. A DNS-rebinding page reaches 127.0.0.1 under its own name, which is refused.
 * @param host the Host header value
 * @returns true for a loopback name
 */
export function isLoopbackHost(host: string): boolean {
  const m = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return m !== null && LOOPBACK.has(m[1]);
}

/** Whether `path` is `base` or inside it. */
function inside(base: string, path: string): boolean {
  return path === base || path.startsWith(base.endsWith(sep) ? base : base + sep);
}

/**
 * A request handler serving the files under `root`: `/` and folders give their `index.html`, paths that leave
 * the folder (`..`, encoded or not) and files whose real path is outside it (symlinks) are refused, a folder
 * without its slash redirects to a path on this server (never `//host`), only GET and HEAD are allowed, and
 * only requests whose Host is a loopback name are answered (421 otherwise).
 * @param root the folder to serve
 * @returns the handler
 */
export function createHandler(root: string): (req: Request) => Promise<Response> {
  const base = resolve(root);
  let real: Promise<string> | undefined;
  return async (req) => {
    // HTTP/1.1 requires Host; one without it cannot be told from a rebinding page, so it is refused as well.
    const host = req.headers.get("host");
    if (host === null || !isLoopbackHost(host)) {
      return plain(421, "Misdirected request: this server answers to localhost only");
    }
    if (req.method !== "GET" && req.method !== "HEAD") return plain(405, "Method not allowed", { allow: "GET, HEAD" });
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url).pathname);
    } catch {
      return plain(400, "Bad request: malformed path");
    }
    if (path.includes("\0")) return plain(400, "Bad request: malformed path");
    let file = resolve(base, "." + normalize("/" + path));
    if (!inside(base, file)) return plain(403, "Forbidden");
    try {
      real ??= Deno.realPath(base);
      const realBase = await real;
      // Symlinks resolved: a link in the folder to anything outside it is not served (Deno's --allow-read checks
      // the path as given, so the permission alone would let it through).
      let target = await Deno.realPath(file);
      if (!inside(realBase, target)) return plain(403, "Forbidden");
      let info = await Deno.stat(target);
      if (info.isDirectory) {
        if (!path.endsWith("/")) {
          // Built from the resolved path below the root, so it is always a local path: "/a/b/", never "//a/b/".
          const local = relative(base, file).split(sep).filter((p) => p !== "").map(encodeURIComponent);
          return new Response(null, { status: 301, headers: { location: `/${local.map((p) => `${p}/`).join("")}` } });
        }
        file = join(file, "index.html");
        target = await Deno.realPath(file);
        if (!inside(realBase, target)) return plain(403, "Forbidden");
        info = await Deno.stat(target);
      }
      if (!info.isFile) return plain(404, "Not found");
      const headers = {
        "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
        "content-length": String(info.size),
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      };
      if (req.method === "HEAD") return new Response(null, { headers });
      const handle = await Deno.open(target, { read: true });
      return new Response(handle.readable, { headers });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return plain(404, "Not found");
      if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
        return plain(403, "Forbidden");
      }
      return plain(500, "Internal error");
    }
  };
}

/**
 * Runs the server until interrupted.
 * @param args command-line arguments
 * @returns the exit code
 */
export async function main(args: string[]): Promise<number> {
  // Not runTask: it reads OPSLAB_DEBUG, and this task has no env permission (it needs none).
  try {
    return await serve(args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

async function serve(args: string[]): Promise<number> {
  const { flags } = parseFlags(args, FLAGS);
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const root = String(flags.root ?? "reports");
  const port = flags.port === undefined ? 8000 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Cannot serve: --port must be an integer from 0 to 65535, got "${flags.port}"`);
  }
  try {
    if (!(await Deno.stat(root)).isDirectory) throw new UsageError(`Cannot serve "${root}": not a folder`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UsageError(`Cannot serve "${root}": no such folder (build the reports with "deno task report")`);
    }
    throw e;
  }
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: ({ port }) => console.log(`Serving ${root}/ on http://127.0.0.1:${port}/ (Ctrl-C to stop)`),
  }, createHandler(root));
  await server.finished;
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
