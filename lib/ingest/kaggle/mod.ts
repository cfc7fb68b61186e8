/**
 * Kaggle downloads without the Python client: credentials from `KAGGLE_USERNAME` / `KAGGLE_KEY` or
 * `~/.kaggle/kaggle.json` ({@linkcode kaggleCredentials}), the dataset zip from Kaggle's public HTTP API,
 * unzipped with fflate into the raw layer ({@linkcode fetchKaggleDataset}). No Polars here, so the fetch task
 * needs no FFI permission.
 *
 * @example
 * ```ts ignore
 * import { fetchKaggleDataset } from "@lib/ingest/kaggle/mod.ts";
 * await fetchKaggleDataset("numenta/nab", "data/raw/metrics/nab");
 * ```
 * @module
 */
export { type KaggleCredentials, kaggleCredentials, type KaggleCredentialsOptions } from "./credentials.ts";
export {
  type FetchedDataset,
  fetchKaggleDataset,
  type FetchKaggleOptions,
  KAGGLE_API,
  safeEntryPath,
} from "./download.ts";
export { KaggleError, type KaggleErrorKind } from "./errors.ts";
