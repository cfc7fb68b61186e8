import { dirname, resolve } from "node:path";
import { UsageError } from "./args.ts";

/** A file-system permission a path can be granted under. */
export type PathPermission = "read" | "write" | "ffi";

function granted(name: PathPermission, path: string): boolean {
  return Deno.permissions.querySync({ name, path }).state === "granted";
}

/**
 * The folder this process was granted `name` access under that covers `path`: the highest ancestor of `path` still
 * granted, which for a path-list flag such as `--allow-write=data` is the listed entry itself (`data`), and `/` when
 * the flag has no list. Asks `Deno.permissions.query`, which never prompts.
 * @param name the permission
 * @param path the path to cover (relative to the working folder)
 * @returns the absolute granted folder, or undefined when `path` is not granted
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { grantCovering } from "@lib/cli/permissions.ts";
 * // Under --allow-write=data run from /srv/opslab, "data/synthetic/capacity" gives "/srv/opslab/data"; a path
 * // outside every grant gives undefined.
 * if (Deno.permissions.querySync({ name: "write", path: "/proc/opslab" }).state !== "granted") {
 *   assert.equal(grantCovering("write", "/proc/opslab/x"), undefined);
 * }
 * ```
 */
export function grantCovering(name: PathPermission, path: string): string | undefined {
  let covered = resolve(path);
  if (!granted(name, covered)) return undefined;
  while (dirname(covered) !== covered && granted(name, dirname(covered))) covered = dirname(covered);
  return covered;
}

/** The paths a child process needs, per permission. */
export interface ChildNeeds {
  /** Folders and files the child reads (its code included). @default [] */
  read?: string[];
  /** Folders the child writes in. @default [] */
  write?: string[];
  /** Libraries the child loads through FFI. @default [] */
  ffi?: string[];
}

/**
 * The permission flags for a child `deno run`: for each path the child needs, the grant of this process that covers
 * it (see {@linkcode grantCovering}), so the child gets the parent's own scope and never more; plus `--allow-sys` and
 * `--allow-env` when this process holds them unrestricted, and `--no-prompt`. No `--allow-run` or `--allow-net`.
 * @param needs the paths the child touches
 * @returns the flags, e.g. `["--no-prompt", "--allow-read=/srv/opslab", "--allow-write=/srv/opslab/data", …]`
 * @throws {Error} naming the path when this process itself lacks a needed grant
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inheritedPermissionFlags } from "@lib/cli/permissions.ts";
 * // With read access to the project (here: to everything, "/"), the child may read what this process may.
 * const flags = inheritedPermissionFlags({ read: ["."] });
 * assert.equal(flags[0], "--no-prompt");
 * assert.match(flags[1], /^--allow-read=\//);
 * ```
 */
export function inheritedPermissionFlags(needs: ChildNeeds): string[] {
  const flags = ["--no-prompt"];
  for (const name of ["read", "write", "ffi"] as const) {
    const roots = new Set<string>();
    for (const path of needs[name] ?? []) {
      const root = grantCovering(name, path);
      if (root === undefined) {
        throw new Error(`Cannot start a child process: this one has no ${name} access to "${path}"`);
      }
      roots.add(root);
    }
    if (roots.size > 0) flags.push(`--allow-${name}=${[...roots].join(",")}`);
  }
  if (Deno.permissions.querySync({ name: "sys" }).state === "granted") flags.push("--allow-sys");
  if (Deno.permissions.querySync({ name: "env" }).state === "granted") flags.push("--allow-env");
  return flags;
}

/** Options of {@linkcode assertWritable}. */
export interface AssertWritableOptions {
  /**
   * Whether the folder the target sits in must be writable too (datasets: their temporary folders, locks and shards
   * are written beside them); false for a folder written only inside (reports). @default true
   */
  beside?: boolean;
}

/**
 * Refuses, before anything starts, a write target outside this process's write scope: the folder itself and (by
 * default) the folder it sits in (temp folders and shards are written beside a dataset) must be writable.
 * @param path the target
 * @param flag the flag that named it, for the message (e.g. `--output`)
 * @param options whether the folder beside it must be writable too
 * @throws {UsageError} naming the flag, the path and the scope rule
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assertWritable } from "@lib/cli/permissions.ts";
 * // Under --allow-write=data, "data/synthetic/capacity" is fine and a folder elsewhere is refused:
 * if (Deno.permissions.querySync({ name: "write", path: "/proc/opslab" }).state !== "granted") {
 *   assert.throws(() => assertWritable("/proc/opslab/x", "--output"), /outside the folders this task may write/);
 * }
 * ```
 */
export function assertWritable(path: string, flag: string, options: AssertWritableOptions = {}): void {
  const { beside = true } = options;
  const target = beside ? dirname(resolve(path)) : resolve(path);
  if (!granted("write", target)) {
    throw new UsageError(
      `Cannot write ${flag} "${path}": it is outside the folders this task may write (its --allow-write in deno.json)`,
    );
  }
}
