/**
 * Every dataset kind opslab knows, registered: a kind is its own folder (`lib/kinds/<kind>/mod.ts`, a
 * {@linkcode KindDescriptor}: row schemas and column docs, config, task, validation rules, report profile, replay
 * spec) plus one line below. Entry points (tasks, notebooks, tests) import this module once; the areas read the
 * registry (`./registry.ts`), which imports none of them.
 *
 * @example
 * ```ts
 * import { listKinds } from "@lib/kinds/mod.ts";
 * listKinds("generated").map((d) => d.kind); // ["capacity", "anomalies", "incidents", "msp"]
 * ```
 * @module
 */
import { markBuiltinKinds, registerKind } from "./registry.ts";
import { capacity } from "./capacity/mod.ts";
import { anomalies } from "./anomalies/mod.ts";
import { incidents } from "./incidents/mod.ts";
import { msp } from "./msp/mod.ts";
import { nab } from "./nab/mod.ts";
import { cloudfront } from "./cloudfront/mod.ts";
import { tickets } from "./tickets/mod.ts";
import { gwa } from "./gwa/mod.ts";

registerKind(capacity);
registerKind(anomalies);
registerKind(incidents);
registerKind(msp);
registerKind(nab);
registerKind(cloudfront);
registerKind(tickets);
registerKind(gwa);
markBuiltinKinds();

export {
  type KindDescriptor,
  kindDescriptor,
  type KindOrigin,
  listKinds,
  listSources,
  registerKind,
  type SourceInfo,
  sourceInfo,
} from "./registry.ts";
export { anomalyTargets } from "./anomalies/mod.ts";
