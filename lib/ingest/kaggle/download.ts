import { createHash } from "node:crypto";
import { basename, dirname, join, normalize } from "node:path";
import { unzipSync } from "fflate";
import { type KaggleCredentials, kaggleCredentials } from "./credentials.ts";
import { KaggleError } from "./errors.ts";

/** Kaggle's public API. */
export const KAGGLE_API = "https://www.kaggle.com/api/v1";

/** Options of {@linkcode fetchKaggleDataset}. */
export interface FetchKaggleOptions {
  /** The credentials. @default found by {@linkcode kaggleCredentials} */
  credentials?: KaggleCredentials;
  /** The API base URL (a local server in tests). @default env OPSLAB_KAGGLE_URL, else KAGGLE_API */
  baseUrl?: string;
  /** The environment, for the base URL and credentials. @default Deno.env.toObject() */
  env?: Record<string, string | undefined>;
  /** Called as bytes arrive, with the total when the server says it. @default none */
  onProgress?: (received: number, total: number | null) => void;
}

/** What {@linkcode fetchKaggleDataset} wrote. */
export interface FetchedDataset {
  /** The dataset, `owner/name`. */
  dataset: string;
  /** The URL downloaded. */
  url: string;
  /** Size of the zip. */
  bytes: number;
  /** SHA-256 of the zip. */
  sha256: string;
  /** Files extracted, relative to the destination, sorted. */
  files: string[];
}

/**
 * The path of a zip entry under the destination, or null for a directory entry.
 * @param name the entry name
 * @returns the safe relative path
 * @throws {KaggleError} kind `format` for absolute paths or `..` (a zip that would write outside its folder)
 */
export function safeEntryPath(name: string): string | null {
  if (name.endsWith("/")) return null;
  const clean = normalize(name.replaceAll("\\", "/"));
  if (clean.startsWith("/") || clean.startsWith("..") || /^[a-zA-Z]:/.test(clean) || clean.split("/").includes("..")) {
    throw new KaggleError("format", `Cannot unzip entry "${name}": it would be written outside the destination`);
  }
  return clean;
}

async function readBody(res: Response, onProgress?: FetchKaggleOptions["onProgress"]): Promise<Uint8Array> {
  const total = Number(res.headers.get("content-length")) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (res.body === null) return new Uint8Array();
  for await (const chunk of res.body) {
    chunks.push(chunk);
    received += chunk.length;
    onProgress?.(received, total);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Downloads a Kaggle dataset as a zip through Kaggle's public HTTP API
 * (`GET <base>/datasets/download/<owner>/<dataset>` with HTTP basic auth) and unzips it into `destDir`,
 * replacing what was there only once the new files are complete. The dataset's own LICENSE and README files come
 * with it; a `SOURCE.json` beside them records the dataset, URL, size, SHA-256 and time of the download.
 *
 * @param dataset `owner/dataset`, e.g. `numenta/nab`
 * @param destDir where to unzip, e.g. `data/raw/metrics/nab`
 * @param options credentials, base URL, progress
 * @returns what was written
 * @throws {KaggleError} `auth` (no or refused credentials), `network` (offline, no permission), `http` (other
 *   status), `format` (not a zip, unsafe entry)
 * @example
 * ```ts ignore
 * await fetchKaggleDataset("numenta/nab", "data/raw/metrics/nab");
 * ```
 */
export async function fetchKaggleDataset(
  dataset: string,
  destDir: string,
  options: FetchKaggleOptions = {},
): Promise<FetchedDataset> {
  const env = options.env ?? Deno.env.toObject();
  if (!/^[\w.-]+\/[\w.-]+$/.test(dataset)) {
    throw new RangeError(`Cannot fetch "${dataset}": a Kaggle dataset is "owner/name"`);
  }
  const base = (options.baseUrl ?? env.OPSLAB_KAGGLE_URL ?? KAGGLE_API).replace(/\/+$/, "");
  const url = `${base}/datasets/download/${dataset}`;
  const page = `https://www.kaggle.com/datasets/${dataset}`;
  const creds = options.credentials ?? await kaggleCredentials({ env });
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        authorization: `Basic ${btoa(`${creds.username}:${creds.key}`)}`,
        "user-agent": "opslab-fetch/1",
      },
      redirect: "follow",
    });
  } catch (cause) {
    const host = new URL(url).host;
    if (cause instanceof Deno.errors.NotCapable || cause instanceof Deno.errors.PermissionDenied) {
      throw new KaggleError(
        "network",
        `Cannot fetch "${dataset}": no network permission for ${host} (--allow-net=${host})`,
        {
          cause,
        },
      );
    }
    throw new KaggleError(
      "network",
      `Cannot fetch "${dataset}": cannot reach ${host} (${
        String((cause as Error).message).split("\n")[0]
      }), offline?; download it from ${page} and unzip it into ${destDir}`,
      { cause },
    );
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new KaggleError(
      "auth",
      `Cannot fetch "${dataset}": Kaggle refused the credentials of "${creds.username}" from ${creds.from} (HTTP ${res.status}); check the key, and accept the dataset's terms on ${page}`,
    );
  }
  if (res.status === 404) {
    await res.body?.cancel();
    throw new KaggleError("http", `Cannot fetch "${dataset}": no such dataset (HTTP 404 from ${url})`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new KaggleError("http", `Cannot fetch "${dataset}": HTTP ${res.status} ${res.statusText} from ${url}`);
  }
  let zip: Uint8Array;
  try {
    zip = await readBody(res, options.onProgress);
  } catch (cause) {
    throw new KaggleError(
      "network",
      `Cannot fetch "${dataset}": the download broke off (${(cause as Error).message})`,
      {
        cause,
      },
    );
  }
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b || (zip[2] !== 3 && zip[2] !== 5)) {
    throw new KaggleError(
      "format",
      `Cannot unzip "${dataset}": the response is not a zip (content-type ${
        res.headers.get("content-type") ?? "none"
      }, ${zip.length} bytes)`,
    );
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (cause) {
    throw new KaggleError("format", `Cannot unzip "${dataset}": corrupt zip (${(cause as Error).message})`, { cause });
  }
  const sha256 = createHash("sha256").update(zip).digest("hex");
  const parent = dirname(destDir);
  await Deno.mkdir(parent, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: parent, prefix: `.${basename(destDir)}.tmp-` });
  const files: string[] = [];
  try {
    for (const [name, data] of Object.entries(entries)) {
      const rel = safeEntryPath(name);
      if (rel === null) continue;
      await Deno.mkdir(dirname(join(tmp, rel)), { recursive: true });
      await Deno.writeFile(join(tmp, rel), data);
      files.push(rel);
    }
    files.sort();
    const source = {
      dataset,
      page,
      url,
      bytes: zip.length,
      sha256,
      files: files.length,
      fetched_at: new Date().toISOString(),
    };
    await Deno.writeTextFile(join(tmp, "SOURCE.json"), JSON.stringify(source, null, 2) + "\n");
    let old: string | undefined;
    try {
      await Deno.stat(destDir);
      old = `${tmp}.old`;
      await Deno.rename(destDir, old);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    await Deno.rename(tmp, destDir);
    if (old) await Deno.remove(old, { recursive: true });
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  return { dataset, url, bytes: zip.length, sha256, files };
}
