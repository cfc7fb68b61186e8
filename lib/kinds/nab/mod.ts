/**
 * The nab kind: a real public dataset ingested into `data/processed/` (`SOURCE` below says where it comes from and
 * its licence). Validated and reported generically; its columns are documented in `./columns.ts`.
 * @module
 */
import { NabIngestConfig } from "@lib/ingest/nab/config.ts";
import { NAB_PROFILE } from "@lib/report/kinds.ts";
import type { KindDescriptor, SourceInfo } from "../registry.ts";
import { NAB_COLUMN_DOCS } from "./columns.ts";

/** Where the nab data comes from. */
const SOURCE: SourceInfo = {
  id: "nab",
  title: "Numenta Anomaly Benchmark: labelled real and artificial metric series",
  summary: "Numenta Anomaly Benchmark series and label windows",
  task: "tasks/ingest_nab.ts",
  kaggle: "numenta/nab",
  url: "https://www.kaggle.com/datasets/numenta/nab",
  license: "AGPL-3.0 (numenta/NAB repository)",
  modality: "metrics",
  name: "nab",
};

/** The nab kind's descriptor. */
export const nab: KindDescriptor = {
  kind: "nab",
  origin: "ingested",
  description: SOURCE.title,
  primary: "hourly",
  columns: NAB_COLUMN_DOCS,
  config: NabIngestConfig,
  task: SOURCE.task,
  sources: [SOURCE],
  report: NAB_PROFILE,
};
