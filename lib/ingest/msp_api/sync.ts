import { join } from "node:path";
import { type ApiEntity, ENTITIES } from "@lib/api/msp/objects.ts";
import type { MspApiClient } from "./http.ts";

/** Where one entity's sync stands. */
export interface EntityCheckpoint {
  /** Page files written so far (`<query>/page-000001.json` ...). */
  pages: number;
  /** The cursor to continue from; null at the start of a pass. */
  cursor: string | null;
  /** Whether the current pass reached the end. */
  done: boolean;
  /** The pass's lower bound on `updatedTime` (ISO), or null for everything. */
  since: string | null;
  /** The latest `updatedTime` seen (ISO): the next pass starts there. */
  highWater: string | null;
}

/** The checkpoint file of a sync state folder. */
export interface SyncCheckpoint {
  version: 1;
  /** The endpoint (no credentials). */
  url: string;
  tenant: string;
  /** The API's snapshot period (`getSnapshotInfo`), when it has one. */
  snapshot: { periodStart: string; asOf: string } | null;
  entities: Record<ApiEntity["query"], EntityCheckpoint>;
}

/** Options of {@linkcode syncMsp}. */
export interface SyncOptions {
  /** Objects per page. @default 200 */
  pageSize?: number;
  /** Only tickets updated at or after this ISO time, on a first pass (clients and technicians whole). @default all */
  since?: string;
  /** Called after each page is saved (tests use it to kill mid-sync). @default none */
  onPage?: (query: string, page: number) => void | Promise<void>;
}

/** What one sync run fetched. */
export interface SyncResult {
  checkpoint: SyncCheckpoint;
  /** Pages and objects fetched by this run, per list query. */
  fetched: Record<string, { pages: number; objects: number }>;
}

const CHECKPOINT = "checkpoint.json";

/**
 * Writes a file atomically: a temporary file beside it, flushed to disk, then renamed over it, so a kill at any
 * moment leaves the old content or the new, never a part.
 * @param path the file
 * @param text the content
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    const bytes = new TextEncoder().encode(text);
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.sync();
  } finally {
    file.close();
  }
  await Deno.rename(tmp, path);
}

/**
 * Reads the checkpoint of a state folder.
 * @param stateDir the folder
 * @returns the checkpoint, or undefined when there is none
 */
export async function readCheckpoint(stateDir: string): Promise<SyncCheckpoint | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(stateDir, CHECKPOINT))) as SyncCheckpoint;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new TypeError(`Cannot read the sync checkpoint in "${stateDir}": ${(e as Error).message.split("\n")[0]}`);
  }
}

/**
 * The page file of a list query.
 * @param query the list query
 * @param page 1-based page number
 * @returns the path relative to the state folder
 */
export function pagePath(query: string, page: number): string {
  return `${query}/page-${String(page).padStart(6, "0")}.json`;
}

/** The selection of every field of an entity, refs with their key and name. */
export function selectionOf(entity: ApiEntity): string {
  return entity.fields.map((f) =>
    f.kind === "ref" ? `${f.api} { ${f.ref!.key}${f.ref!.nameColumn ? " name" : ""} }` : f.api
  )
    .join(" ");
}

/**
 * Syncs the clients, technicians and tickets of an MSP API into a state folder: each page is saved as a file
 * (atomically) and then the checkpoint (atomically), so a run killed at any moment resumes from the last saved
 * page and a page saved twice is the same page. A pass walks a list by cursor; when a list's pass is done, the next
 * run starts a new pass from the latest `updatedTime` seen (incremental sync). Objects fetched twice are reduced to
 * their latest version when the dataset is built.
 *
 * @param client the API client
 * @param stateDir the state folder (created when missing)
 * @param options page size, first-pass lower bound
 * @returns the checkpoint and what this run fetched
 */
export async function syncMsp(client: MspApiClient, stateDir: string, options: SyncOptions = {}): Promise<SyncResult> {
  const { pageSize = 200, since, onPage } = options;
  await Deno.mkdir(stateDir, { recursive: true });
  // `since` bounds the tickets; clients and technicians, which tickets refer to, come whole on a first pass.
  const fresh = (query: string): EntityCheckpoint => ({
    pages: 0,
    cursor: null,
    done: false,
    since: query === "getTicketList" ? since ?? null : null,
    highWater: null,
  });
  let cp = await readCheckpoint(stateDir);
  if (cp && (cp.url !== client.url || cp.tenant !== client.credentials.tenant)) {
    throw new TypeError(
      `Cannot resume the sync in "${stateDir}": it holds ${cp.url} (tenant ${cp.tenant}); use --full to start over`,
    );
  }
  if (!cp) {
    cp = {
      version: 1,
      url: client.url,
      tenant: client.credentials.tenant,
      snapshot: null,
      entities: Object.fromEntries(ENTITIES.map((e) => [e.query, fresh(e.query)])) as SyncCheckpoint["entities"],
    };
  }
  const info = await client.query<{ getSnapshotInfo: { periodStart: string; asOf: string } }>(
    "query { getSnapshotInfo { periodStart asOf } }",
  );
  cp.snapshot = info.getSnapshotInfo;
  const save = () => writeFileAtomic(join(stateDir, CHECKPOINT), JSON.stringify(cp, null, 2) + "\n");
  await save();
  const fetched: SyncResult["fetched"] = {};
  for (const entity of ENTITIES) {
    const e = cp.entities[entity.query];
    await Deno.mkdir(join(stateDir, entity.query), { recursive: true });
    if (e.done) {
      // A new pass: everything updated since the high-water mark (inclusive: an object updated in the same
      // millisecond as the last one seen is fetched again rather than missed; the build keeps one version).
      Object.assign(e, { cursor: null, done: false, since: e.highWater ?? e.since });
      await save();
    }
    const got = fetched[entity.query] = { pages: 0, objects: 0 };
    const query = `query Sync($input: ListInfoInput!) { ${entity.query}(input: $input) { ${entity.listField} { ${
      selectionOf(entity)
    } } listInfo { hasMore nextCursor totalCount } } }`;
    while (!e.done) {
      const input: Record<string, unknown> = { pageSize };
      if (e.cursor) input.cursor = e.cursor;
      if (e.since) input.condition = { attribute: "updatedTime", operator: "greaterThanOrEqual", value: e.since };
      const data = await client.query<Record<string, Record<string, unknown>>>(query, { input });
      const result = data[entity.query];
      const objects = result?.[entity.listField];
      const info = result?.listInfo as { hasMore?: unknown; nextCursor?: unknown } | undefined;
      if (!Array.isArray(objects) || typeof info?.hasMore !== "boolean") {
        throw new TypeError(`Cannot sync ${entity.query}: the answer lacks ${entity.listField} or listInfo.hasMore`);
      }
      if (objects.length > 0) {
        await writeFileAtomic(join(stateDir, pagePath(entity.query, e.pages + 1)), JSON.stringify(objects) + "\n");
        e.pages++;
        got.pages++;
        got.objects += objects.length;
        for (const o of objects) {
          const u = (o as Record<string, unknown>)?.updatedTime;
          if (typeof u === "string" && Number.isFinite(Date.parse(u)) && (e.highWater === null || u > e.highWater)) {
            e.highWater = u;
          }
        }
      }
      if (typeof info.nextCursor === "string") e.cursor = info.nextCursor;
      e.done = !info.hasMore;
      if (info.hasMore && objects.length === 0) {
        throw new TypeError(`Cannot sync ${entity.query}: an empty page says hasMore (the cursor does not advance)`);
      }
      await save();
      await onPage?.(entity.query, e.pages);
    }
  }
  return { checkpoint: cp, fetched };
}
