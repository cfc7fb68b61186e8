/** Scores the PII detectors on the labelled corpus in tests/fixtures/pii_corpus.json. */
import "@lib/kinds/mod.ts"; // registers every dataset kind
import { detectPii, PII_KINDS, type PiiKind } from "@lib/validate/mod.ts";

/** One labelled string: the detectors that must fire on it (none for a negative). */
export interface CorpusEntry {
  text: string;
  pii: PiiKind[];
  /** "dev": the detectors were tuned on it; "holdout": written after, scored as it came. */
  split: "dev" | "holdout";
  note?: string;
}

/** Recall and precision of one detector (or of all, `overall`), with the strings it got wrong. */
export interface Score {
  tp: number;
  fp: number;
  fn: number;
  recall: number;
  precision: number;
  missed: string[];
  false: string[];
}

/**
 * Reads the corpus.
 * @returns its entries
 */
export async function readCorpus(): Promise<CorpusEntry[]> {
  return JSON.parse(await Deno.readTextFile(new URL("../fixtures/pii_corpus.json", import.meta.url)));
}

/**
 * Runs every detector on every string and counts, per detector, strings found that should be (tp), found that
 * should not (fp) and missed (fn).
 * @param corpus the entries
 * @returns scores per detector and `overall` (micro-averaged over detector and string)
 */
export function scoreCorpus(corpus: CorpusEntry[]): Record<PiiKind | "overall", Score> {
  const out = {} as Record<PiiKind | "overall", Score>;
  for (const k of [...PII_KINDS, "overall"] as const) {
    out[k] = { tp: 0, fp: 0, fn: 0, recall: 0, precision: 0, missed: [], false: [] };
  }
  for (const e of corpus) {
    const found = new Set(detectPii(e.text).map((m) => m.kind));
    for (const k of PII_KINDS) {
      const want = e.pii.includes(k), got = found.has(k);
      for (const s of [out[k], out.overall]) {
        if (want && got) s.tp++;
        else if (got) {
          s.fp++;
          s.false.push(e.text);
        } else if (want) {
          s.fn++;
          s.missed.push(e.text);
        }
      }
    }
  }
  for (const s of Object.values(out)) {
    s.recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
    s.precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
  }
  return out;
}

if (import.meta.main) {
  const corpus = await readCorpus();
  for (const split of ["dev", "holdout", "all"]) {
    const part = corpus.filter((e) => split === "all" || e.split === split);
    console.log(`\n${split}: ${part.length} strings, ${part.filter((e) => e.pii.length).length} with PII`);
    const scores = scoreCorpus(part);
    for (const [k, s] of Object.entries(scores)) {
      console.log(
        `${k.padEnd(8)} recall ${s.recall.toFixed(3)} precision ${
          s.precision.toFixed(3)
        } (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`,
      );
      if (k !== "overall") {
        for (const t of s.missed) console.log(`   missed: ${JSON.stringify(t)}`);
        for (const t of s.false) console.log(`   false:  ${JSON.stringify(t)}`);
      }
    }
  }
}
