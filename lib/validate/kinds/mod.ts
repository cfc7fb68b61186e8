/**
 * Validation rules registered by the validation engine itself (MSP). The rules of the other kinds are their
 * descriptors' `validation` section (`lib/kinds/<kind>/validate.ts`), read through the kind registry.
 * @module
 */
export { mspKind } from "./msp.ts";
