/** The real public sources opslab ingests. */
export const SOURCE_IDS = ["nab", "cloudfront", "tickets"] as const;
/** One of {@linkcode SOURCE_IDS}. */
export type SourceId = typeof SOURCE_IDS[number];

/** Where a source comes from and where it lives in the lake. */
export interface SourceInfo {
  /** What the data is, in words. */
  title: string;
  /** The Kaggle dataset, `owner/dataset`. */
  kaggle: string;
  /** The dataset's public page. */
  url: string;
  /**
   * The licence as far as opslab knows it; a LICENSE file found beside the raw data wins over this.
   * "unknown" means: read the dataset page before redistributing.
   */
  license: string;
  /** The modality folder: `data/raw/<modality>/<name>`, `data/processed/<modality>/<name>`. */
  modality: string;
  /** The dataset name under the modality folder. */
  name: string;
}

/** The registry of sources; a new source is one entry here plus `lib/ingest/<source>/`. */
export const SOURCES: Readonly<Record<SourceId, SourceInfo>> = {
  nab: {
    title: "Numenta Anomaly Benchmark: labelled real and artificial metric series",
    kaggle: "numenta/nab",
    url: "https://www.kaggle.com/datasets/numenta/nab",
    license: "AGPL-3.0 (numenta/NAB repository)",
    modality: "metrics",
    name: "nab",
  },
  cloudfront: {
    title: "Amazon CloudFront access logs (W3C extended format)",
    kaggle: "paultimothymooney/amazon-cloudfront-logs",
    url: "https://www.kaggle.com/datasets/paultimothymooney/amazon-cloudfront-logs",
    license: "unknown: see the Kaggle dataset page",
    modality: "logs",
    name: "cloudfront",
  },
  tickets: {
    title: "IT support tickets labelled with type, category, urgency and impact",
    kaggle: "aslanahmedov/tech-support-ticket-classification",
    url: "https://www.kaggle.com/datasets/aslanahmedov/tech-support-ticket-classification",
    license: "unknown: see the Kaggle dataset page",
    modality: "tickets",
    name: "support",
  },
};

/**
 * The lake-relative dataset name of a source, `<modality>/<name>`, as {@linkcode datasetDir} takes it.
 * @param id the source
 * @returns e.g. `"metrics/nab"`
 */
export function sourceDatasetName(id: SourceId): string {
  const s = SOURCES[id];
  return `${s.modality}/${s.name}`;
}

/**
 * The raw folder of a source when it holds files (after `deno task fetch`), else a fallback (e.g. the test
 * fixtures), so notebooks and demos run on real data when it is there.
 * @param id the source
 * @param fallback the folder to use otherwise
 * @param lake the lake root @default "data"
 * @returns the folder to read
 */
export async function rawDirOr(id: SourceId, fallback: string, lake = "data"): Promise<string> {
  const s = SOURCES[id];
  const dir = `${lake.replace(/\/+$/, "")}/raw/${s.modality}/${s.name}`;
  try {
    for await (const e of Deno.readDir(dir)) if (!e.name.startsWith(".")) return dir;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return fallback;
}
