/** The real public sources opslab ingests. */
export const SOURCE_IDS = ["nab", "cloudfront", "tickets", "gwa", "msp-api"] as const;
/** One of {@linkcode SOURCE_IDS}. */
export type SourceId = typeof SOURCE_IDS[number];

/** Where a source comes from and where it lives in the lake. */
export interface SourceInfo {
  /** What the data is, in words. */
  title: string;
  /** The Kaggle dataset, `owner/dataset`; sources without one are not fetched by `deno task fetch`. */
  kaggle?: string;
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
  /** For data taken from a repository: `github owner/name` and the commit. */
  repository?: string;
  commit?: string;
  /** The citation the data's terms ask for. */
  citation?: string;
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
  gwa: {
    title: 'GWA-T-12 Bitbrains VM traces ("Rnd" subset), Grid Workloads Archive, TU Delft',
    url: "http://gwa.ewi.tudelft.nl/datasets/gwa-t-12-bitbrains",
    license: "GWA trace terms (cite the paper below); hosting repository BSD-2-Clause",
    modality: "metrics",
    name: "bitbrains",
    repository: "github JessieRayeBauer/Time-Series-Forecasting- (path rnd/<month>/<vm>.csv)",
    commit: "0901a0da3024507c7732c782621e590077abca64",
    citation:
      'Siqi Shen, Vincent van Beek, Alexandru Iosup, "Statistical Characterization of Business-Critical Workloads Hosted in Cloud Datacenters", 15th IEEE/ACM CCGrid, 2015',
  },
  "msp-api": {
    title: "An MSP platform's GraphQL API (SuperOps-shaped; the sandbox of deno task serve-api msp)",
    url:
      "https://support.superops.com/en/articles/6632215-how-to-integrate-applications-using-superops-ai-graphql-apis",
    license: "the tenant's own data: confidential",
    modality: "tickets",
    name: "msp",
  },
};

/** The sources `deno task fetch` downloads from Kaggle. */
export const KAGGLE_SOURCE_IDS: readonly SourceId[] = SOURCE_IDS.filter((id) => SOURCES[id].kaggle !== undefined);

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
