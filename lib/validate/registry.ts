import type pl from "nodejs-polars";
import type { TableFrame } from "@lib/lake/mod.ts";
import type { z } from "zod";
import type { Manifest } from "@lib/lake/mod.ts";
import { kindDescriptor, listKinds } from "@lib/kinds/registry.ts";
import type { ForeignKey } from "./integrity.ts";
import type { ColumnRule } from "./rules.ts";
import type { TimeSpec } from "./time.ts";
import type { CheckResult } from "./types.ts";

/** What a family or table spec sees of the dataset being validated. */
export interface ValidationContext<C = unknown> {
  /** Every table, by name (the primary one included). */
  tables: Record<string, TableFrame>;
  /** The primary table's name. */
  primary: string;
  /** The manifest, when the dataset has one. */
  manifest?: Manifest;
  /** The generator's config, parsed by the kind's `parseConfig` (undefined without a manifest or on error). */
  config?: C;
}

/** How one table of a kind is validated. */
export interface TableSpec {
  /** The zod record schema: dtypes, presence, nullability, bounds, enums and patterns. */
  record?: z.ZodObject;
  /** Column rules when there is no record schema (e.g. a manifest's recorded dtypes). */
  rules?: ColumnRule[];
  /** Run the schema family on this table (off when another family checks the schema). @default true */
  schema?: boolean;
  /** Key columns, unique together. */
  key?: readonly string[];
  /** The time axis. */
  time?: TimeSpec;
  /** Severity of gaps, cadence and coverage failures. @default "error" */
  timeSeverity?: "error" | "warning";
  /** Expected values of derived columns. */
  derived?: Record<string, pl.Expr>;
  /** Helper columns the `derived` expressions refer to, computed once. */
  prepare?: pl.Expr[];
  /** Severity of exact duplicate rows. @default "warning" with a key, else "error" */
  duplicateSeverity?: "error" | "warning";
  /** Largest null share per column, overriding the rules. */
  nullRates?: Record<string, number>;
  /** Columns scanned for personal data: free-text columns of the rules, every string column, a list, or none. */
  pii?: "free-text" | "strings" | readonly string[] | false;
}

/** A kind-level family of checks (correlation, seasonality, anomalies, ...): a pure function of the context. */
export interface CheckFamily<C = unknown> {
  /** The family name, used for ids of failures the runner reports (`<name>.error`). */
  name: string;
  /** Runs the family. */
  run: (ctx: ValidationContext<C>) => CheckResult[];
}

/** How datasets of one kind are validated: its tables, foreign keys and kind-level families. */
export interface KindSpec<C = unknown> {
  /** The kind, as manifests name it (`capacity`). */
  kind: string;
  /** One line for `--help` and reports. */
  description: string;
  /** The primary table's name when the manifest gives none (e.g. a file validated with `--schema`). */
  primary: string;
  /** Parses the manifest's config (throw to report it invalid); the families receive the result. */
  parseConfig?: (raw: unknown) => C;
  /** The table specs, given the context (config-dependent cadence, range, derived columns). */
  tables: (ctx: ValidationContext<C>) => Record<string, TableSpec>;
  /** Declared foreign keys between tables. @default [] */
  foreignKeys?: readonly ForeignKey[];
  /** Kind-level families, run after the per-table checks. @default [] */
  families?: readonly CheckFamily<C>[];
}

const KINDS = new Map<string, KindSpec<unknown>>();

/**
 * Registers how a dataset kind is validated (replacing an earlier registration of the same kind).
 * @param spec the kind spec
 * @returns the spec
 */
export function registerKind<C>(spec: KindSpec<C>): KindSpec<C> {
  KINDS.set(spec.kind, spec as KindSpec<unknown>);
  return spec;
}

/**
 * The validation spec of a kind: its descriptor's `validation` section (`lib/kinds/`), else a spec registered here
 * with {@linkcode registerKind}.
 * @param kind the kind
 * @returns the spec, or undefined for a kind without one (validated generically)
 */
export function kindSpec(kind: string): KindSpec<unknown> | undefined {
  return (kindDescriptor(kind)?.validation as KindSpec<unknown> | undefined) ?? KINDS.get(kind);
}

/**
 * The kinds with a registered spec.
 * @returns the kinds, sorted
 */
export function registeredKinds(): string[] {
  const described = listKinds().filter((d) => d.validation !== undefined).map((d) => d.kind);
  return [...new Set([...described, ...KINDS.keys()])].sort();
}
