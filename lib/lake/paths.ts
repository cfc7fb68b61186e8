import { join } from "node:path";
import type { Layer } from "./manifest.ts";

/** The lake root, relative to the project. */
export const DEFAULT_LAKE_ROOT = "data";

/** Where {@linkcode datasetDir} places a dataset. */
export interface DatasetDirOptions {
  /** The lake root. @default "data" */
  root?: string;
}

/**
 * The folder of a dataset: `data/synthetic/<name>`, `data/raw/<modality>`, `data/processed/<modality>/<name>`.
 * @param layer the lake layer
 * @param name the dataset name (may contain one `/` for `<modality>/<name>`)
 * @param options the lake root
 * @returns the folder path
 */
export function datasetDir(layer: Layer, name: string, options: DatasetDirOptions = {}): string {
  const { root = DEFAULT_LAKE_ROOT } = options;
  if (!/^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)?$/i.test(name)) {
    throw new RangeError(
      `Cannot place dataset "${name}": names are letters, digits, "_", "." and "-", with at most one "/"`,
    );
  }
  return join(root, layer, name);
}
