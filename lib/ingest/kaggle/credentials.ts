import { join } from "node:path";
import { KaggleError } from "./errors.ts";

/** Kaggle API credentials and where they came from. */
export interface KaggleCredentials {
  /** The Kaggle user name. */
  username: string;
  /** The API key. */
  key: string;
  /** `env` or the path of the kaggle.json read. */
  from: string;
}

/** Options of {@linkcode kaggleCredentials}. */
export interface KaggleCredentialsOptions {
  /** The environment. @default Deno.env.toObject() */
  env?: Record<string, string | undefined>;
}

const HOWTO = "set KAGGLE_USERNAME and KAGGLE_KEY, or save the token from kaggle.com > Settings > API as " +
  "~/.kaggle/kaggle.json";

/**
 * Finds Kaggle credentials the way the official client does: `KAGGLE_USERNAME` and `KAGGLE_KEY`, else
 * `$KAGGLE_CONFIG_DIR/kaggle.json`, else `~/.kaggle/kaggle.json`.
 * @param options the environment
 * @returns the credentials
 * @throws {KaggleError} kind `auth`, saying what to set, when none are found or the file cannot be read
 */
export async function kaggleCredentials(options: KaggleCredentialsOptions = {}): Promise<KaggleCredentials> {
  const env = options.env ?? Deno.env.toObject();
  const user = env.KAGGLE_USERNAME;
  const key = env.KAGGLE_KEY;
  if (user && key) return { username: user, key, from: "env" };
  if (user || key) {
    throw new KaggleError(
      "auth",
      `Cannot authenticate to Kaggle: ${user ? "KAGGLE_KEY" : "KAGGLE_USERNAME"} is not set, got only ${
        user ? "KAGGLE_USERNAME" : "KAGGLE_KEY"
      }`,
    );
  }
  const dir = env.KAGGLE_CONFIG_DIR ?? (env.HOME ? join(env.HOME, ".kaggle") : undefined);
  if (dir === undefined) throw new KaggleError("auth", `Cannot authenticate to Kaggle: no credentials; ${HOWTO}`);
  const path = join(dir, "kaggle.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      throw new KaggleError("auth", `Cannot authenticate to Kaggle: no credentials (no ${path}); ${HOWTO}`, { cause });
    }
    if (cause instanceof Deno.errors.NotCapable || cause instanceof Deno.errors.PermissionDenied) {
      throw new KaggleError(
        "auth",
        `Cannot read Kaggle credentials "${path}": no read permission; set KAGGLE_USERNAME and KAGGLE_KEY, or allow reading it (--allow-read=${path})`,
        { cause },
      );
    }
    throw new KaggleError("auth", `Cannot read Kaggle credentials "${path}": ${(cause as Error).message}`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new KaggleError("auth", `Cannot read Kaggle credentials "${path}": not valid JSON`, { cause });
  }
  const v = value as { username?: unknown; key?: unknown };
  if (typeof v?.username !== "string" || typeof v?.key !== "string" || !v.username || !v.key) {
    throw new KaggleError(
      "auth",
      `Cannot read Kaggle credentials "${path}": it must hold {"username": "...", "key": "..."}`,
    );
  }
  return { username: v.username, key: v.key, from: path };
}
